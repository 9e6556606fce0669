import { describe, expect, it } from "vitest";
import { makePrim, primSchema } from "../prim.ts";
import { presetShape } from "../shape.ts";
import { ByteWriter } from "./bytes.ts";
import { PrimDecodeError, decodePrims, encodePrims } from "./index.ts";
import { Random, randomOrigin, randomPrim } from "./test-support.ts";

/** Decodes, or throws PrimDecodeError; anything it returns is a prim primSchema accepts unchanged. */
function decodeOrRefuse(bytes: Uint8Array): "decoded" | "refused" {
  let prims;
  try {
    prims = decodePrims(bytes).prims;
  } catch (error) {
    expect(error).toBeInstanceOf(PrimDecodeError);
    return "refused";
  }
  for (const prim of prims) {
    const parsed = primSchema.safeParse(prim);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(prim);
  }
  return "decoded";
}

const random = new Random(4);
const validBatches = Array.from({ length: 6 }, (_, i) => {
  const origin = randomOrigin(random);
  return encodePrims(Array.from({ length: i + 1 }, () => randomPrim(random, origin)), origin);
});

/**
 * A batch of one prim (id 1, at the origin, unit box, one white face) written byte by byte, so a test
 * can swap one part for something malformed.
 */
const PLAIN = {
  header: [1, 0, 0, 1, 0, 0, 1], // format, origin x, z, owners [""], no textures, one prim
  flags: [0],
  id: [2], // zigzag 1
  owner: [0],
  root: [] as number[],
  position: [0, 0, 0],
  rotation: [] as number[],
  scale: [0xe8, 0x07, 0xe8, 0x07, 0xe8, 0x07], // 1000 mm each
  shape: [0], // box
  faces: [0, 255, 255, 255],
  tail: [] as number[],
};
const plainBatch = (parts: Partial<typeof PLAIN> = {}) => Uint8Array.from(Object.values({ ...PLAIN, ...parts }).flat());
const refuses = (parts: Partial<typeof PLAIN>, message: RegExp) => expect(() => decodePrims(plainBatch(parts))).toThrow(message);

describe("decodePrims", () => {
  it("reads a batch written by hand", () => {
    expect(decodePrims(plainBatch())).toEqual({ origin: { x: 0, z: 0 }, prims: [makePrim(1, presetShape("box"), { x: 0, y: 0, z: 0 })] });
    const linked = decodePrims(plainBatch({ flags: [4 | 1], root: zigzag(-2) })).prims[0]!;
    expect(linked).toMatchObject({ id: 1, root: 0xffff_ffff, physical: true });
  });

  it("refuses every truncation and any padding", () => {
    for (const bytes of validBatches) {
      for (let length = 0; length < bytes.length; length++) expect(() => decodePrims(bytes.subarray(0, length))).toThrow(PrimDecodeError);
      for (const extra of [0, 1, 255]) expect(() => decodePrims(Uint8Array.from([...bytes, extra]))).toThrow(/follow the last prim/);
    }
  });

  it("refuses malformed parts with a clear error", () => {
    refuses({ header: [2, 0, 0, 1, 0, 0, 1] }, /format 2/);
    refuses({ header: [1, 0, 0, 1, 1, 0x21, 0, 1] }, /characters/);
    refuses({ header: [1, 0, 0, 1, 33, ...Array<number>(33).fill(0x61), 0, 1] }, /exceeds 32/);
    refuses({ header: [1, 0, 0, ...varint(4097)] }, /4097 owners/);
    refuses({ header: [1, 0, 0, 1, 0, 0, ...varint(65536)] }, /prim count 65536/);
    refuses({ header: [1, ...zigzag(-1_000_001), 0, 1, 0, 0, 1] }, /origin -1000001/);
    refuses({ flags: [0x20] }, /reserved/);
    refuses({ id: [0] }, /prim id 0/);
    refuses({ owner: [1] }, /owner index 1/);
    refuses({ owner: [0x80, 0x00] }, /shortest form/);
    refuses({ owner: [0x80, 0x80, 0x80, 0x80, 0x80, 0x00] }, /longer than 5 bytes/);
    refuses({ owner: [0xff, 0xff, 0xff, 0xff, 0x1f] }, /exceeds 32 bits/);
    refuses({ flags: [4], root: [0] }, /linked to root 1/);
    refuses({ flags: [4], root: zigzag(-1) }, /linked to root 0/);
    refuses({ position: [0, ...zigzag(-1e9 - 1), 0] }, /position -1000000001/);
    refuses({ scale: [9, 0xe8, 0x07, 0xe8, 0x07] }, /scale 9/);
    refuses({ flags: [2], rotation: [0, 0, 0, 0, 0, 0x80] }, /wire grid/);
    refuses({ shape: [10] }, /preset 10/);
    // custom: preset 0 (box), mask bit 6 (twistEnd), twistEnd steps 600 (+240 degrees) on a line path
    refuses({ flags: [8], shape: bits([0, 4], [1 << 6, 17], [600, 10]) }, /not normalised/);
    refuses({ flags: [8], shape: bits([0, 4], [1 << 3, 17], [1000, 10]) }, /hollow is out of range/);
    refuses({ flags: [8], shape: [...bits([0, 4], [1 << 3, 17], [10, 10]).slice(0, -1), 0x80] }, /padding/);
    refuses({ faces: [0x40, 1, 2, 3] }, /reserved/);
    refuses({ faces: [1, 1, 2, 3, 0] }, /texture index 0/);
    refuses({ faces: [4, 1, 2, 3, ...zigzag(10001), 0] }, /texture repeats 10001/);
    refuses({ faces: [16, 1, 2, 3, ...zigzag(-1800)] }, /texture rotation -1800/);
    refuses({ flags: [16], faces: [1, 0, 1, 2, 3] }, /face style count 1/);
    refuses({ flags: [16], faces: [10, ...Array<number>(40).fill(0)] }, /face style count 10/);
  });

  it("either decodes random bytes to valid prims or throws PrimDecodeError", () => {
    const outcomes = { decoded: 0, refused: 0 };
    for (let i = 0; i < 5000; i++) {
      const prefix = random.chance(0.5) ? validBatches[random.int(0, validBatches.length - 1)]!.subarray(0, random.int(1, 12)) : new Uint8Array();
      const noise = random.bytes(random.int(0, 200));
      if (random.chance(0.3)) noise[0] = 1;
      outcomes[decodeOrRefuse(Uint8Array.from([...prefix, ...noise]))]++;
    }
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it("either decodes batches with a random run of bytes overwritten to valid prims or throws PrimDecodeError", () => {
    const outcomes = { decoded: 0, refused: 0 };
    for (let i = 0; i < 5000; i++) {
      const bytes = random.pick(validBatches).slice();
      const length = random.int(1, 8);
      bytes.set(random.bytes(length).subarray(0, bytes.length), random.int(0, Math.max(0, bytes.length - length)));
      outcomes[decodeOrRefuse(bytes)]++;
    }
    expect(outcomes.decoded).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it("either decodes batches with one bit flipped to valid prims or throws PrimDecodeError", () => {
    const outcomes = { decoded: 0, refused: 0 };
    for (const bytes of validBatches.slice(0, 3)) {
      for (let bit = 0; bit < bytes.length * 8; bit++) {
        const flipped = bytes.slice();
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        outcomes[decodeOrRefuse(flipped)]++;
      }
    }
    expect(outcomes.decoded).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });
});

function varint(value: number): number[] {
  const out = new ByteWriter();
  out.varint(value);
  return [...out.finish()];
}

function zigzag(value: number): number[] {
  const out = new ByteWriter();
  out.zigzag(value);
  return [...out.finish()];
}

/** Fields of [value, width] packed least significant bit first, zero-padded to whole bytes. */
function bits(...fields: [number, number][]): number[] {
  let value = 0n;
  let used = 0n;
  for (const [field, width] of fields) {
    value |= BigInt(field) << used;
    used += BigInt(width);
  }
  return Array.from({ length: Number((used + 7n) / 8n) }, (_, i) => Number((value >> BigInt(i * 8)) & 0xffn));
}
