export { demoWorld, PLAZA_TOP } from "./demo-world.ts";
export { PRESET_SHOWCASE, VARIANT_SHOWCASE, type ShowcaseShape } from "./showcase.ts";
export { yawRotation } from "./builder.ts";
