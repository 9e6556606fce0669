import { describe, expect, it } from "vitest";
import { ErrorCode } from "@tessera/protocol";
import { CATCH_UP_SHARE, InputQueue, MAX_CREDIT, MAX_PER_TICK, MAX_QUEUED_INPUTS, MIN_CATCH_UP, QUIET_TICKS, tickQueues } from "./input-queue.ts";

/** A message for `seq` repeating `back` ticks before it; keys hold each tick's seq to tell them apart. */
const input = (seq: number, back = 0) => ({ seq, ticks: Array.from({ length: back + 1 }, (_, i): [number, number] => [(seq - back + i) % 64, 0]) });

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
    for (const mover of room) expect(mover.simulated).toEqual([1, 2, 3, 4]);
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
