import type { Page, TestInfo } from "@playwright/test";
import { attachScreenshot, expect, idOf, removeOwned, test } from "./players.ts";

type Drawn = { id: number; owner: string; shape: string; position: [number, number, number]; root: number };

const build = (page: Page) => page.evaluate(() => window.__world.build());
const drawnBy = (page: Page, owner: string): Promise<Drawn[]> =>
  page.evaluate((who) => window.__world.prims().filter((prim) => prim.owner === who), owner);
const idsBy = async (page: Page, owner: string) => (await drawnBy(page, owner)).map((prim) => prim.id).sort((a, b) => a - b);

/** Types a value into one of the build panel's fields, as a person does: select, type, Enter. */
async function type(page: Page, testId: string, value: number): Promise<void> {
  const field = page.getByTestId(testId);
  await field.fill(String(value));
  await field.press("Enter");
}

/** Makes a prim from the palette and waits until the relay has it (the selection holds its id). */
async function make(page: Page, preset: string): Promise<number> {
  const before = (await build(page)).selection;
  await page.getByTestId(`palette-${preset}`).click();
  await expect.poll(async () => (await build(page)).selection.find((id) => id < 0xf000_0000 && !before.includes(id))).toBeDefined();
  return (await build(page)).selection.at(-1)!;
}

/** Clicks prim `id` where it is drawn (with Shift held to add it to the selection). */
async function click(page: Page, id: number, shift = false): Promise<void> {
  const point = await page.evaluate((prim) => window.__world.screenPoint(prim), id);
  if (!point) throw new Error(`prim ${id} is not on screen`);
  if (shift) await page.keyboard.down("Shift");
  await page.mouse.click(point[0], point[1]);
  if (shift) await page.keyboard.up("Shift");
}

const edited = (page: Page) => page.evaluate(() => window.__world.edits()?.pending === 0);

test("a creator builds a house in the page, links, duplicates, undoes and redoes it; a watcher sees it live, it outlasts a reload, and the watcher may not move it", async ({ players }, testInfo) => {
  test.setTimeout(240_000);
  const ada = await players.join("Ada");
  const adaId = await idOf(ada);
  const bea = await players.join("Bea");
  try {
    await buildHouse(ada, adaId, bea, testInfo);
  } finally {
    await removeOwned(ada, adaId);
  }
});

async function buildHouse(ada: Page, adaId: string, bea: Page, testInfo: TestInfo): Promise<void> {
  await ada.keyboard.press("b");
  await expect.poll(async () => (await build(ada)).mode).toBe("build");

  // Walls: a box 4 x 2.5 x 4 m, hollowed to thin walls.
  const walls = await make(ada, "box");
  await expect(ada.getByTestId("prim-owner")).toHaveText("Yours");
  await type(ada, "field-size-x", 4);
  await type(ada, "field-size-z", 4);
  await type(ada, "field-size-y", 2.5);
  await type(ada, "param-hollow", 0.85);
  await expect.poll(() => edited(ada)).toBe(true);
  // A new shape is drawn once its mesh is made: wait for it.
  await expect.poll(async () => (await drawnBy(ada, adaId)).some((prim) => prim.id === walls)).toBe(true);
  const wallsAt = (await drawnBy(ada, adaId)).find((prim) => prim.id === walls)!.position;
  await type(ada, "field-position-y", 1.25);

  // Roof: a box tapered to a ridge, on the walls.
  const roof = await make(ada, "box");
  await type(ada, "field-size-x", 4.4);
  await type(ada, "field-size-z", 4.4);
  await type(ada, "field-size-y", 1.5);
  await type(ada, "param-taperX", 1);
  await type(ada, "field-position-x", wallsAt[0]);
  await type(ada, "field-position-z", wallsAt[2]);
  await type(ada, "field-position-y", 3.25);
  // Limits that depend on each other hold as one types: taper is at most 1.
  await type(ada, "param-taperY", 5);
  await expect(ada.getByTestId("param-taperY")).toHaveValue("1");
  await type(ada, "param-taperY", 0);

  // Chimney: a cylinder with a quarter cut away, standing on the roof.
  const chimney = await make(ada, "cylinder");
  await type(ada, "param-profileBegin", 0.25);
  await type(ada, "field-size-y", 1.5);
  await type(ada, "field-position-x", wallsAt[0] + 1);
  await type(ada, "field-position-z", wallsAt[2] + 1);
  await type(ada, "field-position-y", 3.5);
  await ada.getByTestId("face-select").selectOption("0");
  await ada.getByTestId("face-color").fill("#a03c28");
  await expect.poll(() => edited(ada)).toBe(true);
  await attachScreenshot(ada, testInfo, "1-parts");

  // Link: chimney and roof, then the walls last (the root, as in Second Life), picked with the
  // select tool, which shows no gizmo in the way.
  await ada.getByTestId("tool-select").click();
  await click(ada, chimney);
  await click(ada, roof, true);
  await click(ada, walls, true);
  await expect.poll(async () => (await build(ada)).selection).toEqual([chimney, roof, walls]);
  await ada.getByTestId("action-link").click();
  await expect.poll(async () => (await drawnBy(ada, adaId)).filter((prim) => prim.root === walls).map((prim) => prim.id).sort()).toEqual([chimney, roof].sort());
  await expect.poll(async () => (await build(ada)).selection).toEqual([walls]);
  await attachScreenshot(ada, testInfo, "2-linked");

  // The watcher saw every step live.
  const house = await idsBy(ada, adaId);
  expect(house).toHaveLength(3);
  await expect.poll(() => idsBy(bea, adaId)).toEqual(house);

  // A drag of the move gizmo's centre (seen from behind, the handle there is the z arrow: up the
  // screen is away) moves the whole house: the watcher sees it move while the drag lasts, and the
  // drag is one undo step that takes it back.
  const placed = await drawnBy(bea, adaId);
  const depth = (await build(ada)).undoDepth;
  await ada.getByTestId("tool-move").click();
  await expect.poll(async () => (await build(ada)).pivot).not.toBeNull();
  const [px, py] = (await build(ada)).pivot!;
  await ada.mouse.move(px, py);
  await ada.mouse.down();
  for (let step = 1; step <= 4; step++) await ada.mouse.move(px, py - step * 10);
  await expect.poll(async () => (await drawnBy(bea, adaId)).find((prim) => prim.id === walls)!.position).not.toEqual(placed.find((prim) => prim.id === walls)!.position);
  await ada.mouse.move(px, py - 50);
  await ada.mouse.up();
  await expect.poll(() => edited(ada)).toBe(true);
  expect((await build(ada)).undoDepth).toBe(depth + 1);
  const moved = await drawnBy(ada, adaId);
  await expect.poll(() => drawnBy(bea, adaId)).toEqual(moved);
  // Linked parts went along: each part kept its place against the walls.
  const offset = (list: Drawn[], id: number) => {
    const part = list.find((prim) => prim.id === id)!.position;
    const root = list.find((prim) => prim.id === walls)!.position;
    return part.map((value, i) => Math.round((value - root[i]!) * 1000));
  };
  expect(offset(moved, chimney)).toEqual(offset(placed, chimney));
  await attachScreenshot(bea, testInfo, "2b-dragged");
  await ada.keyboard.press("Control+z");
  await expect.poll(() => drawnBy(bea, adaId)).toEqual(placed);

  // Duplicate (Ctrl+D): a second house, linked the same way; undo takes it away, redo brings it back.
  await ada.keyboard.press("Control+d");
  await expect.poll(async () => (await idsBy(ada, adaId)).length).toBe(6);
  await expect.poll(() => edited(ada)).toBe(true);
  const copies = (await idsBy(ada, adaId)).filter((id) => !house.includes(id));
  const copyRoot = (await build(ada)).selection[0]!;
  expect(copies).toContain(copyRoot);
  expect((await drawnBy(ada, adaId)).filter((prim) => prim.root === copyRoot)).toHaveLength(2);
  await expect.poll(() => idsBy(bea, adaId)).toHaveLength(6);
  await attachScreenshot(ada, testInfo, "3-duplicated");

  await ada.keyboard.press("Control+z");
  await expect.poll(() => idsBy(ada, adaId)).toEqual(house);
  await expect.poll(() => idsBy(bea, adaId)).toEqual(house);
  await ada.keyboard.press("Control+y");
  await expect.poll(async () => (await idsBy(ada, adaId)).length).toBe(6);
  await expect.poll(async () => (await idsBy(bea, adaId)).length).toBe(6);
  const town = await idsBy(ada, adaId);
  await attachScreenshot(bea, testInfo, "4-watcher");

  // Both reload: the houses are still there, as the relay stored them.
  await Promise.all([ada.reload(), bea.reload()]);
  for (const page of [ada, bea]) await page.waitForFunction(() => window.__world.self() !== null && window.__world.connection().status === "connected");
  await expect.poll(() => idsBy(bea, adaId)).toEqual(town);
  await expect.poll(() => idsBy(ada, adaId)).toEqual(town);
  const before = await drawnBy(bea, adaId);

  // The watcher selects the house: read-only, with its owner's name; a drag of it is refused and nothing moves.
  await bea.keyboard.press("b");
  await expect.poll(async () => (await build(bea)).mode).toBe("build");
  expect((await build(bea)).tool).toBe("move");
  await expect.poll(() => bea.evaluate((id) => window.__world.screenPoint(id), walls)).not.toBeNull();
  await click(bea, walls);
  await expect.poll(async () => (await build(bea)).selection).toEqual([walls]);
  await expect(bea.getByTestId("prim-owner")).toHaveText(/Owned by Ada: read-only/);
  await expect(bea.getByTestId("field-position-x")).toBeDisabled();
  await expect.poll(async () => (await build(bea)).pivot).not.toBeNull();
  const [x, y] = (await build(bea)).pivot!;
  await bea.mouse.move(x, y);
  await bea.mouse.down();
  for (let step = 1; step <= 3; step++) await bea.mouse.move(x + step * 40, y + step * 12);
  await bea.mouse.up();
  await expect(bea.getByTestId("build-message")).toContainText("belongs to someone else");
  expect((await bea.evaluate(() => window.__world.edits()))?.lastRefusal?.code).toBe("not_owner");
  await expect.poll(() => drawnBy(bea, adaId)).toEqual(before);
  await expect.poll(async () => (await drawnBy(ada, adaId)).map((prim) => prim.position)).toEqual(before.map((prim) => prim.position));
  await attachScreenshot(bea, testInfo, "5-refused");

  // Each sees who works where: Ada selects her house again, and Bea sees it outlined in Ada's colour
  // with her name.
  await ada.keyboard.press("b");
  await ada.getByTestId("tool-select").click();
  await expect.poll(() => ada.evaluate((id) => window.__world.screenPoint(id), walls)).not.toBeNull();
  await click(ada, walls);
  await expect(bea.getByTestId("selection-label")).toHaveText("Ada");
  await attachScreenshot(bea, testInfo, "6-others-selection");
}
