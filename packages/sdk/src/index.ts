export * from "./session.ts";
export * from "./world-client.ts";
