import { describe, expect, it } from "vitest";
import { ErrorCode } from "@tessera/protocol";
import { InputQueue, MAX_QUEUED_INPUTS } from "./input-queue.ts";

const input = (seq: number) => ({ seq, keys: 1, yaw: 0 });

describe("InputQueue", () => {
  it("hands inputs out in order and acknowledges the last one taken", () => {
    const queue = new InputQueue();
    expect(queue.push(input(1))).toBeUndefined();
    expect(queue.push(input(2))).toBeUndefined();
    expect(queue.push(input(5))).toBeUndefined(); // a gap: inputs lost on the way
    expect(queue.take()?.seq).toBe(1);
    expect(queue.acked).toBe(1);
    expect(queue.take()?.seq).toBe(2);
    expect(queue.take()?.seq).toBe(5);
    expect(queue.take()).toBeUndefined();
    expect(queue.acked).toBe(5);
  });

  it("refuses repeated or reordered seqs without changing anything", () => {
    const queue = new InputQueue();
    queue.push(input(3));
    expect(queue.push(input(3))).toBe(ErrorCode.StaleInput);
    expect(queue.push(input(2))).toBe(ErrorCode.StaleInput);
    expect(queue.length).toBe(1);
  });

  it("refuses inputs beyond one second of backlog", () => {
    const queue = new InputQueue();
    for (let seq = 1; seq <= MAX_QUEUED_INPUTS; seq++) expect(queue.push(input(seq))).toBeUndefined();
    expect(queue.push(input(MAX_QUEUED_INPUTS + 1))).toBe(ErrorCode.InputOverflow);
    expect(queue.length).toBe(MAX_QUEUED_INPUTS);
  });

  it("starts over for a new session", () => {
    const queue = new InputQueue();
    queue.push(input(40));
    queue.take();
    queue.reset();
    expect(queue.acked).toBe(0);
    expect(queue.push(input(1))).toBeUndefined();
  });
});
