import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keys, TICK_RATE, defaultWorldConfig } from "@tessera/protocol";
import { WorldClient } from "@tessera/sdk";
import { AVATAR } from "@tessera/sim";
import type { Relay } from "../src/relay.ts";
import { every30Hz, startTestRelay, waitFor } from "./harness.ts";

/** The middle of tile_1_1, on an empty floor: 30 m of room to run either way without a handoff. */
const world = { ...defaultWorldConfig(), spawn: { x: 96, z: 96 } };
const RUN = Keys.Forward | Keys.Run;
const NORTH = 0;
const SOUTH = Math.PI;
/** The fastest catch-up may move an avatar: half again its run speed, m/s. */
const PACE = 1.5;
/** Snapshot positions are 1/128 m fixed point: two of them per measured span. */
const QUANTUM_M = 2 / 128;
/** Spans this many ticks or longer are measured: 0.2 s. */
const SPAN_TICKS = 6;

let relay: Relay;
beforeAll(async () => {
  relay = await startTestRelay({ world }, []);
});
afterAll(async () => {
  await relay.stop();
});

interface Sample {
  tick: number;
  x: number;
  z: number;
}

/** Writes down the relay's own-avatar block of each snapshot, by tick, until stopped. */
function record(client: WorldClient): { samples: Sample[]; stop: () => void } {
  const samples: Sample[] = [];
  const timer = setInterval(() => {
    const own = client.ownAvatar;
    if (own && own.tick !== samples.at(-1)?.tick) samples.push({ tick: own.tick, x: own.x, z: own.z });
  }, 4);
  return { samples, stop: () => clearInterval(timer) };
}

/**
 * The fastest horizontal speed between two snapshots at least {@link SPAN_TICKS} apart, m/s, and
 * how far the worst span went beyond what the pace allows: `ceil(PACE * ticks)` inputs at run speed
 * (a span of an odd number of ticks may hold half an input more than PACE times its length), plus
 * the position quantum. `excess` is at most 0 when the pace held everywhere.
 */
function fastest(samples: readonly Sample[]): { speed: number; excess: number; spans: number } {
  let speed = 0;
  let excess = -Infinity;
  let spans = 0;
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const ticks = samples[j]!.tick - samples[i]!.tick;
      if (ticks < SPAN_TICKS) continue;
      spans++;
      const distance = Math.hypot(samples[j]!.x - samples[i]!.x, samples[j]!.z - samples[i]!.z);
      speed = Math.max(speed, distance / (ticks / TICK_RATE));
      const allowed = (Math.ceil(PACE * ticks) * AVATAR.runSpeed) / TICK_RATE + QUANTUM_M;
      excess = Math.max(excess, distance - allowed);
    }
  }
  return { speed, excess, spans };
}

/** Waits until the relay has simulated everything it will: the acknowledged seq stays put for a while. */
async function settled(client: WorldClient): Promise<void> {
  let ack = -1;
  let since = performance.now();
  await waitFor("the relay to drain the queue", () => {
    const now = performance.now();
    if (client.ownAvatar?.ack !== ack) [ack, since] = [client.ownAvatar?.ack ?? -1, now];
    return now - since > 300;
  }, 6000);
}

async function landed(name: string): Promise<WorldClient> {
  const client = await WorldClient.connect({ endpoint: relay.url, name, predict: false });
  await waitFor("the avatar to land", () => client.ownAvatar && client.ownAvatar.flags & 1);
  // Standing for a second saves up a full second of catch-up credit.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return client;
}

describe("catch-up pace", () => {
  it("never moves a client sending at four times real time faster than half again its run speed", async () => {
    const client = await landed("Sprinter");
    const { samples, stop } = record(client);
    try {
      await every30Hz(2000, () => {
        for (let i = 0; i < 4; i++) client.sendInput(RUN, NORTH);
      });
      // Whatever was not refused as overflow is simulated, at real time once the credit is spent.
      await settled(client);
      stop();
      const { speed, excess, spans } = fastest(samples);
      expect(spans).toBeGreaterThan(20);
      expect(samples.at(-1)!.z - samples[0]!.z).toBeGreaterThan(AVATAR.runSpeed);
      expect(excess, `fastest ${speed.toFixed(2)} m/s; at most ${PACE * AVATAR.runSpeed} m/s allowed`).toBeLessThanOrEqual(0);
    } finally {
      stop();
      await client.leave();
    }
  }, 15_000);

  it("catches a client up on a stalled second at half again its run speed, every input in the end", async () => {
    const client = await landed("Staller");
    const { samples, stop } = record(client);
    try {
      let last = 0;
      await every30Hz(500, () => (last = client.sendInput(RUN, SOUTH)));
      // The page freezes for a second, then sends that second's inputs at once and carries on.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      for (let i = 0; i < TICK_RATE; i++) last = client.sendInput(RUN, SOUTH);
      await every30Hz(1000, () => (last = client.sendInput(RUN, SOUTH)));
      const sent = last;
      await waitFor("the relay to simulate every input", () => client.ownAvatar?.ack === sent, 5000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      stop();
      const { speed, excess, spans } = fastest(samples);
      expect(spans).toBeGreaterThan(20);
      expect(client.errors()).toEqual([]);
      expect(samples[0]!.z - samples.at(-1)!.z).toBeGreaterThan(2.5 * AVATAR.runSpeed * 0.9);
      expect(excess, `fastest ${speed.toFixed(2)} m/s; at most ${PACE * AVATAR.runSpeed} m/s allowed`).toBeLessThanOrEqual(0);
    } finally {
      stop();
      await client.leave();
    }
  }, 15_000);
});
