import { AVATAR } from "@tessera/sim/constants";
import { attachScreenshot, expect, idOf, seenPosition, selfOf, test, warmedUp } from "./players.ts";

test("with 200 ms of lag, a key press moves the own avatar in the very next frame", async ({ players }, testInfo) => {
  const page = await players.join("Laggy", { query: "lag=200&jitter=20" });
  // Let the avatar land, and the page build its world, first.
  await warmedUp(page);
  const { before, after } = await page.evaluate(async () => {
    const before = window.__world.self()!;
    window.dispatchEvent(new KeyboardEvent("keydown", { code: "KeyW" }));
    const after = await new Promise<NonNullable<ReturnType<typeof window.__world.self>>>((resolve) => {
      const check = () => {
        const self = window.__world.self()!;
        if (self.frame > before.frame) resolve(self);
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    });
    window.dispatchEvent(new KeyboardEvent("keyup", { code: "KeyW" }));
    return { before, after };
  });
  expect(after.frame).toBe(before.frame + 1);
  // Forward is +z (the camera starts looking along it).
  expect(after.position[2] - before.position[2]).toBeGreaterThan(0.01);
  // The first ping goes out on joining; its answer comes back through the simulated lag.
  await expect.poll(() => page.evaluate(() => window.__world.net()!.rttMs)).toBeGreaterThan(350);
  await page.keyboard.press("F3");
  await expect(page.getByTestId("net-panel")).toContainText("pred. error");
  await attachScreenshot(page, testInfo, "net-panel");
});

test("a second player sees a lagging walker move smoothly", async ({ players }) => {
  // Small windows: software rendering then keeps up a frame rate worth judging smoothness by.
  const small = { width: 400, height: 240 };
  const walker = await players.join("Walker", { query: "lag=200&jitter=30&view=16", viewport: small });
  const watcher = await players.join("Watcher", { query: "lag=100&jitter=30&loss=0.02&view=16", viewport: small });
  const walkerId = await idOf(walker);
  await expect.poll(() => seenPosition(watcher, walkerId)).toBeDefined();
  await Promise.all([warmedUp(walker), warmedUp(watcher)]);
  // The watcher writes down where it shows the walker, every frame, and when it worked it out, while the walker walks.
  await watcher.evaluate((id) => {
    const samples: [number, number][] = [];
    (window as unknown as { samples: typeof samples }).samples = samples;
    const record = () => {
      const shownAt = window.__world.self()?.shownAt;
      const walker = window.__world.avatars().find((a) => a.id === id);
      if (walker && shownAt !== undefined && shownAt !== samples.at(-1)?.[0]) samples.push([shownAt, walker.position[2]]);
      if (samples.length < 100_000) requestAnimationFrame(record);
    };
    requestAnimationFrame(record);
  }, walkerId);
  await walker.locator("canvas").click();
  const from = (await selfOf(walker))!.position[2];
  await walker.keyboard.down("KeyW");
  await walker.waitForTimeout(3000);
  await walker.keyboard.up("KeyW");
  // The watcher ends up where the walker stopped. Its link drops snapshots: the last one may come
  // with the relay's refresh of unchanged avatars, a couple of seconds later.
  await walker.waitForTimeout(500);
  const stopped = (await selfOf(walker))!.position[2];
  await expect.poll(async () => Math.abs((await seenPosition(watcher, walkerId))![2] - stopped), { timeout: 8_000 }).toBeLessThan(0.05);
  const walked = stopped - from;
  const samples = await watcher.evaluate(() => (window as unknown as { samples: [number, number][] }).samples);
  const start = samples[0]![1];
  const end = samples.at(-1)![1];
  // Software rendering drops frames, and with them inputs: judge the watcher by how far the walker went.
  expect(walked).toBeGreaterThan(2);
  // While it walks (away from where it starts and stops), every frame moves it forward: never
  // backwards, never a jump (the relay catching up on late inputs may run it at up to twice its pace),
  // (almost) never a stall.
  const walking = samples.filter(([, z]) => z > start + 0.5 && z < end - 0.5);
  expect(walking.length).toBeGreaterThan(5);
  let stalls = 0;
  for (let i = 1; i < walking.length; i++) {
    const [t0, z0] = walking[i - 1]!;
    const [t1, z1] = walking[i]!;
    expect(z1).toBeGreaterThanOrEqual(z0 - 1e-3);
    expect((z1 - z0) / ((t1 - t0) / 1000)).toBeLessThan(AVATAR.walkSpeed * 2.5);
    if (z1 - z0 < 1e-4) stalls++;
  }
  expect(stalls / walking.length).toBeLessThan(0.1);
});
