export * from "./shape.ts";
export * from "./rotation.ts";
export * from "./prim.ts";
export * from "./codec/index.ts";
export * from "./mesh/index.ts";
export { seededRandom } from "./random.ts";
export * from "./placement.ts";
export * from "./diff.ts";
export * from "./shape-limits.ts";
