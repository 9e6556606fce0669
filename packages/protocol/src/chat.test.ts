import { describe, expect, it } from "vitest";
import { CHAT_RANGE, MAX_CHAT_CHARS, chatMessageSchema, chatTextSchema, chatTiles, hears } from "./chat.ts";
import { tileId, tileOf } from "./tile.ts";

const GRID = { width: 4, depth: 4 };
const SIZE = 64;
const at = (x: number, z: number, y = 0) => ({ x, y, z });

describe("who hears a line", () => {
  it("carries each channel its own distance: whisper 10 m, say 20 m, shout 100 m", () => {
    const speaker = at(100, 100);
    for (const [channel, range] of Object.entries(CHAT_RANGE) as [keyof typeof CHAT_RANGE, number][]) {
      expect(hears(at(100 + range, 100), speaker, channel)).toBe(true);
      expect(hears(at(100 + range + 0.01, 100), speaker, channel)).toBe(false);
    }
    expect(hears(at(105, 105), speaker, "whisper")).toBe(true);
    expect(hears(at(108, 108), speaker, "whisper")).toBe(false);
    // Height counts: a listener 15 m up hears a say, not a whisper.
    expect(hears(at(100, 100, 15), speaker, "say")).toBe(true);
    expect(hears(at(100, 100, 15), speaker, "whisper")).toBe(false);
  });

  it("reaches across a border: the line goes to the neighbour's room, whose avatar 5 m past the border hears it", () => {
    // 5 m west of the border between tiles (1, 1) and (2, 1) at x = 128.
    const speaker = at(123, 100);
    const listener = at(133, 100);
    expect(tileOf(listener.x, listener.z, SIZE)).not.toEqual(tileOf(speaker.x, speaker.z, SIZE));
    const tiles = chatTiles(speaker, "say", SIZE, GRID).map(tileId);
    expect(tiles).toEqual(["tile_1_1", "tile_2_1"]);
    expect(hears(listener, speaker, "say")).toBe(true);
    expect(hears(at(153, 100), speaker, "say")).toBe(false);
    // A whisper 5 m from the border reaches no further than 5 m into the neighbour.
    expect(chatTiles(speaker, "whisper", SIZE, GRID).map(tileId)).toEqual(["tile_1_1", "tile_2_1"]);
    expect(chatTiles(at(110, 100), "whisper", SIZE, GRID).map(tileId)).toEqual(["tile_1_1"]);
  });

  it("stops at the grid's edge, and a shout at a corner reaches the tiles of the corner only", () => {
    expect(chatTiles(at(2, 2), "say", SIZE, GRID).map(tileId)).toEqual(["tile_0_0"]);
    expect(chatTiles(at(60, 60), "say", SIZE, GRID).map(tileId).sort()).toEqual(["tile_0_0", "tile_0_1", "tile_1_0", "tile_1_1"]);
    const shout = chatTiles(at(2, 2), "shout", SIZE, GRID).map(tileId).sort();
    expect(shout).toEqual(["tile_0_0", "tile_0_1", "tile_1_0", "tile_1_1"]);
    // A shout in the middle of the grid reaches many tiles, all of them in the grid.
    const middle = chatTiles(at(128, 128), "shout", SIZE, GRID);
    expect(middle).toHaveLength(16);
    expect(middle.every(({ tx, tz }) => tx >= 0 && tz >= 0 && tx < GRID.width && tz < GRID.depth)).toBe(true);
  });
});

describe("a line as sent", () => {
  it("is trimmed text on a channel, within the length limit", () => {
    expect(chatMessageSchema.parse({ channel: "say", text: "  hello <b>there</b>  " })).toEqual({ channel: "say", text: "hello <b>there</b>" });
    expect(chatTextSchema.parse("x".repeat(MAX_CHAT_CHARS))).toHaveLength(MAX_CHAT_CHARS);
  });

  it("is refused, with why, when empty, too long, hidden or on no channel", () => {
    const problem = (message: unknown) => {
      const parsed = chatMessageSchema.safeParse(message);
      return parsed.success ? "accepted" : parsed.error.issues[0]!.message;
    };
    expect(problem({ channel: "say", text: "   " })).toBe("a chat line must not be empty");
    expect(problem({ channel: "say", text: "x".repeat(MAX_CHAT_CHARS + 1) })).toBe(`a chat line is at most ${MAX_CHAT_CHARS} characters`);
    for (const hidden of ["a\nb", "a\u0000b", "evil\u202Eflip", "zero\u200Bwidth"]) expect(problem({ channel: "say", text: hidden })).toBe("a chat line may not hold control or invisible characters");
    expect(problem({ channel: "yell", text: "hi" })).toMatch(/whisper|say|shout/);
    expect(problem({ channel: "say", text: "hi", extra: 1 })).not.toBe("accepted");
    expect(problem({ channel: "say", text: 42 })).not.toBe("accepted");
  });
});
