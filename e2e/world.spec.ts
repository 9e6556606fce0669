import { attachScreenshot, expect, idOf, seenPosition, selfOf, test } from "./players.ts";
import { cuttableLink } from "./network-cut.ts";

test("two players join and see each other, and the scene renders", async ({ players }, testInfo) => {
  const ada = await players.join("Ada");
  const bob = await players.join("Bob");
  await expect.poll(async () => seenPosition(ada, await idOf(bob))).toBeDefined();
  await expect.poll(async () => seenPosition(bob, await idOf(ada))).toBeDefined();
  expect(await bob.evaluate(() => window.__world.avatars().map((a) => a.name))).toContain("Ada");

  const self = await selfOf(ada);
  expect(self).toMatchObject({ name: "Ada", tile: [2, 2] });
  expect(self!.id).toMatch(/^[A-Za-z0-9_-]{12}$/);
  for (const page of [ada, bob]) {
    const info = await page.evaluate(() => window.__world.renderer());
    expect(info.calls).toBeGreaterThan(0);
    expect(info.triangles).toBeGreaterThan(0);
    await expect(page.getByTestId("hud")).toContainText("connected");
  }
  await expect(ada.getByTestId("hud-tile")).toHaveText("2, 2");
  await attachScreenshot(ada, testInfo, "ada");
  await attachScreenshot(bob, testInfo, "bob");
});

test("a player walks forward with the keyboard and another sees it move", async ({ players }, testInfo) => {
  const walker = await players.join("Walker");
  const watcher = await players.join("Watcher");
  const walkerId = await idOf(walker);
  await expect.poll(() => seenPosition(watcher, walkerId)).toBeDefined();
  const start = (await seenPosition(watcher, walkerId))!;

  await walker.locator("canvas").click();
  await walker.keyboard.down("KeyW");
  await walker.waitForTimeout(2000);
  await walker.keyboard.up("KeyW");

  // The camera starts looking along +z, so forward is +z.
  await expect.poll(async () => (await seenPosition(watcher, walkerId))![2] - start[2]).toBeGreaterThan(3);
  // Once the walker stops, the watcher sees it where it sees itself.
  await expect
    .poll(async () => Math.abs((await seenPosition(watcher, walkerId))![2] - (await selfOf(walker))!.position[2]))
    .toBeLessThan(0.05);
  expect(Math.abs((await seenPosition(watcher, walkerId))![0] - start[0])).toBeLessThan(0.5);
  await attachScreenshot(watcher, testInfo, "watcher");
});

test("a closed tab leaves the world at once", async ({ players }) => {
  const stayer = await players.join("Stayer");
  const leaver = await players.join("Leaver");
  const leaverId = await idOf(leaver);
  await expect.poll(() => seenPosition(stayer, leaverId)).toBeDefined();
  await leaver.close();
  // Well inside the 20 s a dropped connection is waited for.
  await expect.poll(() => seenPosition(stayer, leaverId), { timeout: 8_000 }).toBeUndefined();
});

test("a dropped connection shows a banner and reconnects to the same avatar", async ({ players, baseURL }, testInfo) => {
  const link = await cuttableLink(Number(new URL(baseURL!).port));
  try {
    const page = await players.join("Flaky", { origin: link.url });
    const before = (await selfOf(page))!;
    link.cut();
    await expect(page.getByRole("status")).toContainText("Reconnecting");
    await attachScreenshot(page, testInfo, "reconnecting");
    await expect.poll(() => page.evaluate(() => window.__world.connection().status)).toBe("connected");
    await expect(page.getByRole("status")).toHaveCount(0);
    const after = (await selfOf(page))!;
    expect(after.id).toBe(before.id);
    expect(Math.hypot(after.position[0] - before.position[0], after.position[2] - before.position[2])).toBeLessThan(0.5);
  } finally {
    await link.close();
  }
});

test("while the relay is away the page says so and keeps trying, then is back where it stood", async ({ players, baseURL }, testInfo) => {
  const link = await cuttableLink(Number(new URL(baseURL!).port));
  try {
    const page = await players.join("Patient", { origin: link.url });
    const before = (await selfOf(page))!;
    link.drop();
    await expect.poll(() => page.evaluate(() => window.__world.connection().attempts ?? 0), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    const away = await page.evaluate(() => window.__world.connection());
    expect(away).toMatchObject({ status: "reconnecting", lastError: expect.stringMatching(/does not answer/) });
    await expect(page.getByRole("status")).toContainText(/Connection lost \d+ s ago\. Reconnecting… \(attempt \d+: the relay does not answer/);
    await attachScreenshot(page, testInfo, "away");
    link.restore();
    await expect.poll(() => page.evaluate(() => window.__world.connection().status)).toBe("connected");
    const after = (await selfOf(page))!;
    expect(after.id).toBe(before.id);
    expect(Math.hypot(after.position[0] - before.position[0], after.position[2] - before.position[2])).toBeLessThan(0.5);
  } finally {
    await link.close();
  }
});

test("an invalid ?name= is ignored with a notice", async ({ page }) => {
  await page.goto("/?name=%3Cscript%3E");
  await expect(page.getByRole("alert")).toContainText("?name= ignored");
  await page.waitForFunction(() => window.__world.self() !== null);
  expect((await selfOf(page))!.name).toMatch(/^[A-Za-z]+\d+$/);
});

test("the QA hook cannot be replaced or changed", async ({ page }) => {
  await page.goto("/");
  const result = await page.evaluate(() => {
    const original = window.__world;
    try {
      (window as unknown as { __world: unknown }).__world = {};
    } catch {
      // strict-mode assignment throws; either way nothing changes
    }
    return { same: window.__world === original, frozen: Object.isFrozen(window.__world) };
  });
  expect(result).toEqual({ same: true, frozen: true });
});
