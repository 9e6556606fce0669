import {
  HOLE_SHAPES,
  PATH_CURVES,
  PRESETS,
  PRESET_NAMES,
  PROFILE_CURVES,
  SHAPE_NUMBERS,
  SHAPE_PARAMS,
  normalizeShape,
  sameShape,
  shapeStep,
  type PrimShape,
  type ShapeNumber,
} from "../shape.ts";
import { BitReader, BitWriter, type ByteReader, type ByteWriter } from "./bytes.ts";
import { PrimDecodeError } from "./errors.ts";

/**
 * A shape on the wire: the preset it is closest to, then what differs from that preset.
 *   exact preset:  u8 preset index
 *   custom shape:  bit block, least significant bit first, zero-padded to a whole byte:
 *     4 bits  preset index
 *     17 bits presence mask: bit 0 the curves, bit 1 + i the i-th of SHAPE_NUMBERS
 *     [5 bits curves: profile 2, hole 2, path 1 (indexes into PROFILE_CURVES, HOLE_SHAPES, PATH_CURVES)]
 *     each present number: its steps above its range's minimum, in the fewest bits that hold the range
 */

const bitsFor = (largest: number) => 32 - Math.clz32(largest);

interface NumberField {
  name: ShapeNumber;
  per: number;
  /** Steps of the range's minimum. */
  least: number;
  /** Steps from minimum to maximum. */
  span: number;
  width: number;
}

const FIELDS: readonly NumberField[] = SHAPE_NUMBERS.map((name) => {
  const { min, max, per } = SHAPE_PARAMS[name];
  const least = Math.round(min * per);
  const span = Math.round(max * per) - least;
  return { name, per, least, span, width: bitsFor(span) };
});
const PRESET_SHAPES = PRESET_NAMES.map((name) => PRESETS[name]);
const PRESET_BITS = bitsFor(PRESET_SHAPES.length - 1);
const MASK_BITS = 1 + FIELDS.length;
const PROFILE_BITS = bitsFor(PROFILE_CURVES.length - 1);
const HOLE_BITS = bitsFor(HOLE_SHAPES.length - 1);
const PATH_BITS = bitsFor(PATH_CURVES.length - 1);
const CURVE_BITS = PROFILE_BITS + HOLE_BITS + PATH_BITS;

const sameCurves = (a: Readonly<PrimShape>, b: Readonly<PrimShape>) => a.profile === b.profile && a.hole === b.hole && a.path === b.path;
const numbersOf = (shape: Readonly<PrimShape>) => FIELDS.map((field) => shape[field.name]);
// Comparing arrays rather than reading properties by name keeps choosing a base cheap.
const PRESET_NUMBERS = PRESET_SHAPES.map(numbersOf);

/** The preset a shape is sent against. */
export interface ShapeBase {
  preset: number;
  /** Whether the shape differs from the preset. */
  custom: boolean;
}

/** The preset whose differences from `shape` take the fewest bits; ties go to the first. */
export function shapeBase(shape: Readonly<PrimShape>): ShapeBase {
  const numbers = numbersOf(shape);
  let preset = 0;
  let fewest = Infinity;
  for (let i = 0; i < PRESET_SHAPES.length && fewest > 0; i++) {
    let bits = sameCurves(shape, PRESET_SHAPES[i]!) ? 0 : CURVE_BITS;
    const presetNumbers = PRESET_NUMBERS[i]!;
    for (let f = 0; f < FIELDS.length; f++) if (numbers[f] !== presetNumbers[f]) bits += FIELDS[f]!.width;
    if (bits < fewest) [preset, fewest] = [i, bits];
  }
  return { preset, custom: fewest > 0 };
}

/** Writes a shape against its {@link shapeBase}; a RangeError for a shape that is not normalised. */
export function writeShape(out: ByteWriter, shape: Readonly<PrimShape>, base: ShapeBase): void {
  if (!base.custom) {
    out.u8(base.preset);
    return;
  }
  if (!sameShape(normalizeShape(shape), shape)) throw new RangeError("shape is not normalised: pass it through normalizeShape first");
  const preset = PRESET_SHAPES[base.preset]!;
  let mask = sameCurves(shape, preset) ? 0 : 1;
  FIELDS.forEach((field, i) => {
    if (shape[field.name] !== preset[field.name]) mask |= 2 << i;
  });
  const bits = new BitWriter(out);
  bits.write(base.preset, PRESET_BITS);
  bits.write(mask, MASK_BITS);
  if (mask & 1) {
    const curves = [PROFILE_CURVES.indexOf(shape.profile), HOLE_SHAPES.indexOf(shape.hole), PATH_CURVES.indexOf(shape.path)];
    if (curves.includes(-1)) throw new RangeError(`unknown curve in shape ${shape.profile}/${shape.hole}/${shape.path}`);
    bits.write(curves[0]!, PROFILE_BITS);
    bits.write(curves[1]!, HOLE_BITS);
    bits.write(curves[2]!, PATH_BITS);
  }
  FIELDS.forEach((field, i) => {
    if (mask & (2 << i)) bits.write(shapeStep(field.name, shape[field.name]) - field.least, field.width);
  });
  bits.end();
}

/** Reads what {@link writeShape} wrote; `custom` comes from the prim's flags. */
export function readShape(input: ByteReader, custom: boolean): PrimShape {
  if (!custom) return { ...presetAt(input.u8("shape")) };
  const bits = new BitReader(input, "shape");
  const shape = { ...presetAt(bits.read(PRESET_BITS)) };
  const mask = bits.read(MASK_BITS);
  if (mask & 1) {
    shape.profile = entry(PROFILE_CURVES, bits.read(PROFILE_BITS), "profile");
    shape.hole = entry(HOLE_SHAPES, bits.read(HOLE_BITS), "hole");
    shape.path = entry(PATH_CURVES, bits.read(PATH_BITS), "path");
  }
  FIELDS.forEach((field, i) => {
    if (!(mask & (2 << i))) return;
    const steps = bits.read(field.width);
    if (steps > field.span) throw new PrimDecodeError(`shape ${field.name} is out of range`);
    shape[field.name] = (steps + field.least) / field.per;
  });
  bits.end();
  if (!sameShape(normalizeShape(shape), shape)) throw new PrimDecodeError("shape is not normalised");
  return shape;
}

const presetAt = (index: number) => entry(PRESET_SHAPES, index, "preset");

function entry<T>(list: readonly T[], index: number, what: string): T {
  if (index >= list.length) throw new PrimDecodeError(`unknown shape ${what} ${index}`);
  return list[index]!;
}
