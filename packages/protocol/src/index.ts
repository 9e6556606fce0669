export * from "./tile.ts";
export * from "./world-config.ts";
export * from "./messages.ts";
export * from "./http.ts";
export * from "./quantize.ts";
export * from "./snapshot.ts";
export * from "./state.ts";
