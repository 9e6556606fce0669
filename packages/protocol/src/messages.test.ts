import { describe, expect, it } from "vitest";
import { ALL_KEYS, Keys, MAX_SEQ, guestNameSchema, inputMessageSchema, joinOptionsSchema } from "./messages.ts";

describe("input message", () => {
  it("accepts a well-formed tick of input", () => {
    expect(inputMessageSchema.parse({ seq: 1, keys: Keys.Forward | Keys.Run, yaw: -1.2 })).toEqual({ seq: 1, keys: 17, yaw: -1.2 });
    expect(inputMessageSchema.safeParse({ seq: MAX_SEQ, keys: ALL_KEYS, yaw: Math.PI }).success).toBe(true);
  });

  it.each([
    ["a missing field", { seq: 1, keys: 0 }],
    ["a string number", { seq: "1", keys: 0, yaw: 0 }],
    ["NaN", { seq: 1, keys: 0, yaw: Number.NaN }],
    ["Infinity", { seq: 1, keys: 0, yaw: Number.POSITIVE_INFINITY }],
    ["a yaw beyond PI", { seq: 1, keys: 0, yaw: 4 }],
    ["seq zero", { seq: 0, keys: 0, yaw: 0 }],
    ["a fractional seq", { seq: 1.5, keys: 0, yaw: 0 }],
    ["a seq beyond u32", { seq: MAX_SEQ + 1, keys: 0, yaw: 0 }],
    ["unknown key bits", { seq: 1, keys: 64, yaw: 0 }],
    ["an extra field", { seq: 1, keys: 0, yaw: 0, teleport: [0, 0, 0] }],
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
