import type { Page, TestInfo } from "@playwright/test";
import { attachScreenshot, expect, idOf, removeOwned, test } from "./players.ts";

/** The prims a page draws that `owner` owns, by id. */
function ownedBy(page: Page, owner: string) {
  return page.evaluate((who) => window.__world.prims().filter((prim) => prim.owner === who).map((prim) => prim.id), owner);
}

const build = (page: Page) => page.evaluate(() => window.__world.build());

test("build mode: B opens the toolbar, the palette makes a prim in front of the avatar (or where it is dropped), Ctrl+Z and Ctrl+Y take it back and bring it again, Ctrl+C and Ctrl+V copy it into another tab", async ({ players }, testInfo) => {
  // Two tabs of one software-rendered browser: the second draws the textured world beside the first.
  test.setTimeout(180_000);
  const ada = await players.join("Ada");
  const adaId = await idOf(ada);
  // The page connected as Ada: the second tab once it takes over.
  const current = { page: ada };
  try {
    await buildAndUndo(ada, adaId, testInfo, current);
  } finally {
    await removeOwned(current.page, adaId);
  }
});

async function buildAndUndo(ada: Page, adaId: string, testInfo: TestInfo, current: { page: Page }): Promise<void> {
  await expect(ada.getByTestId("palette-box")).toHaveCount(0);

  await ada.keyboard.press("b");
  await expect.poll(async () => (await build(ada)).mode).toBe("build");
  await ada.keyboard.press("3");
  expect((await build(ada)).tool).toBe("rotate");
  await ada.getByTestId("tool-move").click();
  expect((await build(ada)).tool).toBe("move");

  await ada.getByTestId("palette-cylinder").click();
  await expect.poll(async () => (await build(ada)).selection).toHaveLength(1);
  const [made] = (await build(ada)).selection;
  await expect.poll(() => ownedBy(ada, adaId)).toEqual([made]);
  expect(await build(ada)).toMatchObject({ undoDepth: 1, redoDepth: 0 });
  const position = await ada.evaluate((id) => window.__world.prims().find((prim) => prim.id === id)!.position, made!);
  // Three metres ahead of the spawn point (128, 128), the camera looking along +z.
  expect(position[2]).toBeGreaterThan(130);
  await attachScreenshot(ada, testInfo, "palette");

  await ada.keyboard.press("Control+z");
  await expect.poll(() => ownedBy(ada, adaId)).toEqual([]);
  await expect.poll(async () => (await build(ada)).selection).toEqual([]);
  await ada.keyboard.press("Control+y");
  await expect.poll(() => ownedBy(ada, adaId)).toEqual([made]);
  expect(await build(ada)).toMatchObject({ undoDepth: 1, redoDepth: 0 });

  // A preset carried from the palette onto the scene is made where it is let go.
  const drop = { x: 420, y: 560 };
  await ada.getByTestId("palette-box").hover();
  await ada.mouse.down();
  await ada.mouse.move(drop.x, drop.y, { steps: 5 });
  await ada.mouse.up();
  await expect.poll(() => ownedBy(ada, adaId)).toHaveLength(2);
  const dropped = (await ownedBy(ada, adaId)).find((id) => id !== made)!;
  await expect.poll(() => ada.evaluate((id) => window.__world.screenPoint(id), dropped)).not.toBeNull();
  const [dx, dy] = (await ada.evaluate((id) => window.__world.screenPoint(id), dropped))!;
  expect(Math.hypot(dx - drop.x, dy - drop.y)).toBeLessThan(80);
  await ada.evaluate(async (id) => window.__world.edit([{ op: "delete", ids: [id] }]), dropped);
  await expect.poll(() => ownedBy(ada, adaId)).toEqual([made]);

  // Copy here, paste in another tab of the same browser, 800 x 600 (the same player: that tab's
  // connection takes over from this one's).
  await ada.keyboard.press("Control+c");
  await expect(ada.getByTestId("build-message")).toHaveText("nothing selected to copy");
  await expect.poll(() => ada.evaluate((id) => window.__world.screenPoint(id), made!)).not.toBeNull();
  const [x, y] = (await ada.evaluate((id) => window.__world.screenPoint(id), made!))!;
  await ada.mouse.click(x, y);
  await expect.poll(async () => (await build(ada)).selection).toEqual([made]);
  await ada.keyboard.press("Control+c");
  await expect(ada.getByTestId("build-message")).toHaveText("1 object(s) copied");
  const tab = await ada.context().newPage();
  await tab.setViewportSize({ width: 800, height: 600 });
  await tab.goto(ada.url());
  await tab.waitForFunction(() => window.__world.self() !== null && window.__world.connection().status === "connected");
  current.page = tab;
  expect(await idOf(tab)).toBe(adaId);
  // The tab taken over is paused, and stops drawing.
  await expect.poll(() => ada.evaluate(() => window.__world.connection().status)).toBe("replaced");
  await expect(ada.getByText(/this one is paused/)).toBeVisible();
  const frame = () => ada.evaluate(() => window.__world.self()?.frame);
  const pausedAt = await frame();
  await ada.waitForTimeout(1000);
  expect(await frame()).toBe(pausedAt);
  await tab.keyboard.press("b");
  await tab.mouse.move(400, 420);
  await tab.keyboard.press("Control+v");
  await expect.poll(() => ownedBy(tab, adaId)).toHaveLength(2);
  const pasted = (await ownedBy(tab, adaId)).filter((id) => id !== made);
  await expect.poll(async () => (await build(tab)).selection).toEqual(pasted);
  await expect(tab.getByTestId("build-panel")).toBeVisible();
  await expect(tab.getByTestId("build-rights")).toHaveText("You may build here");
  await attachScreenshot(tab, testInfo, "pasted-800x600");

  await ada.keyboard.press("b");
  await expect.poll(async () => (await build(ada)).mode).toBe("walk");
  await expect(ada.getByTestId("palette-box")).toHaveCount(0);
}
