import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotSwarm, joinWorldBots, summarize, walkArea, type BotResult } from "@tessera/bots";
import { startTestRelay } from "./harness.ts";
import { defaultWorldConfig } from "@tessera/protocol";

type Relay = Awaited<ReturnType<typeof startTestRelay>>;

describe("bots against a real relay", () => {
  let relay: Relay;
  const swarm = new BotSwarm();
  let results: BotResult[];

  beforeAll(async () => {
    // An empty world: the demo plaza's crates and balls, pushed, are mispredicted by design (the
    // client leaves physical prims to the relay), which would blur what this measures.
    relay = await startTestRelay({}, []);
    const failures = await joinWorldBots(swarm, { endpoint: relay.url, count: 5, perSecond: 10, seed: 42 });
    expect(failures).toEqual([]);
    swarm.startMeasuring();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    results = swarm.results();
  }, 30_000);

  afterAll(async () => {
    await swarm.leave();
    await relay?.stop();
  });

  it("connects every bot under its name", () => {
    expect(results.map((result) => result.name).sort()).toEqual(["Bot-1", "Bot-2", "Bot-3", "Bot-4", "Bot-5"]);
  });

  it("moves every bot, inside the spawn tile", () => {
    const area = walkArea(defaultWorldConfig());
    for (const [i, bot] of swarm.bots.entries()) {
      expect(results[i]!.movedM, bot.name).toBeGreaterThan(1);
      const at = bot.link.position()!;
      // Waypoints lie in the area; an avatar heading for one stays within a stride of it.
      expect(at.x).toBeGreaterThan(area.minX - 6);
      expect(at.x).toBeLessThan(area.maxX + 6);
      expect(at.z).toBeGreaterThan(area.minZ - 6);
      expect(at.z).toBeLessThan(area.maxZ + 6);
    }
  });

  it("receives snapshots and counts bytes both ways", () => {
    for (const result of results) {
      // 15 snapshots a second for about 3 s.
      expect(result.snapshots, result.name).toBeGreaterThan(30);
      expect(result.bytesDown, result.name).toBeGreaterThan(0);
      expect(result.bytesUp, result.name).toBeGreaterThan(0);
      expect(result.kbpsDown, result.name).toBeGreaterThan(0);
    }
  });

  it("predicts its own avatar within a few centimetres", () => {
    const prediction = summarize(results).predictionP50Cm;
    expect(prediction?.bots).toBe(5);
    for (const result of results) expect(result.predictionP50Cm, result.name).toBeLessThan(5);
  });
});
