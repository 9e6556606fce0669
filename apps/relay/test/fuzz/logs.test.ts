import { describe, expect, it } from "vitest";
import { distinct, stackTraces } from "./logs.ts";
import type { LogLine } from "./processes.ts";

const lines = (stream: "stdout" | "stderr", ...texts: string[]): LogLine[] => texts.map((text, i) => ({ at: i, stream, text }));

describe("the fuzz suite's stack trace detection", () => {
  it("finds a trace under the line it hangs from, frames with and without a position", () => {
    const traces = stackTraces(
      lines(
        "stderr",
        "[relay] tile_2_2 onMessage: OnMessageException: Cannot read properties of undefined (reading 'slice')",
        "    at DataView.getUint32 (<anonymous>)",
        "    at report (file:///x/node_modules/@colyseus/core/build/RoomMessages.mjs:97:9)",
        "    at file:///x/node_modules/@colyseus/core/build/Room.mjs:1409:23",
        "[relay] something else",
      ),
    );
    expect(traces).toHaveLength(1);
    expect(traces[0]!.head).toMatch(/OnMessageException/);
    expect(traces[0]!.frames).toHaveLength(3);
  });

  it("ignores ordinary lines, `at` in prose, and frame-like lines without any position", () => {
    expect(stackTraces(lines("stdout", "Tessera relay: 4 x 4 tiles of 64 m. Open http://localhost:2567", "[relay] refused: join: bad token", "  at most 60 inputs", "    at new Promise (<anonymous>)"))).toEqual([]);
  });

  it("keeps stdout and stderr apart and groups one failure's traces whatever their values", () => {
    const traces = stackTraces([
      ...lines("stderr", "Error: Data read, but end of buffer not reached 118", "    at checkedRead (file:///x/node_modules/msgpackr/unpack.js:229:10)", "    at RoomMessages.onData (file:///x/RoomMessages.mjs:122:49)"),
      ...lines("stdout", "[relay] info"),
      ...lines("stderr", 'Error: Data read, but end of buffer not reached {"seq":1}', "    at checkedRead (file:///x/node_modules/msgpackr/unpack.js:229:10)", "    at RoomMessages.onData (file:///x/RoomMessages.mjs:122:49)"),
      ...lines("stderr", "Error: Data read, but end of buffer not reached 3", "    at checkedRead (file:///x/node_modules/msgpackr/unpack.js:229:10)", "    at RoomMessages.onRequest (file:///x/RoomMessages.mjs:150:49)"),
    ]);
    expect(traces).toHaveLength(3);
    expect(distinct(traces).map((kind) => kind.count)).toEqual([2, 1]);
  });
});
