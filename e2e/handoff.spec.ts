import { AVATAR } from "@tessera/sim/constants";
import { POSITION_SCALE, type OpenTileResponse, type TilesResponse } from "@tessera/protocol";
import { attachScreenshot, expect, idOf, seenPosition, selfOf, test, warmedUp } from "./players.ts";

type Tiles = ReturnType<typeof window.__world.tiles>;
const authorityOf = (tiles: Tiles) => tiles.find((tile) => tile.authority)?.id;

/** Which relay process runs each open tile. */
async function processes(baseURL: string): Promise<Map<string, string>> {
  const { tiles } = (await (await fetch(`${baseURL}/api/tiles`)).json()) as TilesResponse;
  return new Map(tiles.map((tile) => [tile.id, tile.process]));
}

test("a player walks across a tile border while another watches: both see continuous motion", async ({ players, baseURL }, testInfo) => {
  // One relay: the spawn point (128, 128) is the corner of four tiles; walking back (-z) crosses
  // into tile_2_1 (or tile_1_1, drifting a little west). Cluster: the spawn point (160, 128) is on
  // the border between tile_2_2 and tile_2_1, which opens now on the other relay process.
  const cluster = testInfo.project.name === "cluster";
  if (cluster) {
    const south = (await (await fetch(`${baseURL}/api/tiles/tile_2_1/open`, { method: "POST" })).json()) as OpenTileResponse;
    const before = await processes(baseURL!);
    expect(south.process).not.toBe(before.get("tile_2_2"));
  }
  const small = { width: 400, height: 240 };
  const walker = await players.join("Crosser", { query: "view=16", viewport: small });
  // The watcher sees the walker all the way, to the tiles' edge 16 m out and beyond.
  const watcher = await players.join("Onlooker", { query: "view=24", viewport: small });
  const walkerId = await idOf(walker);
  await expect.poll(() => seenPosition(watcher, walkerId)).toBeDefined();
  await Promise.all([warmedUp(walker), warmedUp(watcher)]);
  expect(authorityOf(await walker.evaluate(() => window.__world.tiles()))).toBe("tile_2_2");

  // Both pages write down, every frame, where they show the walker, and when they worked it out.
  const record = (id: string | null) => {
    const samples: [number, number][] = [];
    (window as unknown as { samples: typeof samples }).samples = samples;
    const next = () => {
      const self = window.__world.self();
      const shown = id === null ? self?.position : window.__world.avatars().find((a) => a.id === id)?.position;
      if (self && shown && self.shownAt !== samples.at(-1)?.[0]) samples.push([self.shownAt, shown[2]]);
      if (samples.length < 100_000) requestAnimationFrame(next);
    };
    requestAnimationFrame(next);
  };
  await walker.evaluate(record, null);
  await watcher.evaluate(record, walkerId);
  await walker.locator("canvas").click();
  const from = (await selfOf(walker))!.position[2];
  await walker.keyboard.down("KeyS");
  await expect.poll(async () => authorityOf(await walker.evaluate(() => window.__world.tiles())), { timeout: 10_000 }).toMatch(/^tile_[12]_1$/);
  // On a while: software rendering draws a few frames a second (two or three while both pages and
  // both relays share this machine's cores), and each page should show several.
  await walker.waitForTimeout(4000);
  await walker.keyboard.up("KeyS");
  await walker.waitForTimeout(500);
  const stopped = (await selfOf(walker))!.position[2];
  expect(from - stopped).toBeGreaterThan(2);
  expect(stopped).toBeLessThan(124);
  await expect.poll(async () => Math.abs((await seenPosition(watcher, walkerId))![2] - stopped), { timeout: 8_000 }).toBeLessThan(0.05);
  const tiles = await walker.evaluate(() => window.__world.tiles());
  // One authority, across the border it crossed (near x = 128 either side may hold it: hysteresis).
  expect(tiles.filter((tile) => tile.authority)).toHaveLength(1);
  expect(authorityOf(tiles)).toMatch(/^tile_[12]_1$/);
  expect(tiles.every((tile) => tile.status === "connected")).toBe(true);
  if (cluster) {
    const where = await processes(baseURL!);
    expect(where.get(authorityOf(tiles)!), `${authorityOf(tiles)} on ${JSON.stringify([...where])}`).not.toBe(where.get("tile_2_2"));
  }

  // Across the border, frame after frame: never backwards, never a jump (a page that stalls sends its
  // inputs in a burst, which the relay catches up on at up to 4 a tick).
  for (const page of [walker, watcher]) {
    const samples = await page.evaluate(() => (window as unknown as { samples: [number, number][] }).samples);
    // From its first steps to where it stopped, across the handoff line a metre past the border (z = 128).
    const crossing = samples.filter(([, z]) => z < from - 0.2 && z > stopped + 0.2);
    expect(crossing.length).toBeGreaterThan(5);
    expect(crossing.at(-1)![1]).toBeLessThan(124);
    for (let i = 1; i < crossing.length; i++) {
      const [t0, z0] = crossing[i - 1]!;
      const [t1, z1] = crossing[i]!;
      // Never back by more than a snapshot's position step: the rooms on either side of the border
      // round positions from their own origins, so the switch from one's snapshots to the other's
      // may move a shown avatar back by up to that much (1/128 m, nothing an eye sees).
      expect(z1).toBeLessThanOrEqual(z0 + 1 / POSITION_SCALE);
      // At most the pace of the relay catching up on a burst of late inputs (4 a tick), far below a jump.
      expect((z0 - z1) / Math.max((t1 - t0) / 1000, 1 / 60)).toBeLessThan(AVATAR.walkSpeed * 4.5);
    }
  }
  await attachScreenshot(walker, testInfo, "crosser");
  await attachScreenshot(watcher, testInfo, "onlooker");
});
