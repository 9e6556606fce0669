export * from "./constants.ts";
export * from "./movement.ts";
export * from "./world.ts";
export { loadRapier } from "./rapier.ts";
