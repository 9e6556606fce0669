import { describe, expect, it } from "vitest";
import { seededRandom } from "@tessera/prims";
import { ErrorCode } from "@tessera/protocol";
import { CATCH_UP_SHARE, InputQueue, MAX_CREDIT, MAX_PER_TICK, MAX_PER_WINDOW, MAX_QUEUED_INPUTS, MIN_CATCH_UP, QUIET_TICKS, WINDOW_TICKS, tickQueues } from "./input-queue.ts";

/** A message for `seq` repeating `back` ticks before it; keys hold each tick's seq to tell them apart. */
const input = (seq: number, back = 0) => ({ seq, ticks: Array.from({ length: back + 1 }, (_, i): [number, number] => [(seq - back + i) % 64, 0]) });

/** The most inputs a queue may take in k ticks, k = 1 to WINDOW_TICKS: 1.5 times k, rounded up. */
const PACE_LIMITS = Array.from({ length: WINDOW_TICKS }, (_, k) => Math.ceil(((k + 1) * MAX_PER_WINDOW) / WINDOW_TICKS));

/** The most inputs simulated in any `span` consecutive ticks. */
function maxSum(perTick: readonly number[], span: number): number {
  let worst = 0;
  for (let start = 0; start + span <= perTick.length; start++) worst = Math.max(worst, perTick.slice(start, start + span).reduce((a, b) => a + b, 0));
  return worst;
}

/** The most inputs simulated in any 1, 2, ... WINDOW_TICKS consecutive ticks. */
const worstSpans = (perTick: readonly number[]) => PACE_LIMITS.map((_, k) => maxSum(perTick, k + 1));

/**
 * How many inputs a client sends this tick: mostly one, sometimes none or a few; in stretches
 * (which depend on the tick) nothing, then a burst of up to a second and a half, or four a tick.
 */
function burst(random: () => number, tick: number): number {
  const phase = Math.floor(tick / 60) % 4;
  const roll = random();
  if (phase === 1) return roll < 0.9 ? 0 : Math.floor(random() * 45);
  if (phase === 2) return 4;
  return roll < 0.1 ? 0 : roll < 0.85 ? 1 : 1 + Math.floor(random() * 5);
}

/** Runs relay ticks of a queue alone, catching up as far as it allows; returns the seqs simulated. */
function ticks(queue: InputQueue, count: number): number[] {
  const simulated: number[] = [];
  const simulate = (input: { seq: number }) => simulated.push(input.seq);
  for (let t = 0; t < count; t++) if (queue.tick(simulate)) while (queue.catchUp(simulate));
  return simulated;
}

describe("InputQueue", () => {
  it("hands inputs out in order and acknowledges the last one taken", () => {
    const queue = new InputQueue();
    expect(queue.push(input(1))).toBeUndefined();
    expect(queue.push(input(2))).toBeUndefined();
    expect(queue.push(input(5))).toBeUndefined(); // a gap: inputs lost on the way
    expect(ticks(queue, 1)).toEqual([1]);
    expect(queue.acked).toBe(1);
    expect(ticks(queue, 5)).toEqual([2, 5]);
    expect(queue.acked).toBe(5);
  });

  it("fills a gap from the ticks a later message repeats, and skips the ones it has", () => {
    const queue = new InputQueue();
    queue.push(input(1));
    queue.push(input(2, 1));
    // Messages 3 and 4 were lost; message 5 repeats ticks 2, 3 and 4.
    queue.push(input(5, 3));
    const taken: number[][] = [];
    const take = (next: { seq: number; keys: number }) => taken.push([next.seq, next.keys]);
    for (let t = 0; t < 10; t++) if (queue.tick(take)) while (queue.catchUp(take));
    expect(taken).toEqual([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]);
  });

  it("never simulates faster than real time: one input a tick, however fast they come", () => {
    const queue = new InputQueue();
    // Two inputs every tick for a minute (60 a second: a client trying to move at double speed).
    let simulated = 0;
    for (let t = 0, seq = 1; t < 30 * 60; t++) {
      queue.push(input(seq++));
      queue.push(input(seq++));
      simulated += ticks(queue, 1).length;
    }
    expect(simulated).toBe(30 * 60);
  });

  it("catches up on a burst after a stall, a few inputs a tick, within the credit saved", () => {
    const queue = new InputQueue();
    // A page that froze for a second (nothing came), then sent that second's inputs at once.
    expect(ticks(queue, 30)).toEqual([]);
    for (let seq = 1; seq <= 30; seq++) expect(queue.push(input(seq))).toBeUndefined();
    const first = ticks(queue, 1);
    expect(first).toHaveLength(MAX_PER_TICK);
    expect(ticks(queue, 30)).toHaveLength(30 - MAX_PER_TICK);
    // Credit is capped: ten seconds of silence do not buy ten seconds of fast-forward. Over the next
    // n ticks at most MAX_CREDIT + n inputs go, however many wait.
    ticks(queue, 300);
    for (let seq = 31; seq <= 30 + MAX_QUEUED_INPUTS; seq++) queue.push(input(seq));
    const n = 15;
    const caughtUp = ticks(queue, n).length;
    expect(caughtUp).toBeGreaterThan(n);
    expect(caughtUp).toBeLessThanOrEqual(MAX_CREDIT + n);
  });

  it("catches up on a stalled second at half again real time, over every span of ticks", () => {
    const queue = new InputQueue();
    let seq = 0;
    const simulated: number[] = [];
    const perTick: number[] = [];
    const step = () => {
      const before = simulated.length;
      simulated.push(...ticks(queue, 1));
      perTick.push(simulated.length - before);
    };
    // Half a second at real time, a second of nothing, that second at once, then real time again.
    const realTime = (count: number) => {
      for (let t = 0; t < count; t++) {
        queue.push(input(++seq));
        step();
      }
    };
    realTime(15);
    for (let t = 0; t < 30; t++) step();
    for (let t = 0; t < 30; t++) queue.push(input(++seq));
    realTime(90);
    expect(simulated).toEqual(Array.from({ length: seq }, (_, i) => i + 1));
    // Two inputs, then one, then two...: 9 in every 6 ticks, until the backlog is gone.
    const catchingUp = perTick.slice(45, 45 + 60);
    expect(catchingUp).toEqual(Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? 2 : 1)));
    expect(perTick.slice(105)).toEqual(perTick.slice(105).map(() => 1));
    expect(worstSpans(perTick)).toEqual(PACE_LIMITS);
  });

  it("never holds back real time: inputs that come in pairs every other tick go one a tick", () => {
    const queue = new InputQueue();
    let seq = 0;
    const perTick: number[] = [];
    for (let t = 0; t < 300; t++) {
      if (t % 2 === 0) for (let n = 0; n < 2; n++) queue.push(input(++seq));
      perTick.push(ticks(queue, 1).length);
    }
    expect(perTick.every((count) => count === 1)).toBe(true);
  });

  it("keeps to the pace whatever the bursts and stalls, and simulates everything queued, in order", () => {
    for (let trial = 0; trial < 50; trial++) {
      const random = seededRandom(trial + 1);
      const queue = new InputQueue();
      let seq = 0;
      const queued = new Set<number>();
      const simulated: number[] = [];
      const perTick: number[] = [];
      for (let tick = 0; tick < 900; tick++) {
        // Now and then a gap (inputs lost) or a message repeating the ticks before it.
        for (let n = tick < 800 ? burst(random, tick) : 0; n > 0; n--) {
          seq += random() < 0.05 ? 2 : 1;
          queue.push(input(seq, Math.min(seq - 1, Math.floor(random() * 4))));
        }
        for (const waiting of queue.waiting()) queued.add(waiting.seq);
        const before = simulated.length;
        simulated.push(...ticks(queue, 1));
        perTick.push(simulated.length - before);
      }
      expect(queue.length).toBe(0);
      expect(simulated).toEqual([...queued].sort((a, b) => a - b));
      const worst = worstSpans(perTick);
      for (let k = 1; k <= WINDOW_TICKS; k++) expect(worst[k - 1]).toBeLessThanOrEqual(PACE_LIMITS[k - 1]!);
      expect(worst[WINDOW_TICKS - 1]).toBeLessThanOrEqual(MAX_PER_WINDOW);
      // Longer spans keep the pace as well, give or take half an input for an odd number of ticks.
      for (let k = WINDOW_TICKS + 1; k <= 4 * WINDOW_TICKS; k++) expect(maxSum(perTick, k)).toBeLessThanOrEqual(Math.ceil((k * MAX_PER_WINDOW) / WINDOW_TICKS));
    }
  });

  it("counts a client as quiet after a second without input, and not once it sends again", () => {
    const queue = new InputQueue();
    ticks(queue, QUIET_TICKS);
    expect(queue.quiet).toBe(false);
    ticks(queue, 1);
    expect(queue.quiet).toBe(true);
    queue.push(input(1));
    ticks(queue, 1);
    expect(queue.quiet).toBe(false);
  });

  it("refuses repeated or reordered seqs without changing anything", () => {
    const queue = new InputQueue();
    queue.push(input(3));
    expect(queue.push(input(3))).toBe(ErrorCode.StaleInput);
    expect(queue.push(input(2))).toBe(ErrorCode.StaleInput);
    expect(queue.length).toBe(1);
  });

  it("refuses inputs beyond two seconds of backlog", () => {
    const queue = new InputQueue();
    for (let seq = 1; seq <= MAX_QUEUED_INPUTS; seq++) expect(queue.push(input(seq))).toBeUndefined();
    expect(queue.push(input(MAX_QUEUED_INPUTS + 1))).toBe(ErrorCode.InputOverflow);
    expect(queue.length).toBe(MAX_QUEUED_INPUTS);
  });

  it("starts over for a new session", () => {
    const queue = new InputQueue();
    queue.push(input(40));
    ticks(queue, 1);
    queue.reset();
    expect(queue.acked).toBe(0);
    expect(queue.push(input(1))).toBeUndefined();
  });
});

describe("tickQueues", () => {
  /** `count` movers that saved up credit, each with `waiting` inputs queued. */
  function movers(count: number, waiting: number) {
    return Array.from({ length: count }, (_, index) => {
      const inputs = new InputQueue();
      ticks(inputs, 10);
      for (let seq = 1; seq <= waiting; seq++) inputs.push(input(seq));
      return { index, inputs, simulated: [] as number[] };
    });
  }
  const run = (room: ReturnType<typeof movers>, tick: number) => tickQueues(room, (mover, next) => mover.simulated.push(next.seq), tick);

  it("catches a small room up as fast as each queue allows", () => {
    const room = movers(3, MAX_PER_TICK);
    expect(run(room, 0)).toBe(3 * MAX_PER_TICK);
    for (const mover of room) expect(mover.simulated).toEqual([1, 2]);
  });

  it("keeps each mover's pace in a room too", () => {
    const random = seededRandom(7);
    const room = movers(20, 0);
    const seqs = room.map(() => 0);
    const perTick: number[][] = room.map(() => []);
    for (let tick = 0; tick < 600; tick++) {
      room.forEach((mover, i) => {
        for (let n = burst(random, tick); n > 0; n--) mover.inputs.push(input(++seqs[i]!));
      });
      const before = room.map((mover) => mover.simulated.length);
      run(room, tick);
      room.forEach((mover, i) => perTick[i]!.push(mover.simulated.length - before[i]!));
    }
    for (const counts of perTick) expect(worstSpans(counts)).toEqual(PACE_LIMITS);
    for (const mover of room) expect(mover.simulated).toEqual([...mover.simulated].sort((a, b) => a - b));
  });

  it("gives every mover its next input, and shares the catching up when a crowd falls behind at once", () => {
    const room = movers(200, 4);
    const allowance = Math.max(MIN_CATCH_UP, Math.ceil(200 * CATCH_UP_SHARE));
    expect(run(room, 7)).toBe(200 + allowance);
    for (const mover of room) expect(mover.simulated.length).toBeGreaterThanOrEqual(1);
    // The backlog drains over the next ticks, each input once and in order.
    let tick = 8;
    while (room.some((mover) => mover.inputs.length > 0)) {
      expect(run(room, tick++)).toBeLessThanOrEqual(200 + allowance);
      expect(tick).toBeLessThan(20);
    }
    for (const mover of room) expect(mover.simulated).toEqual([1, 2, 3, 4]);
  });

  it("moves where the catching up starts from tick to tick, so nobody always waits", () => {
    const first = movers(100, 2);
    run(first, 0);
    const second = movers(100, 2);
    run(second, 50);
    const caughtUp = (room: ReturnType<typeof movers>) => room.filter((mover) => mover.simulated.length === 2).map((mover) => mover.index);
    expect(caughtUp(first)).toHaveLength(Math.max(MIN_CATCH_UP, Math.ceil(100 * CATCH_UP_SHARE)));
    expect(caughtUp(first)[0]).toBe(0);
    expect(caughtUp(second)[0]).toBe(50);
  });
});
