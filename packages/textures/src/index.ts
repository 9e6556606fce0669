export * from "./tiers.ts";
export * from "./texture-id.ts";
export * from "./library/index.ts";
export * from "./texture-planner.ts";
