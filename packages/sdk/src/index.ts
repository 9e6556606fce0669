export * from "./session.ts";
export * from "./world-client.ts";
export * from "./prim-set.ts";
export { lagOptionsSchema, type LagOptions } from "./lag.ts";
export { EXTRAPOLATION_CAP_MS } from "./tracks.ts";
export { leaveRoom } from "./leave-room.ts";
export { EditError, type EditDone, type EditStats } from "./edits.ts";
export { TEXTURE_TYPES, TextureRefused } from "./texture-upload.ts";
export { OthersSelections, selectionColour, type OthersSelection } from "./selections.ts";
