import { gzipSync } from "node:zlib";
import { loadChunks, parseTileId, primsByTile, tileCentre, type WorldConfig } from "@tessera/protocol";
import { demoWorld } from "@tessera/worldgen";

/**
 * Second Life's cost of one prim, for comparison: 59 bytes of shape and transform in its compressed
 * object update (DESIGN.md), plus a texture entry with every face alike: a 16-byte texture UUID, 4
 * colour, 4 + 4 repeats, 2 + 2 offset, 2 rotation, 1 material, 1 media, 1 glow, and a terminator
 * byte after each of its 9 fields: 46 bytes.
 */
export const SECOND_LIFE_BYTES = 59 + 46;

export interface WireSizes {
  prims: number;
  tiles: number;
  /** Bytes per prim of each encoding, load messages of the whole world divided by its prims. */
  oursBytesPerPrim: number;
  jsonBytesPerPrim: number;
  jsonGzipBytesPerPrim: number;
  secondLifeBytesPerPrim: number;
}

/** Bytes per prim over the demo world, sent tile by tile as a joining client gets it. */
export function wireSizes(world: WorldConfig): WireSizes {
  const byTile = primsByTile(demoWorld(world), world.tileSize);
  let ours = 0;
  let json = 0;
  let gzip = 0;
  let prims = 0;
  for (const [id, tilePrims] of byTile) {
    ours += loadChunks(tilePrims, tileCentre(parseTileId(id)!, world.tileSize)).reduce((sum, chunk) => sum + chunk.byteLength, 0);
    const text = Buffer.from(JSON.stringify(tilePrims));
    json += text.byteLength;
    gzip += gzipSync(text).byteLength;
    prims += tilePrims.length;
  }
  return {
    prims,
    tiles: byTile.size,
    oursBytesPerPrim: ours / prims,
    jsonBytesPerPrim: json / prims,
    jsonGzipBytesPerPrim: gzip / prims,
    secondLifeBytesPerPrim: SECOND_LIFE_BYTES,
  };
}
