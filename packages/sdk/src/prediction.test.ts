import { describe, expect, it } from "vitest";
import { makePrim, presetShape, seededRandom, type Prim } from "@tessera/prims";
import {
  Keys,
  MAX_INPUT_TICKS,
  MotionFlags,
  SNAPSHOT_RATE,
  TICK_RATE,
  decodeSnapshot,
  defaultWorldConfig,
  encodeSnapshot,
  gridBounds,
  type InputMessage,
  type TickInput,
} from "@tessera/protocol";
import { SimWorld } from "@tessera/sim";
import { OwnPrediction, stateFromSnapshot } from "./own-prediction.ts";
import { PredictionWorld } from "./prediction-world.ts";
import { PrimSet } from "./prim-set.ts";

const world = defaultWorldConfig();
const TICK_MS = 1000 / TICK_RATE;

/** Steps, a wall and a low box near the spawn point: things that make prediction interesting. */
const obstacles: Prim[] = [
  ...Array.from({ length: 6 }, (_, k) =>
    makePrim(k + 1, presetShape("box"), { x: 131, y: ((k + 1) * 0.2) / 2, z: 131 + k * 0.5 }, { scale: { x: 3, y: (k + 1) * 0.2, z: 0.5 } }),
  ),
  makePrim(10, presetShape("box"), { x: 126, y: 1.5, z: 136 }, { scale: { x: 4, y: 3, z: 0.4 } }),
  makePrim(11, presetShape("cylinder"), { x: 124, y: 0.2, z: 131 }, { scale: { x: 2, y: 0.4, z: 2 } }),
];

/** A virtual clock with timed events, so that a minute of play runs in a moment and the same way every time. */
class Events {
  now = 0;
  private queue: { at: number; run: () => void }[] = [];
  at(time: number, run: () => void): void {
    this.queue.push({ at: time, run });
  }
  runUntil(end: number): void {
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (!next || next.at > end) return;
      this.queue.shift();
      this.now = next.at;
      next.run();
    }
  }
}

/** One direction of a bad network: `delay` +- `jitter` ms, a fraction `loss` of messages dropped. */
function link(events: Events, random: () => number, delay: number, jitter: number, loss: number) {
  return (deliver: () => void) => {
    if (random() < loss) return;
    events.at(events.now + delay + (random() * 2 - 1) * jitter, deliver);
  };
}

/**
 * Plays `seconds` of a scripted walk (turning, running, jumping onto steps and into a wall) with the
 * client predicting and a relay that works like the real one: the same step, inputs taken in seq order
 * (two a tick when behind), snapshots through the real codec every other tick.
 */
async function play(seconds: number, network: { delay: number; jitter: number; loss: number }) {
  const random = seededRandom(11);
  const events = new Events();
  const up = link(events, random, network.delay, network.jitter, network.loss);
  const down = link(events, random, network.delay, network.jitter, network.loss);

  const relay = await SimWorld.create();
  relay.addTerrain(gridBounds(world.grid, world.tileSize));
  for (const prim of obstacles) relay.addLinkset(prim);
  relay.refreshQueries();
  const avatar = relay.addAvatar({ x: world.spawn.x, y: 0, z: world.spawn.z });
  const queue: { seq: number; keys: number; yaw: number }[] = [];
  let lastSeq = 0;
  let acked = 0;
  let travelled = 0;

  const prims = new PrimSet();
  prims.put(obstacles);
  const client = await PredictionWorld.create(world, prims);
  const prediction = new OwnPrediction(client.sim, 0);
  const recent: TickInput[] = [];
  let seq = 0;

  // The relay: 30 Hz, its own phase.
  for (let tick = 1; tick <= seconds * TICK_RATE; tick++) {
    events.at(tick * TICK_MS + 7, () => {
      const budget = queue.length > 4 ? 2 : 1;
      for (let i = 0; i < budget && queue.length > 0; i++) {
        const input = queue.shift()!;
        const { x, y, z } = avatar.state;
        relay.stepAvatar(avatar, input.keys, input.yaw);
        travelled += Math.hypot(avatar.state.x - x, avatar.state.y - y, avatar.state.z - z);
        acked = input.seq;
      }
      relay.step();
      if (tick % (TICK_RATE / SNAPSHOT_RATE) !== 0) return;
      const s = avatar.state;
      const flags = (s.grounded ? MotionFlags.Grounded : 0) | (s.running ? MotionFlags.Running : 0);
      const bytes = encodeSnapshot({ tick, ack: acked, originX: 160, originZ: 160, own: { x: s.x, y: s.y, z: s.z, vy: s.vy, yaw: s.facing, flags }, entities: [], bodies: [] });
      down(() => {
        const snapshot = decodeSnapshot(bytes);
        prediction.reconcile(snapshot.ack, stateFromSnapshot(snapshot.own!), events.now);
      });
    });
  }
  // The client: 30 Hz too, a scripted walk; each message repeats the ticks before it.
  for (let tick = 1; tick <= seconds * TICK_RATE; tick++) {
    events.at(tick * TICK_MS, () => {
      const phase = Math.floor(tick / 45) % 6;
      const keys = [Keys.Forward, Keys.Forward | Keys.Run, Keys.Forward | Keys.Jump, Keys.Left, Keys.Back | Keys.Right, 0][phase]!;
      const yaw = Math.sin(tick / 70) * 2.5;
      seq++;
      recent.push([keys, yaw]);
      if (recent.length > MAX_INPUT_TICKS) recent.shift();
      prediction.step(seq, keys, yaw, events.now);
      const message: InputMessage = { seq, ticks: [...recent] };
      up(() => {
        if (message.seq <= lastSeq) return;
        message.ticks.forEach(([k, y], i) => {
          const s = message.seq - message.ticks.length + 1 + i;
          if (s <= lastSeq) return;
          queue.push({ seq: s, keys: k, yaw: y });
          lastSeq = s;
        });
      });
    });
  }
  events.runUntil(seconds * 1000 + 1000);
  return { prediction, travelled, relayState: { ...avatar.state } };
}

describe("own avatar prediction", () => {
  it("stays within 1 cm of the relay at every acknowledgement over a slow, jittery, lossy link", async () => {
    const { prediction, travelled } = await play(40, { delay: 75, jitter: 20, loss: 0.05 });
    expect(travelled).toBeGreaterThan(100);
    expect(prediction.errors.size).toBeGreaterThan(400);
    expect(prediction.errors.percentile(100)).toBeLessThan(0.01);
  });

  it("agrees with the relay exactly once the inputs stop", async () => {
    const { prediction, relayState } = await play(8, { delay: 150, jitter: 0, loss: 0 });
    const predicted = prediction.state!;
    // The snapshot carries f32 positions: the prediction was reset from those.
    expect(Math.abs(predicted.x - relayState.x)).toBeLessThan(1e-4);
    expect(Math.abs(predicted.z - relayState.z)).toBeLessThan(1e-4);
    expect(predicted.grounded).toBe(relayState.grounded);
  });

  it("fades a correction out over about 100 ms instead of jumping", async () => {
    const sim = await SimWorld.create();
    sim.addTerrain(gridBounds(world.grid, world.tileSize));
    const prediction = new OwnPrediction(sim, 0);
    const start = { x: 100, y: 0, z: 100, vy: 0, facing: 0, grounded: true, running: false };
    prediction.reconcile(0, start, 0);
    for (let seq = 1; seq <= 10; seq++) prediction.step(seq, Keys.Forward, 0, seq * TICK_MS);
    const before = prediction.shown(10 * TICK_MS, { x: 0, y: 0, z: 0 });
    // The relay says the avatar is half a metre to the side of where the prediction had it.
    prediction.reconcile(10, { ...prediction.state!, x: prediction.state!.x + 0.5 }, 10 * TICK_MS);
    const at = (ms: number) => prediction.shown(10 * TICK_MS + ms, { x: 0, y: 0, z: 0 }).x - before.x;
    expect(at(0)).toBeCloseTo(0, 6);
    expect(at(40)).toBeGreaterThan(0.2);
    expect(at(40)).toBeLessThan(0.4);
    expect(at(150)).toBeCloseTo(0.5, 1);
    expect(prediction.corrections.total(1000)).toBe(1);
  });

  it("snaps a correction of more than 2 m", async () => {
    const sim = await SimWorld.create();
    sim.addTerrain(gridBounds(world.grid, world.tileSize));
    const prediction = new OwnPrediction(sim, 0);
    prediction.reconcile(0, { x: 100, y: 0, z: 100, vy: 0, facing: 0, grounded: true, running: false }, 0);
    prediction.step(1, 0, 0, TICK_MS);
    prediction.reconcile(1, { x: 110, y: 0, z: 100, vy: 0, facing: 0, grounded: true, running: false }, TICK_MS);
    expect(prediction.shown(TICK_MS, { x: 0, y: 0, z: 0 }).x).toBeCloseTo(110, 3);
  });
});

describe("prediction world", () => {
  it("holds the fixed prims it is given and leaves out physical ones", async () => {
    const prims = new PrimSet();
    const wall = makePrim(1, presetShape("box"), { x: 100, y: 1.5, z: 104 }, { scale: { x: 6, y: 3, z: 0.4 } });
    const crate = makePrim(2, presetShape("box"), { x: 100, y: 0.4, z: 96 }, { physical: true, scale: { x: 0.8, y: 0.8, z: 0.8 } });
    const predicted = await PredictionWorld.create(world, prims);
    prims.put([wall, crate]);
    expect(predicted.pump(Infinity)).toBe(true);
    const walker = predicted.sim.addAvatar({ x: 100, y: 0, z: 100 });
    for (let i = 0; i < 60; i++) predicted.sim.stepAvatar(walker, Keys.Forward, 0);
    expect(walker.state.z).toBeLessThan(104 - 0.2 - 0.3);
    // Through the crate: the relay decides where physical prims go.
    for (let i = 0; i < 90; i++) predicted.sim.stepAvatar(walker, Keys.Back, 0);
    expect(walker.state.z).toBeLessThan(96);
    // Taking the wall away opens the way.
    prims.remove([wall.id, crate.id]);
    predicted.pump(Infinity);
    for (let i = 0; i < 120; i++) predicted.sim.stepAvatar(walker, Keys.Forward, 0);
    expect(walker.state.z).toBeGreaterThan(104);
    predicted.dispose();
  });

  it("builds what arrives in slices, in id order, and knows when the world around a point is complete", async () => {
    const prims = new PrimSet();
    const predicted = await PredictionWorld.create(world, prims);
    // Forty platforms 1 m high along x; the lowest ids furthest from the avatar (at x = 100).
    prims.put(Array.from({ length: 40 }, (_, i) => makePrim(i + 1, presetShape("box"), { x: 100 + (40 - i) * 3, y: 0.5, z: 100 }, { scale: { x: 2, y: 1, z: 2 } })));
    const near = { x: 100, z: 100 };
    // No time at all still builds one: the lowest id, as the relay built its tile.
    expect(predicted.pump(0)).toBe(false);
    expect(predicted.sim.surfaceHeightAt(100 + 40 * 3, 100)).toBeCloseTo(1, 5);
    expect(predicted.sim.surfaceHeightAt(103, 100)).toBe(0);
    expect(predicted.settledNear(near, 10)).toBe(false);
    expect(predicted.settledNear({ x: 100 + 40 * 3, z: 100 }, 2)).toBe(true);
    while (!predicted.pump(0));
    expect(predicted.sim.surfaceHeightAt(103, 100)).toBeCloseTo(1, 5);
    expect(predicted.settledNear(near, 1000)).toBe(true);
    predicted.dispose();
  });
});
