export * from "./session.ts";
export * from "./world-client.ts";
export * from "./prim-set.ts";
