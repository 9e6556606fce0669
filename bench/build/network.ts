import type { Browser, Page } from "@playwright/test";

/** How an edit message starts on the socket: Colyseus's room-data byte, then the type "edit" as a msgpack fixstr. */
const EDIT_FRAME_START = [13, 0xa0 | 4, ...new TextEncoder().encode("edit")];
/** Ids from this one up are the client's stand-ins for prims the relay has not acknowledged yet. */
const FIRST_STAND_IN = 0xf000_0000;
/** The mouse travels this far left of the pivot and back, px, a few px a pointer move. */
const SWING_PX = { near: 20, far: 160, step: 35, movesPerStep: 8 };

declare global {
  interface Window {
    /** Pointer moves the world page received since the benchmark began counting. */
    benchPointerMoves?: number;
    /** Edit messages the page's sockets sent, and their bytes. */
    benchEditFrames?: { count: number; bytes: number };
  }
}

/** One drag of a prim by the gizmo on the world page, through a real relay. */
export interface DragRun {
  dragSeconds: number;
  /** Pointer moves the page received during the drag. */
  pointerMoves: number;
  /** Edit messages sent (acknowledged, refused or still unanswered at the end), as the client counts them. */
  edits: number;
  refused: number;
  /** Edit messages as the socket sent them, and their bytes. */
  editFrames: number;
  editBytes: number;
  /** All bytes up during the drag, and while idle in build mode (avatar input, pings) over a window as long before it. */
  bytesUp: number;
  idleBytesUp: number;
  idleSeconds: number;
  undoDepthBefore: number;
  undoDepthAfter: number;
}

interface Tally {
  at: number;
  bytesUp: number;
  sent: number;
  refused: number;
  undoDepth: number;
  pointerMoves: number;
  editFrames: number;
  editBytes: number;
}

/** What the page has sent so far, and when (page clock, ms). */
function tally(page: Page): Promise<Tally> {
  return page.evaluate(() => {
    const edits = window.__world.edits()!;
    return {
      at: performance.now(),
      bytesUp: window.__world.net()!.bytesUp,
      sent: edits.acknowledged + edits.pending + edits.refused,
      refused: edits.refused,
      undoDepth: edits.undoDepth,
      pointerMoves: window.benchPointerMoves ?? 0,
      editFrames: window.benchEditFrames!.count,
      editBytes: window.benchEditFrames!.bytes,
    };
  });
}

/** In the page, before its scripts: counts the edit messages its sockets send (`start`: how one begins). */
function tapEditFrames(start: number[]): void {
  const tally = (window.benchEditFrames = { count: 0, bytes: 0 });
  const { value: send } = Object.getOwnPropertyDescriptor(WebSocket.prototype, "send") as { value: WebSocket["send"] };
  WebSocket.prototype.send = function (data) {
    const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : data instanceof ArrayBuffer ? new Uint8Array(data) : undefined;
    if (bytes && start.every((byte, i) => bytes[i] === byte)) {
      tally.count++;
      tally.bytes += bytes.byteLength;
    }
    send.call(this, data);
  };
}

/** Opens the world, enters build mode and makes a box with the palette; resolves once the relay has given it its id and the gizmo is on it. */
async function boxInBuildMode(page: Page, origin: string): Promise<[number, number]> {
  await page.addInitScript(tapEditFrames, EDIT_FRAME_START);
  await page.goto(`${origin}/?name=Bench&view=24`);
  await page.waitForFunction(() => window.__world.self() !== null && window.__world.connection().status === "connected", undefined, { timeout: 60_000 });
  await page.keyboard.press("b");
  await page.waitForFunction(() => window.__world.build().mode === "build");
  await page.getByTestId("palette-box").click();
  await page.waitForFunction((standIn) => window.__world.build().selection.some((id) => id < standIn), FIRST_STAND_IN, { timeout: 30_000 });
  const pivot = await page.waitForFunction(() => window.__world.build().pivot, undefined, { timeout: 30_000 });
  return (await pivot.jsonValue())!;
}

/**
 * A real relay's world page in Chromium: makes a box in build mode, measures what goes up while it
 * stands still, then drags the gizmo's centre with the mouse to and fro for `seconds` (left of the
 * pivot only: +x, deeper into the spawn tile) and measures the edits and bytes the drag sent and
 * what it did to the undo history.
 */
export async function dragRun(browser: Browser, origin: string, seconds: number): Promise<DragRun> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on("pageerror", (error) => console.error(`[world] ${error.message}`));
  try {
    const [x, y] = await boxInBuildMode(page, origin);
    await page.evaluate(() => window.addEventListener("pointermove", () => (window.benchPointerMoves = (window.benchPointerMoves ?? 0) + 1)));
    const idleStart = await tally(page);
    await page.waitForTimeout(seconds * 1000);
    const idleEnd = await tally(page);

    await page.mouse.move(x, y);
    await page.mouse.down();
    const start = await tally(page);
    const until = performance.now() + seconds * 1000;
    for (let offset = SWING_PX.near, way = 1; performance.now() < until; ) {
      offset += way * SWING_PX.step;
      if (offset >= SWING_PX.far || offset <= SWING_PX.near) way = -way;
      await page.mouse.move(x - offset, y, { steps: SWING_PX.movesPerStep });
    }
    await page.mouse.up();
    const end = await tally(page);
    await page.waitForFunction(() => window.__world.edits()!.pending === 0, undefined, { timeout: 30_000 });
    const settled = await tally(page);
    return {
      dragSeconds: (end.at - start.at) / 1000,
      pointerMoves: end.pointerMoves - start.pointerMoves,
      edits: settled.sent - start.sent,
      refused: settled.refused - start.refused,
      editFrames: end.editFrames - start.editFrames,
      editBytes: end.editBytes - start.editBytes,
      bytesUp: end.bytesUp - start.bytesUp,
      idleBytesUp: idleEnd.bytesUp - idleStart.bytesUp,
      idleSeconds: (idleEnd.at - idleStart.at) / 1000,
      undoDepthBefore: start.undoDepth,
      undoDepthAfter: settled.undoDepth,
    };
  } finally {
    await page.close();
  }
}
