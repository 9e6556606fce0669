import { describe, expect, it } from "vitest";
import { BitReader, BitWriter, ByteReader, ByteWriter } from "./bytes.ts";
import { PrimDecodeError } from "./errors.ts";
import { Random } from "./test-support.ts";

describe("varints", () => {
  it("round-trip unsigned and zigzag values at every length boundary", () => {
    const unsigned = [0, 1, 127, 128, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 31, 2 ** 32 - 1];
    const signed = [0, -1, 1, -64, 64, -(2 ** 31), 2 ** 31 - 1];
    const out = new ByteWriter(1);
    for (const value of unsigned) out.varint(value);
    for (const value of signed) out.zigzag(value);
    const input = new ByteReader(out.finish());
    for (const value of unsigned) expect(input.varint("test")).toBe(value);
    for (const value of signed) expect(input.zigzag("test")).toBe(value);
    expect(input.atEnd).toBe(true);
    expect(out.length).toBe(1 + 1 + 1 + 2 + 2 + 3 + 3 + 4 + 4 + 5 + 5 + 5 + (1 + 1 + 1 + 1 + 2 + 5 + 5));
  });

  it("refuses truncated, overlong, non-minimal and over-32-bit encodings", () => {
    const read = (...bytes: number[]) => () => new ByteReader(Uint8Array.from(bytes)).varint("test");
    expect(read()).toThrow(/truncated/);
    expect(read(0x80)).toThrow(/truncated/);
    expect(read(0x80, 0x80, 0x80, 0x80, 0x80, 0x01)).toThrow(/longer than 5 bytes/);
    expect(read(0xff, 0xff, 0xff, 0xff, 0x10)).toThrow(/exceeds 32 bits/);
    expect(read(0x81, 0x00)).toThrow(/shortest form/);
    expect(read(0xff, 0xff, 0xff, 0xff, 0x0f)()).toBe(2 ** 32 - 1);
    expect(read(0x80)).toThrow(PrimDecodeError);
  });
});

describe("bit fields", () => {
  it("round-trip fields of 1 to 24 bits and refuse set padding bits", () => {
    const random = new Random(5);
    const fields = Array.from({ length: 500 }, () => {
      const width = random.int(1, 24);
      return { width, value: random.int(0, 2 ** width - 1) };
    });
    const out = new ByteWriter();
    const writer = new BitWriter(out);
    for (const { value, width } of fields) writer.write(value, width);
    writer.end();
    const totalBits = fields.reduce((sum, { width }) => sum + width, 0);
    expect(out.length).toBe(Math.ceil(totalBits / 8));
    const reader = new BitReader(new ByteReader(out.finish()), "test");
    for (const { value, width } of fields) expect(reader.read(width)).toBe(value);
    reader.end();

    const padded = new BitReader(new ByteReader(Uint8Array.from([0b1000_0101])), "test");
    expect(padded.read(3)).toBe(5);
    expect(() => padded.end()).toThrow(/padding/);
  });
});
