import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_FAILURES, TexturePlanner, type TextureJob } from "./texture-planner.ts";
import { COMPRESSED_TIERS, FLOOR_TIER, TEXTURE_TIERS, compressedTierBytes, tierBytes, type TextureTier } from "./tiers.ts";

const FLOOR = tierBytes(FLOOR_TIER);
const LARGE = 1e12;

/** A planner with room for everything unless told, and a helper that loads whatever it starts. */
function planner(budgetBytes = LARGE, concurrency = 8, retryAfterPasses?: number) {
  return new TexturePlanner({ budgetBytes, concurrency, ...(retryAfterPasses === undefined ? {} : { retryAfterPasses }) });
}

/** Plans and loads everything started, until nothing more starts (failing, not hanging, if that never happens). */
function settle(p: TexturePlanner): void {
  for (let round = 0; round < 50; round++) {
    const { start } = p.plan();
    if (start.length === 0) return;
    for (const job of start) p.loaded(job);
  }
  throw new Error("the planner keeps starting fetches: textures are evicting each other");
}

/** One pass in which each face is `[id, tier, priority, visible]`. */
function pass(p: TexturePlanner, faces: [string, TextureTier, number, boolean][]): void {
  p.beginPass();
  for (const [id, tier, priority, visible] of faces) p.see(id, tier, priority, visible);
}

describe("texture planner: order", () => {
  it("fetches visible textures first, then the larger on screen", () => {
    const p = planner();
    pass(p, [
      ["far", 128, 10, true],
      ["behind", 1024, 5000, false],
      ["near", 512, 300, true],
    ]);
    expect(p.plan().start.map((job) => job.id)).toEqual(["near", "far", "behind"]);
  });

  it("fetches the floor tier first, then straight the tier wanted, and blank faces before blurry ones", () => {
    const p = planner();
    pass(p, [["wall", 1024, 800, true]]);
    const first = p.plan().start;
    expect(first).toEqual([{ id: "wall", tier: FLOOR_TIER }]);
    p.loaded(first[0]!);
    pass(p, [
      ["wall", 1024, 800, true],
      ["speck", 128, 3, true],
    ]);
    expect(p.plan().start).toEqual([
      { id: "speck", tier: FLOOR_TIER },
      { id: "wall", tier: 1024 },
    ]);
  });

  it("keeps the largest want and priority of a pass, and counts a texture visible if any face is", () => {
    const p = planner();
    pass(p, [
      ["a", 128, 50, false],
      ["a", 1024, 20, true],
      ["a", 512, 10, false],
      ["b", 1024, 40, true],
    ]);
    const first = p.plan().start;
    expect(first.map((job) => job.id)).toEqual(["a", "b"]);
    first.forEach((job) => p.loaded(job));
    settle(p);
    expect(p.resident("a")).toBe(1024);
  });

  it("does not fetch textures no face showed in the current pass", () => {
    const p = planner();
    pass(p, [["gone", 512, 100, true]]);
    pass(p, [["here", 512, 10, false]]);
    expect(p.plan().start.map((job) => job.id)).toEqual(["here"]);
  });

  it("starts no more than the concurrency allows, counting fetches in flight", () => {
    const p = planner(LARGE, 2);
    pass(
      p,
      ["a", "b", "c", "d", "e"].map((id, k) => [id, 128, 100 - k, true]),
    );
    const first = p.plan().start;
    expect(first.map((job) => job.id)).toEqual(["a", "b"]);
    expect(p.plan().start).toEqual([]);
    p.loaded(first[0]!);
    expect(p.plan().start.map((job) => job.id)).toEqual(["c"]);
  });
});

describe("texture planner: memory", () => {
  it("cuts the least recently seen texture down to the floor tier to make room", () => {
    const p = planner(tierBytes(1024) + 2 * FLOOR);
    pass(p, [["old", 1024, 100, true]]);
    settle(p);
    expect(p.resident("old")).toBe(1024);
    pass(p, [["new", 1024, 50, true]]);
    for (const job of p.plan().start) p.loaded(job);
    const plan = p.plan();
    expect(plan.drop).toEqual([{ id: "old", tier: FLOOR_TIER }]);
    expect(plan.start).toEqual([{ id: "new", tier: 1024 }]);
    expect(p.stats.usedBytes).toBe(tierBytes(1024) + 2 * FLOOR);
  });

  it("counts a tier at the bytes it took on the GPU: compressed tiers leave room for more", () => {
    const p = planner(tierBytes(1024) + 2 * FLOOR);
    pass(p, [["old", 1024, 100, true]]);
    for (let round = 0; round < 2; round++) for (const job of p.plan().start) p.loaded(job, job.tier === 1024 ? compressedTierBytes(1024) : tierBytes(job.tier));
    expect(p.stats.usedBytes).toBe(FLOOR + compressedTierBytes(1024));
    // Had "old" come as RGBA8, "new" would only fit by cutting "old" down to its floor.
    pass(p, [
      ["old", 1024, 100, true],
      ["new", 512, 50, true],
    ]);
    for (const job of p.plan().start) p.loaded(job);
    const plan = p.plan();
    expect(plan.drop).toEqual([]);
    expect(plan.start).toEqual([{ id: "new", tier: 512 }]);
    p.loaded({ id: "new", tier: 512 }, compressedTierBytes(512));
    expect(p.stats.usedBytes).toBe(2 * FLOOR + compressedTierBytes(1024) + compressedTierBytes(512));
    expect(() => p.loaded({ id: "new", tier: 512 }, tierBytes(512) + 1)).toThrow(RangeError);
  });

  it("drops older sightings first, then among equals the lower priority", () => {
    // Room for 1024 and one 512 above the floors (a texture holding a better tier keeps its floor too).
    const p = planner(tierBytes(1024) + tierBytes(512) + 4 * FLOOR);
    pass(p, [
      ["oldest", 512, 900, true],
      ["older-big", 512, 80, true],
    ]);
    settle(p);
    pass(p, [
      ["older-big", 512, 80, true],
      ["older-small", 512, 20, true],
    ]);
    settle(p);
    pass(p, [["new", 1024, 10, true]]);
    for (const job of p.plan().start) p.loaded(job);
    const plan = p.plan();
    // 1024 needs two 512s cut down: the one seen longest ago, then the lower priority of the next pass.
    expect(plan.drop).toEqual([
      { id: "oldest", tier: FLOOR_TIER },
      { id: "older-small", tier: FLOOR_TIER },
    ]);
    expect(plan.start).toEqual([{ id: "new", tier: 1024 }]);
  });

  it("drops a texture holding only its floor tier entirely, if no face showed it this pass", () => {
    const p = planner(2 * FLOOR);
    pass(p, [
      ["a", 128, 10, true],
      ["b", 128, 20, true],
    ]);
    p.plan().start.forEach((job) => p.loaded(job));
    pass(p, [
      ["b", 128, 20, true],
      ["c", 128, 5, true],
    ]);
    const plan = p.plan();
    expect(plan.drop).toEqual([{ id: "a", tier: 0 }]);
    expect(plan.start).toEqual([{ id: "c", tier: FLOOR_TIER }]);
    expect(p.resident("a")).toBe(0);
    expect(p.stats.textures).toBe(2);
  });

  it("never drops a texture shown now that matters as much as the fetch: visible over not, then priority", () => {
    const p = planner(tierBytes(1024) + 4 * FLOOR);
    pass(p, [
      ["big", 1024, 100, true],
      ["peer", 128, 100, true],
      ["hidden", 1024, 5000, false],
    ]);
    settle(p);
    expect(p.resident("big")).toBe(1024);
    expect(p.resident("hidden")).toBe(FLOOR_TIER);
    // A face of the same priority cannot push "big" out, nor can a larger one out of view.
    pass(p, [
      ["big", 1024, 100, true],
      ["peer", 1024, 100, true],
      ["hidden", 1024, 5000, false],
    ]);
    const plan = p.plan();
    expect(plan.drop).toEqual([]);
    expect(plan.start).toEqual([]);
    // A larger visible one can: "big" keeps its floor tier since it is still in view.
    pass(p, [
      ["big", 1024, 100, true],
      ["peer", 1024, 101, true],
    ]);
    expect(p.plan()).toEqual({ start: [{ id: "peer", tier: 1024 }], drop: [{ id: "big", tier: FLOOR_TIER }] });
  });

  it("fetches the highest lower tier that fits when the wanted one cannot, or nothing", () => {
    const p = planner(FLOOR + tierBytes(512) + 1000);
    pass(p, [["wall", 1024, 100, true]]);
    settle(p);
    expect(p.resident("wall")).toBe(512);
    const tight = planner(FLOOR + 1000);
    pass(tight, [["wall", 1024, 100, true]]);
    settle(tight);
    expect(tight.resident("wall")).toBe(FLOOR_TIER);
    expect(tight.stats.queued).toBe(1);
  });

  it("keeps a tier larger than now wanted until memory is needed", () => {
    const p = planner(tierBytes(1024) + 2 * FLOOR);
    pass(p, [["wall", 1024, 500, true]]);
    settle(p);
    pass(p, [["wall", 128, 20, true]]);
    expect(p.plan()).toEqual({ start: [], drop: [] });
    expect(p.resident("wall")).toBe(1024);
    pass(p, [
      ["wall", 128, 20, true],
      ["door", 512, 30, true],
    ]);
    settle(p);
    expect(p.resident("wall")).toBe(128);
    expect(p.resident("door")).toBe(512);
  });
});

describe("texture planner: failures", () => {
  it("waits retryAfterPasses passes after a failure, and gives up after three", () => {
    const p = planner(LARGE, 4, 3);
    const faces: [string, TextureTier, number, boolean][] = [["broken", 512, 100, true]];
    for (let failure = 1; failure <= MAX_FAILURES; failure++) {
      pass(p, faces);
      const [job] = p.plan().start;
      expect(job).toEqual({ id: "broken", tier: FLOOR_TIER });
      p.failed(job!);
      for (let wait = 1; wait < 3; wait++) {
        expect(p.plan().start).toEqual([]);
        pass(p, faces);
      }
      expect(p.plan().start).toEqual([]);
    }
    for (let later = 0; later < 100; later++) {
      pass(p, faces);
      expect(p.plan().start).toEqual([]);
    }
    expect(p.stats).toMatchObject({ queued: 0, inFlight: 0, usedBytes: 0 });
  });

  it("counts failures in a row: a load starts the count over", () => {
    const p = planner(LARGE, 4, 0);
    const faces: [string, TextureTier, number, boolean][] = [["flaky", 1024, 100, true]];
    for (let failure = 1; failure < MAX_FAILURES; failure++) {
      pass(p, faces);
      p.failed(p.plan().start[0]!);
    }
    pass(p, faces);
    p.loaded(p.plan().start[0]!);
    pass(p, faces);
    expect(p.plan().start).toEqual([{ id: "flaky", tier: 1024 }]);
  });

  it("ignores the end of a fetch it did not start", () => {
    const p = planner();
    p.loaded({ id: "stray", tier: 512 });
    p.failed({ id: "stray", tier: 512 });
    expect(p.stats).toMatchObject({ usedBytes: 0, inFlight: 0, textures: 0 });
  });
});

describe("texture planner: stats", () => {
  it("counts memory with fetches in flight, tiers held, queued and in flight", () => {
    const p = planner(LARGE, 1);
    pass(p, [
      ["a", 512, 100, true],
      ["b", 128, 50, true],
      ["c", 32, 10, false],
    ]);
    const [first] = p.plan().start;
    expect(p.stats).toEqual({ usedBytes: FLOOR, budgetBytes: LARGE, tiers: { 32: 0, 128: 0, 512: 0, 1024: 0 }, queued: 2, inFlight: 1, textures: 3 });
    p.loaded(first!);
    settle(p);
    expect(p.stats).toEqual({
      usedBytes: tierBytes(512) + tierBytes(128) + 3 * FLOOR,
      budgetBytes: LARGE,
      tiers: { 32: 1, 128: 1, 512: 1, 1024: 0 },
      queued: 0,
      inFlight: 0,
      textures: 3,
    });
  });

  it("refuses options that make no sense", () => {
    expect(() => new TexturePlanner({ budgetBytes: -1, concurrency: 4 })).toThrow(RangeError);
    expect(() => new TexturePlanner({ budgetBytes: 1e6, concurrency: 0 })).toThrow(RangeError);
  });
});

describe("texture planner: any sequence", () => {
  const ids = ["a", "b", "c", "d", "e", "f"];
  // Mostly sightings (several per pass), then plans and loads; failures and new passes less often.
  const step = fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant("see" as const), id: fc.constantFrom(...ids), tier: fc.constantFrom(...TEXTURE_TIERS), priority: fc.integer({ min: 0, max: 5 }), visible: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("pass" as const) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("plan" as const) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("loaded" as const), pick: fc.nat(), compressed: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("failed" as const), pick: fc.nat() }) },
  );
  const budget = fc.oneof(fc.integer({ min: 0, max: 3 * tierBytes(1024) }), fc.constantFrom(FLOOR, 3 * FLOOR, tierBytes(512) + 2 * FLOOR, tierBytes(1024) + FLOOR));

  it("never holds and reserves more than the budget, drops only for what matters more, and agrees with a client that follows its plans", () => {
    fc.assert(
      fc.property(budget, fc.integer({ min: 1, max: 3 }), fc.array(step, { minLength: 60, maxLength: 200 }), (budgetBytes, concurrency, steps) => {
        const p = new TexturePlanner({ budgetBytes, concurrency, retryAfterPasses: 2 });
        const held = new Map<string, TextureTier>();
        // GPU bytes of each texture's tier above the floor, as reported.
        const topBytes = new Map<string, number>();
        const inFlight: TextureJob[] = [];
        // What each face showed this pass: visible (1 or 0) and priority, as one number that orders them.
        const shown = new Map<string, number>();
        const importance = (visible: boolean, priority: number) => (visible ? 100 : 0) + priority;
        for (const s of steps) {
          if (s.kind === "see") {
            p.see(s.id, s.tier, s.priority, s.visible);
            const before = shown.get(s.id);
            const visible = s.visible || (before ?? 0) >= 100;
            shown.set(s.id, importance(visible, Math.max(s.priority, (before ?? 0) % 100)));
          } else if (s.kind === "pass") {
            p.beginPass();
            shown.clear();
          } else if (s.kind === "plan") {
            const plan = p.plan();
            const best = Math.max(-1, ...plan.start.map((job) => shown.get(job.id)!));
            for (const { id } of plan.drop) if (shown.has(id)) expect(shown.get(id)!).toBeLessThan(best);
            for (const { id, tier } of plan.drop) {
              if (tier === 0) held.delete(id);
              else held.set(id, tier);
              topBytes.delete(id);
            }
            for (const job of plan.start) {
              expect(inFlight.some((other) => other.id === job.id)).toBe(false);
              expect(job.tier).toBeGreaterThan(held.get(job.id) ?? 0);
              inFlight.push(job);
            }
          } else if (inFlight.length > 0) {
            const [job] = inFlight.splice(s.pick % inFlight.length, 1);
            if (s.kind === "loaded") {
              const bytes = s.compressed && COMPRESSED_TIERS.includes(job!.tier) ? compressedTierBytes(job!.tier) : tierBytes(job!.tier);
              p.loaded(job!, bytes);
              held.set(job!.id, job!.tier);
              if (job!.tier > FLOOR_TIER) topBytes.set(job!.id, bytes);
            } else p.failed(job!);
          }
          const stats = p.stats;
          let bytes = 0;
          for (const id of held.keys()) bytes += tierBytes(FLOOR_TIER) + (topBytes.get(id) ?? 0);
          for (const job of inFlight) bytes += tierBytes(job.tier);
          expect(stats.usedBytes).toBe(bytes);
          expect(stats.usedBytes).toBeLessThanOrEqual(budgetBytes);
          expect(stats.inFlight).toBe(inFlight.length);
          expect(stats.inFlight).toBeLessThanOrEqual(concurrency);
          for (const id of ids) expect(p.resident(id)).toBe(held.get(id) ?? 0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
