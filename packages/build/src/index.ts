export * from "./snap.ts";
export * from "./selection.ts";
export * from "./build-tools.ts";
