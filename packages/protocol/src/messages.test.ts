import { describe, expect, it } from "vitest";
import { ALL_KEYS, Keys, MAX_SEQ, guestNameSchema, inputMessageSchema, joinOptionsSchema } from "./messages.ts";

describe("input message", () => {
  it("accepts the newest tick and up to three before it", () => {
    expect(inputMessageSchema.parse({ seq: 1, ticks: [[Keys.Forward | Keys.Run, -1.2]] })).toEqual({ seq: 1, ticks: [[17, -1.2]] });
    expect(inputMessageSchema.safeParse({ seq: MAX_SEQ, ticks: [[ALL_KEYS, Math.PI], [0, -Math.PI], [1, 0], [2, 0]] }).success).toBe(true);
  });

  it.each([
    ["a missing field", { seq: 1 }],
    ["no ticks", { seq: 1, ticks: [] }],
    ["five ticks", { seq: 9, ticks: [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]] }],
    ["ticks before seq 1", { seq: 2, ticks: [[0, 0], [0, 0], [0, 0]] }],
    ["a string number", { seq: "1", ticks: [[0, 0]] }],
    ["NaN", { seq: 1, ticks: [[0, Number.NaN]] }],
    ["Infinity", { seq: 1, ticks: [[0, Number.POSITIVE_INFINITY]] }],
    ["a yaw beyond PI", { seq: 1, ticks: [[0, 4]] }],
    ["seq zero", { seq: 0, ticks: [[0, 0]] }],
    ["a fractional seq", { seq: 1.5, ticks: [[0, 0]] }],
    ["a seq beyond u32", { seq: MAX_SEQ + 1, ticks: [[0, 0]] }],
    ["unknown key bits", { seq: 1, ticks: [[64, 0]] }],
    ["a tick of three numbers", { seq: 1, ticks: [[0, 0, 0]] }],
    ["an extra field", { seq: 1, ticks: [[0, 0]], teleport: [0, 0, 0] }],
    ["an array", [1, 0, 0]],
    ["null", null],
  ])("refuses %s", (_, payload) => {
    expect(inputMessageSchema.safeParse(payload).success).toBe(false);
  });
});

describe("guest names", () => {
  it("trims and accepts letters in any script, digits and a few marks", () => {
    expect(guestNameSchema.parse("  Ada Lovelace ")).toBe("Ada Lovelace");
    expect(guestNameSchema.parse("Zoë_ü-2.0")).toBe("Zoë_ü-2.0");
    expect(guestNameSchema.parse("東京")).toBe("東京");
  });

  it.each(["", "   ", "x".repeat(25), "<script>", "a\nb", "👾"])("refuses %j", (name) => {
    expect(guestNameSchema.safeParse(name).success).toBe(false);
  });

  it("join options hold nothing but an optional name", () => {
    expect(joinOptionsSchema.parse({})).toEqual({});
    expect(joinOptionsSchema.safeParse({ name: "Ada", admin: true }).success).toBe(false);
  });
});
