import { describe, expect, it } from "vitest";
import { Protocol } from "@colyseus/core";
import { CUT_OFF_PER_SECOND, FRAME_BURST, FRAMES_PER_SECOND, FrameBudget, readableType } from "./frame-guard.ts";

const frame = (...bytes: number[]) => Uint8Array.from(bytes);
const text = (value: string) => [...Buffer.from(value)];

describe("a socket's frame budget", () => {
  it("passes a burst, then the sustained rate, whatever the frames are", () => {
    const budget = new FrameBudget(0);
    const verdicts = Array.from({ length: FRAME_BURST + 5 }, (_, i) => budget.judge(i % 2 ? Protocol.PING : Protocol.ROOM_DATA, 0));
    expect(verdicts.filter((verdict) => verdict === "pass")).toHaveLength(FRAME_BURST);
    expect(verdicts.slice(FRAME_BURST)).toEqual(Array(5).fill("drop"));
    expect(budget.judge(Protocol.PING, 1000 / FRAMES_PER_SECOND + 1)).toBe("pass");
  });

  it("drops frames of codes the protocol does not use, and empty frames, and counts them", () => {
    const budget = new FrameBudget(0);
    for (const code of [Protocol.ROOM_REQUEST, Protocol.ROOM_DATA_BYTES, Protocol.ROOM_INPUT_RELIABLE, Protocol.ROOM_STATE, 0, 255, undefined]) {
      expect(budget.judge(code, 0)).toBe("drop");
    }
    const fresh = new FrameBudget(0);
    for (let i = 0; i < FRAME_BURST; i++) fresh.judge(Protocol.ROOM_REQUEST, 0);
    expect(fresh.judge(Protocol.ROOM_DATA, 0)).toBe("drop");
  });

  it("cuts a client off past the cut-off within a second, and forgives the next second", () => {
    const budget = new FrameBudget(0);
    const verdicts = Array.from({ length: CUT_OFF_PER_SECOND + 1 }, () => budget.judge(Protocol.PING, 500));
    expect(verdicts.at(-2)).toBe("drop");
    expect(verdicts.at(-1)).toBe("cut");
    expect(budget.judge(Protocol.PING, 1600)).toBe("pass");
  });
});

describe("a message frame's type", () => {
  it("is readable as a string within the frame, or as a number", () => {
    expect(readableType(frame(Protocol.ROOM_DATA, 0xa5, ...text("input"), 0x80))).toBe(true);
    expect(readableType(frame(Protocol.ROOM_DATA, 0xd9, 3, ...text("abc")))).toBe(true);
    expect(readableType(frame(Protocol.ROOM_DATA, 0xda, 2, 0, ...text("ok")))).toBe(true);
    expect(readableType(frame(Protocol.ROOM_DATA, 7))).toBe(true);
    expect(readableType(frame(Protocol.ROOM_DATA, 0xcb, 0, 0, 0, 0, 0, 0, 0, 0))).toBe(true);
  });

  it("is refused when it runs past the frame, is not UTF-8, or is missing", () => {
    expect(readableType(frame(Protocol.ROOM_DATA, 0xa5, ...text("inp")))).toBe(false);
    expect(readableType(frame(Protocol.ROOM_DATA, 0xa2, 0xff, 0xfe))).toBe(false);
    expect(readableType(frame(Protocol.ROOM_DATA, 0xd9))).toBe(false);
    expect(readableType(frame(Protocol.ROOM_DATA, 0xda, 0xff))).toBe(false);
    expect(readableType(frame(Protocol.ROOM_DATA, 0xdb, 0xff, 0xff, 0xff, 0xff, 0x61))).toBe(false);
    expect(readableType(frame(Protocol.ROOM_DATA))).toBe(false);
  });
});
