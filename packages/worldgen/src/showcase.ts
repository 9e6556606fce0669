import { PRESET_NAMES, normalizeShape, presetShape, type PrimShape } from "@tessera/prims";

export interface ShowcaseShape {
  name: string;
  shape: PrimShape;
}

const variant = (name: string, base: Parameters<typeof presetShape>[0], change: Partial<PrimShape>): ShowcaseShape => ({
  name,
  shape: normalizeShape({ ...presetShape(base), ...change }),
});

/** Every preset, as a creator first meets it. */
export const PRESET_SHOWCASE: readonly ShowcaseShape[] = PRESET_NAMES.map((name) => ({ name, shape: presetShape(name) }));

/** What cuts, hollows, twists, tapers and the circle path's own parameters do: one of each. */
export const VARIANT_SHOWCASE: readonly ShowcaseShape[] = [
  variant("hollow box, round hole", "box", { hollow: 0.6, hole: "circle" }),
  variant("cut hollow cylinder", "cylinder", { profileBegin: 0.25, hollow: 0.5 }),
  variant("twisted box", "box", { twistBegin: -90, twistEnd: 90 }),
  variant("sheared tapered prism", "prism", { taperX: 0.5, shearX: 0.3 }),
  variant("sliced cylinder", "cylinder", { pathBegin: 0.2, pathEnd: 0.7, hollow: 0.3 }),
  variant("dimpled sphere", "sphere", { profileBegin: 0.2 }),
  variant("path-cut hollow sphere", "sphere", { pathBegin: 0.125, pathEnd: 0.875, hollow: 0.5 }),
  variant("open torus", "torus", { pathEnd: 0.75, holeSizeY: 0.35 }),
  variant("spiral", "torus", { revolutions: 3, holeSizeX: 0.2, holeSizeY: 0.15, radiusOffset: 0.5 }),
  variant("twisted ring", "ring", { twistEnd: 360, holeSizeY: 0.4 }),
  variant("tapered tube", "tube", { taperY: 0.6, hollow: 0.4, hole: "square" }),
  variant("skewed cone", "cone", { shearX: -0.4, shearY: 0.2, hollow: 0.4, hole: "triangle" }),
];
