import { describe, expect, it } from "vitest";
import { DEFAULT_FACE, makePrim, normalizePrim, primSchema, solidFace, type FaceStyle, type Prim } from "../prim.ts";
import { IDENTITY, ROTATION_BYTES, packRotation, quantizeRotation, unpackRotation, type Quat } from "../rotation.ts";
import { PRESET_NAMES, SHAPE_NUMBERS, SHAPE_PARAMS, normalizeShape, presetShape, type PrimShape } from "../shape.ts";
import { ByteWriter } from "./bytes.ts";
import { writeFace } from "./face-codec.ts";
import { decodePrims, encodePrims, primRecordByteLength } from "./index.ts";
import { StringTable } from "./strings.ts";
import { Random, TEXTURES, randomOrigin, randomPrim } from "./test-support.ts";

const roundTrip = (prims: readonly Prim[], origin = { x: 0, z: 0 }) => decodePrims(encodePrims(prims, origin));

function expectRoundTrip(prims: readonly Prim[], origin = { x: 0, z: 0 }): void {
  const decoded = roundTrip(prims, origin);
  expect(decoded.origin).toEqual(origin);
  expect(decoded.prims).toEqual(prims);
}

const fullFace: FaceStyle = {
  color: { r: 12, g: 200, b: 99, a: 128 },
  texture: "brick",
  repeats: { u: 2.5, v: -0.75 },
  offset: { u: 0.25, v: -0.125 },
  rotation: 45,
  fullBright: true,
};

/** Every shape number away from every preset's, on a circle path where all of them apply. */
const customShape: PrimShape = {
  profile: "square",
  hole: "circle",
  path: "circle",
  profileBegin: 0.125,
  profileEnd: 0.875,
  hollow: 0.5,
  pathBegin: 0.1,
  pathEnd: 0.9,
  twistBegin: -90,
  twistEnd: 270,
  taperX: 0.3,
  taperY: -0.4,
  shearX: 0.2,
  shearY: -0.1,
  holeSizeX: 0.8,
  holeSizeY: 0.3,
  radiusOffset: 0.25,
  revolutions: 2.5,
  skew: 0.7,
};

describe("round trip", () => {
  it("keeps every preset, alone and rotated", () => {
    const prims = PRESET_NAMES.flatMap((name, i) => [
      makePrim(i * 2 + 1, presetShape(name), { x: i, y: 1, z: 10 - i }),
      makePrim(i * 2 + 2, presetShape(name), { x: 0.5, y: 2, z: 0 }, { rotation: quantizeRotation({ x: 0.1, y: 0.7, z: -0.2, w: 0.6 }) }),
    ]);
    expectRoundTrip(prims);
  });

  it("keeps hand-made edge cases", () => {
    const base = makePrim(1000, presetShape("box"), { x: 0, y: 0, z: 0 });
    const extremes = (pick: "min" | "max") => {
      const shape = presetShape("torus");
      for (const name of SHAPE_NUMBERS) shape[name] = SHAPE_PARAMS[name][pick];
      return normalizeShape(shape);
    };
    const prims: Prim[] = [
      { ...base, id: 2 ** 32 - 1, owner: "x".repeat(32), physical: true },
      { ...base, id: 1, root: 2 ** 32 - 1 },
      { ...base, id: 2 ** 32 - 1, root: 1 },
      { ...base, id: 7, root: 2 ** 32 - 2, position: { x: -1e6, y: -1e6, z: 1e6 } },
      { ...base, id: 6, position: { x: 1e6, y: 1e6, z: -1e6 } },
      { ...base, id: 5, position: { x: -0.001, y: -12.345, z: 0.001 }, scale: { x: 0.01, y: 64, z: 0.01 } },
      { ...base, id: 8, root: 7, shape: extremes("min") },
      { ...base, id: 9, root: 7, shape: extremes("max") },
      { ...base, id: 10, shape: normalizeShape({ ...presetShape("box"), twistBegin: -180, twistEnd: 180, profileBegin: 0.98, pathEnd: 0.02 }) },
      { ...base, id: 11, shape: normalizeShape({ ...presetShape("sphere"), holeSizeY: 1, revolutions: 4, skew: -0.95 }) },
      { ...base, id: 12, faces: Array.from({ length: 9 }, (_, i) => ({ ...fullFace, texture: TEXTURES[i % 3]!, rotation: i * 20 - 80 })) },
      {
        ...base,
        id: 13,
        faces: [
          { ...fullFace, color: { r: 0, g: 0, b: 0, a: 0 }, repeats: { u: -100, v: 100 }, offset: { u: -1, v: 1 }, rotation: 180 },
          { ...fullFace, color: { r: 255, g: 255, b: 255, a: 254 }, repeats: { u: 0, v: 0.01 }, offset: { u: 0.001, v: 0 }, rotation: -179.9 },
          { ...DEFAULT_FACE, fullBright: true },
          { ...DEFAULT_FACE, texture: "Z".repeat(64) },
        ],
      },
      { ...base, id: 14, rotation: quantizeRotation({ x: 0, y: 0, z: 0, w: -1 }) },
      { ...base, id: 15, rotation: quantizeRotation({ x: 1, y: 0, z: 0, w: 0 }) },
      { ...base, id: 16, rotation: quantizeRotation({ x: 0, y: Math.SQRT1_2, z: 0, w: -Math.SQRT1_2 }) },
    ];
    for (const prim of prims) expect(primSchema.parse(prim), `prim ${prim.id} is normalised`).toEqual(prim);
    expectRoundTrip(prims, { x: -123, z: 456 });
    expectRoundTrip(prims, { x: 1e6, z: -1e6 });
    expectRoundTrip([]);
  });

  it("keeps 2000 random normalised prims exactly", () => {
    const random = new Random(1);
    for (let done = 0; done < 2000; ) {
      const origin = randomOrigin(random);
      const prims = Array.from({ length: random.int(1, 40) }, () => randomPrim(random, origin));
      done += prims.length;
      const decoded = roundTrip(prims, origin);
      expect(decoded.origin).toEqual(origin);
      expect(decoded.prims).toEqual(prims);
      // Decoded prims are normalised: the schema hands them back unchanged.
      for (const prim of decoded.prims) expect(primSchema.parse(prim)).toEqual(prim);
    }
  });

  it("never meets -0: normalisation turns small negative numbers into 0", () => {
    const raw = makePrim(1, presetShape("box"), { x: -0.0004, y: 0, z: 0 });
    const prim = normalizePrim({
      ...raw,
      shape: normalizeShape({ ...presetShape("box"), taperX: -0.0001 }),
      faces: [{ ...DEFAULT_FACE, offset: { u: -0.0001, v: 0 }, rotation: -0.01 }],
    });
    expect([prim.position.x, prim.shape.taperX, prim.faces[0]!.offset.u, prim.faces[0]!.rotation].every((value) => Object.is(value, 0))).toBe(true);
    expect(roundTrip([prim]).prims).toEqual([prim]);
  });
});

/** The tile at the default spawn: 64 m wide, prims sent relative to its centre. */
const TILE_ORIGIN = { x: 160, z: 160 };

describe("sizes", () => {
  const plain = (scale: number, rotated: boolean) =>
    makePrim(1001, presetShape("box"), { x: 183.456, y: 19.999, z: 129.001 }, {
      scale: { x: scale, y: scale / 2, z: scale },
      rotation: rotated ? quantizeRotation({ x: 0.2, y: 0.6, z: -0.1, w: 0.7 }) : IDENTITY,
      faces: [solidFace(200, 120, 40)],
    });

  it("puts a default-shape prim with a rotation and one face style in at most 32 bytes", () => {
    for (const scale of [0.5, 1, 16, 64]) {
      expect(primRecordByteLength(plain(scale, true), TILE_ORIGIN, 1000), `scale ${scale}`).toBeLessThanOrEqual(32);
      // The rotation is the only thing an unrotated prim saves: 6 bytes.
      expect(primRecordByteLength(plain(scale, false), TILE_ORIGIN, 1000)).toBe(primRecordByteLength(plain(scale, true), TILE_ORIGIN, 1000) - ROTATION_BYTES);
    }
  });

  it("puts a fully customised shape and transform well under Second Life's 59 bytes", () => {
    const custom = makePrim(1001, normalizeShape(customShape), { x: 183.456, y: 19.999, z: 129.001 }, {
      scale: { x: 12.345, y: 3.5, z: 40 },
      rotation: quantizeRotation({ x: 0.2, y: 0.6, z: -0.1, w: 0.7 }),
      root: 1000,
    });
    // Every number of the shape differs from every preset's: each is on the wire.
    for (const name of SHAPE_NUMBERS) for (const preset of PRESET_NAMES) expect(custom.shape[name], `${name} vs ${preset}`).not.toBe(presetShape(preset)[name]);
    const styleBytes = new ByteWriter();
    writeFace(styleBytes, custom.faces[0]!, new StringTable(64, "texture id"));
    const shapeAndTransform = primRecordByteLength(custom, TILE_ORIGIN, 1000) - styleBytes.length;
    expect(shapeAndTransform).toBeLessThanOrEqual(52);
  });

  it("spends at most 16 bytes on a face style that uses every field", () => {
    const table = new StringTable(64, "texture id");
    table.add(fullFace.texture);
    const out = new ByteWriter();
    writeFace(out, fullFace, table);
    expect(out.length).toBeLessThanOrEqual(16);
  });
});

describe("encodePrims", () => {
  const prim = makePrim(1, presetShape("box"), { x: 0, y: 0, z: 0 });

  it("refuses batches over its limits", () => {
    expect(() => encodePrims(Array.from({ length: 0x10000 }, (_, i) => ({ ...prim, id: i + 1 })), { x: 0, z: 0 })).toThrow(RangeError);
    expect(() => encodePrims(Array.from({ length: 4097 }, (_, i) => ({ ...prim, id: i + 1, owner: `p${i}` })), { x: 0, z: 0 })).toThrow(/4096/);
    expect(() => encodePrims([{ ...prim, owner: "x".repeat(33) }], { x: 0, z: 0 })).toThrow(RangeError);
    expect(() => encodePrims([{ ...prim, faces: Array.from({ length: 10 }, () => DEFAULT_FACE) }], { x: 0, z: 0 })).toThrow(/face styles/);
  });

  it("refuses what it cannot send exactly", () => {
    const refuse = (changed: Partial<Prim>) => expect(() => encodePrims([{ ...prim, ...changed }], { x: 0, z: 0 })).toThrow(RangeError);
    refuse({ position: { x: 0.0005, y: 0, z: 0 } });
    refuse({ scale: { x: 0.001, y: 1, z: 1 } });
    refuse({ rotation: { x: 0.5, y: 0.5, z: 0.5, w: 0.5001 } });
    refuse({ shape: { ...presetShape("box"), profileBegin: 0.5, profileEnd: 0.5 } });
    refuse({ shape: { ...presetShape("box"), hollow: 0.1234 } });
    refuse({ id: 0 });
    refuse({ root: 1 });
  });

  it("sends rotations next to a tie of their two largest components exactly", () => {
    const random = new Random(3);
    const bytes = new Uint8Array(ROTATION_BYTES);
    for (let i = 0; i < 2000; i++) {
      const a = random.float(0.5, 0.71);
      const raw: Quat = { x: random.float(-0.1, 0.1), y: a, z: random.float(-0.1, 0.1), w: a + random.float(-1e-5, 1e-5) };
      const rotation = quantizeRotation(raw);
      packRotation(rotation, bytes, 0);
      expect(unpackRotation(bytes, 0)).toEqual(rotation);
      expect(roundTrip([{ ...prim, rotation }]).prims[0]!.rotation).toEqual(rotation);
    }
  });
});

it("keeps a textured prim's whole style", () => {
  expectRoundTrip([makePrim(7, normalizeShape(customShape), { x: 1, y: 2, z: 3 }, { faces: [fullFace, solidFace(1, 2, 3), fullFace] })], { x: 0, z: 0 });
});
