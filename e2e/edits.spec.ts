import { presetShape, solidFace } from "@tessera/prims";
import type { Page } from "@playwright/test";
import { attachScreenshot, expect, idOf, test } from "./players.ts";

/**
 * A small gate of coloured prims ahead of the spawn point (128, 128), in its tile (tile_2_2), as a
 * builder would make it: to the right of the way the other tests' players walk (+z from the spawn).
 */
function gate(): unknown[] {
  const post = (x: number) => ({ op: "create", prim: { position: { x, y: 1.5, z: 136 }, shape: presetShape("cylinder"), scale: { x: 0.6, y: 3, z: 0.6 }, faces: [solidFace(200, 60, 40)] } });
  const lintel = { op: "create", prim: { position: { x: 134.5, y: 3.25, z: 136 }, shape: presetShape("box"), scale: { x: 5, y: 0.5, z: 0.8 }, faces: [solidFace(240, 200, 60)] } };
  return [post(132), post(137), lintel];
}

/** The prims a page draws that `owner` owns, by id. */
function ownedBy(page: Page, owner: string) {
  return page.evaluate((who) => window.__world.prims().filter((prim) => prim.owner === who).map((prim) => prim.id).sort((a, b) => a - b), owner);
}

test("a player builds through the SDK, another sees it appear, and after both reload it is still there", async ({ players }, testInfo) => {
  const ada = await players.join("Ada");
  const bob = await players.join("Bob");
  const adaId = await idOf(ada);

  const answer = await ada.evaluate((ops) => window.__world.edit(ops), gate());
  expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
  const created = (answer as { created: number[] }).created.sort((a, b) => a - b);
  expect(created).toHaveLength(3);
  await expect.poll(() => ownedBy(bob, adaId)).toEqual(created);
  expect(await ada.evaluate(() => window.__world.edits())).toMatchObject({ pending: 0, acknowledged: 1, refused: 0, undoDepth: 1 });

  // Bob may not take Ada's gate down: refused, and nothing changes for either.
  const refused = await bob.evaluate((id) => window.__world.edit([{ op: "delete", ids: [id] }]), created[0]!);
  expect(refused).toMatchObject({ ok: false, code: "not_owner" });
  expect(await bob.evaluate(() => window.__world.edits()?.lastRefusal?.code)).toBe("not_owner");
  await expect.poll(() => ownedBy(bob, adaId)).toEqual(created);
  await attachScreenshot(ada, testInfo, "gate");

  await Promise.all([ada.reload(), bob.reload()]);
  for (const page of [ada, bob]) {
    await page.waitForFunction(() => window.__world.self() !== null && window.__world.connection().status === "connected");
    await expect.poll(() => ownedBy(page, adaId)).toEqual(created);
  }
  // The same player after the reload: the identity is kept in the browser.
  expect(await idOf(ada)).toBe(adaId);
  await attachScreenshot(bob, testInfo, "gate-after-reload");
});
