import { describe, expect, it } from "vitest";
import { Keys, TICK_RATE } from "@tessera/protocol";
import { AVATAR } from "./constants.ts";
import { SimWorld, type AvatarBody } from "./world.ts";

const GRID = { minX: 0, minZ: 0, maxX: 128, maxZ: 128 };

async function worldWithAvatar(at = { x: 64, y: 0, z: 64 }): Promise<{ sim: SimWorld; avatar: AvatarBody }> {
  const sim = await SimWorld.create();
  sim.addTerrain(GRID);
  const avatar = sim.addAvatar(at);
  return { sim, avatar };
}

function run(sim: SimWorld, avatar: AvatarBody, ticks: number, keys: number, yaw = 0): void {
  for (let i = 0; i < ticks; i++) {
    sim.stepAvatar(avatar, keys, yaw);
    sim.step();
  }
}

describe("SimWorld avatar step", () => {
  it("settles on the ground and does not drift while idle", async () => {
    const { sim, avatar } = await worldWithAvatar({ x: 64, y: 0.5, z: 64 });
    run(sim, avatar, TICK_RATE, 0);
    expect(avatar.state.grounded).toBe(true);
    expect(avatar.state.y).toBeCloseTo(0, 1);
    const before = { ...avatar.state };
    run(sim, avatar, 10 * TICK_RATE, 0);
    expect(Math.hypot(avatar.state.x - before.x, avatar.state.z - before.z)).toBeLessThan(1e-3);
    expect(Math.abs(avatar.state.y - before.y)).toBeLessThan(1e-3);
  });

  it("never sinks through the ground from any start height inside the controller's skin", async () => {
    for (const walking of [0, Keys.Forward]) {
      for (const y of [0, 0.001, 0.005, 0.01, 0.015, 0.02]) {
        const { sim, avatar } = await worldWithAvatar({ x: 64, y, z: 64 });
        let lowest = y;
        for (let i = 0; i < 3 * TICK_RATE; i++) {
          run(sim, avatar, 1, walking);
          lowest = Math.min(lowest, avatar.state.y);
        }
        expect(lowest, `start ${y}, keys ${walking}`).toBeGreaterThan(-0.005);
        expect(avatar.state.grounded).toBe(true);
      }
    }
  });

  it("walks forward along the heading at walking speed, and runs faster", async () => {
    const { sim, avatar } = await worldWithAvatar();
    run(sim, avatar, 10, 0);
    const start = { ...avatar.state };
    run(sim, avatar, TICK_RATE, Keys.Forward, 0);
    expect(avatar.state.z - start.z).toBeCloseTo(AVATAR.walkSpeed, 1);
    expect(Math.abs(avatar.state.x - start.x)).toBeLessThan(0.01);
    const mid = { ...avatar.state };
    run(sim, avatar, TICK_RATE, Keys.Forward | Keys.Run, Math.PI / 2);
    expect(avatar.state.x - mid.x).toBeCloseTo(AVATAR.runSpeed, 1);
    expect(avatar.state.running).toBe(true);
    expect(avatar.state.facing).toBeCloseTo(Math.PI / 2, 5);
  });

  it("strafes right of the heading", async () => {
    const { sim, avatar } = await worldWithAvatar();
    run(sim, avatar, 10, 0);
    const start = { ...avatar.state };
    run(sim, avatar, TICK_RATE, Keys.Right, 0);
    // Facing +z, right is -x.
    expect(avatar.state.x - start.x).toBeCloseTo(-AVATAR.walkSpeed, 1);
  });

  it("jumps from the ground and lands again", async () => {
    const { sim, avatar } = await worldWithAvatar();
    run(sim, avatar, 10, 0);
    let peak = 0;
    sim.stepAvatar(avatar, Keys.Jump, 0);
    sim.step();
    for (let i = 0; i < 2 * TICK_RATE; i++) {
      run(sim, avatar, 1, 0);
      peak = Math.max(peak, avatar.state.y);
    }
    const expectedPeak = AVATAR.jumpSpeed ** 2 / (2 * AVATAR.gravity);
    expect(peak).toBeGreaterThan(expectedPeak * 0.8);
    expect(peak).toBeLessThan(expectedPeak * 1.1);
    expect(avatar.state.grounded).toBe(true);
    expect(avatar.state.y).toBeCloseTo(0, 1);
  });

  it("is stopped by a wall", async () => {
    const { sim, avatar } = await worldWithAvatar();
    sim.addStaticBox({ x: 64, y: 2, z: 68 }, { x: 5, y: 2, z: 0.5 });
    sim.refreshQueries();
    run(sim, avatar, 3 * TICK_RATE, Keys.Forward, 0);
    expect(avatar.state.z).toBeLessThan(68 - 0.5 - AVATAR.radius + 0.05);
    expect(avatar.state.z).toBeGreaterThan(66.5);
  });

  it("climbs a low step without jumping but not a high one", async () => {
    const { sim, avatar } = await worldWithAvatar();
    sim.addStaticBox({ x: 64, y: 0.15, z: 75 }, { x: 5, y: 0.15, z: 7 });
    sim.addStaticBox({ x: 80, y: 0.5, z: 75 }, { x: 5, y: 0.5, z: 7 });
    sim.refreshQueries();
    run(sim, avatar, 3 * TICK_RATE, Keys.Forward, 0);
    expect(avatar.state.y).toBeCloseTo(0.3, 1);
    const high = sim.addAvatar({ x: 80, y: 0, z: 64 });
    run(sim, high, 3 * TICK_RATE, Keys.Forward, 0);
    expect(high.state.y).toBeLessThan(0.05);
    expect(high.state.z).toBeLessThan(68);
  });

  it("follows stairs down without leaving the ground, and falls off a ledge", async () => {
    const { sim, avatar } = await worldWithAvatar({ x: 64, y: 2.6, z: 60.5 });
    // Ten 0.25 m steps going down along +z, then a 2 m ledge further on.
    for (let k = 0; k < 10; k++) sim.addStaticBox({ x: 64, y: (10 - k) * 0.125, z: 60.5 + k }, { x: 2, y: (10 - k) * 0.125, z: 0.5 });
    sim.refreshQueries();
    run(sim, avatar, 5, 0);
    let airborne = 0;
    for (let i = 0; i < 3 * TICK_RATE && avatar.state.z < 69.5; i++) {
      run(sim, avatar, 1, Keys.Forward, 0);
      if (!avatar.state.grounded) airborne++;
    }
    expect(airborne).toBe(0);
    expect(avatar.state.y).toBeLessThan(0.6);

    const ledge = sim.addAvatar({ x: 90, y: 2, z: 60 });
    sim.addStaticBox({ x: 90, y: 1, z: 60 }, { x: 1, y: 1, z: 1 });
    sim.refreshQueries();
    run(sim, ledge, 5, 0);
    expect(ledge.state.grounded).toBe(true);
    let fell = false;
    for (let i = 0; i < TICK_RATE; i++) {
      run(sim, ledge, 1, Keys.Forward, 0);
      if (!ledge.state.grounded && ledge.state.y < 1.9) fell = true;
    }
    expect(fell).toBe(true);
    expect(ledge.state.y).toBeLessThan(0.05);
  });

  it("is not lifted into a low ceiling it stands under", async () => {
    const { sim, avatar } = await worldWithAvatar();
    // Ceiling 5 cm above the head.
    sim.addStaticBox({ x: 64, y: AVATAR.height + 0.05 + 0.5, z: 64 }, { x: 3, y: 0.5, z: 3 });
    sim.refreshQueries();
    run(sim, avatar, 2 * TICK_RATE, 0);
    expect(avatar.state.y).toBeLessThan(0.05);
    expect(avatar.state.grounded).toBe(true);
    run(sim, avatar, TICK_RATE, Keys.Jump);
    expect(avatar.state.y).toBeLessThan(0.1);
  });

  it("finds the surface to stand on under a point", async () => {
    const { sim } = await worldWithAvatar();
    sim.addStaticBox({ x: 30, y: 4, z: 30 }, { x: 2, y: 1, z: 2 });
    sim.refreshQueries();
    expect(sim.surfaceHeightAt(30, 30)).toBeCloseTo(5, 5);
    expect(sim.surfaceHeightAt(40, 40)).toBeCloseTo(0, 5);
    expect(sim.surfaceHeightAt(30, 30, 2.5)).toBeCloseTo(0, 5);
  });

  it("cannot leave the grid", async () => {
    const { sim, avatar } = await worldWithAvatar({ x: 2, y: 0, z: 64 });
    run(sim, avatar, 2 * TICK_RATE, Keys.Forward | Keys.Run, -Math.PI / 2);
    expect(avatar.state.x).toBeGreaterThan(0);
  });

  it("avatars pass through each other", async () => {
    const { sim, avatar } = await worldWithAvatar();
    const other = sim.addAvatar({ x: 64, y: 0, z: 66 });
    run(sim, other, 5, 0);
    run(sim, avatar, 2 * TICK_RATE, Keys.Forward, 0);
    expect(avatar.state.z).toBeGreaterThan(68);
  });

  it("gives identical states for identical inputs (replay is exact)", async () => {
    const inputs = Array.from({ length: 300 }, (_, i) => ({
      keys: [Keys.Forward, Keys.Forward | Keys.Left, Keys.Jump | Keys.Forward, Keys.Right | Keys.Run, 0][i % 5]!,
      yaw: Math.sin(i / 17) * 3,
    }));
    const trace = async () => {
      const { sim, avatar } = await worldWithAvatar();
      sim.addStaticBox({ x: 60, y: 0.2, z: 66 }, { x: 2, y: 0.2, z: 2 });
      sim.refreshQueries();
      for (const input of inputs) {
        sim.stepAvatar(avatar, input.keys, input.yaw);
        sim.step();
      }
      return { ...avatar.state };
    };
    expect(await trace()).toEqual(await trace());
  });

  it("refreshing queries does not advance time", async () => {
    const { sim, avatar } = await worldWithAvatar({ x: 64, y: 5, z: 64 });
    sim.refreshQueries();
    sim.refreshQueries();
    expect(avatar.state.y).toBe(5);
    expect(sim.world.timestep).toBeCloseTo(1 / TICK_RATE, 6);
  });
});

describe("standAvatar", () => {
  it("stands a new avatar on the surface exactly as it would settle there", async () => {
    const sim = await SimWorld.create();
    sim.addTerrain(GRID);
    sim.addStaticBox({ x: 64, y: 0.06, z: 64 }, { x: 4, y: 0.06, z: 4 });
    sim.refreshQueries();
    const standing = sim.standAvatar(64, 64);
    expect(standing.state.grounded).toBe(true);
    const start = { ...standing.state };
    for (let i = 0; i < 10; i++) sim.stepAvatar(standing, 0, 0);
    // The ground probe's own precision: micrometres.
    expect(Math.abs(standing.state.y - start.y)).toBeLessThan(1e-4);
    expect(standing.state.grounded).toBe(true);
    expect(standing.state.y).toBeCloseTo(0.12 + 0.02, 5);
  });
});
