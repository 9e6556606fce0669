import { PrimDecodeError, decodePrims, encodePrims, type Prim } from "@tessera/prims";

/**
 * `prims` messages (relay -> client, bytes): u8 kind, then a prim batch (see the prims codec), or
 * for {@link PrimStream.Removed} and {@link PrimStream.Deleted} a u32 count and that many u32 prim
 * ids (little-endian).
 * A joining client gets its tile's prims as a series of {@link PrimStream.Load} chunks ending with
 * one {@link PrimStream.LoadDone} chunk (empty for an empty tile), then {@link PrimStream.Update}s
 * as prims are added or changed and {@link PrimStream.Removed} as they leave the tile.
 */
export const PrimStream = {
  /** Part of the initial load; more follows. */
  Load: 0,
  /** The last part of the initial load: the client now knows every prim of the tile. */
  LoadDone: 1,
  /** Prims added or changed since the load (built, or handed over from a neighbouring tile). */
  Update: 2,
  /** Prims that left the tile (handed over to a neighbour): ids only. */
  Removed: 3,
  /** Prims deleted from the world: ids only. Gone at once, wherever the client saw them. */
  Deleted: 4,
} as const;
export type PrimStreamKind = (typeof PrimStream)[keyof typeof PrimStream];

/** Most prims in one chunk. */
export const PRIM_CHUNK_PRIMS = 256;
/** Largest chunk, bytes: well inside a WebSocket frame and quick to decode in one go. */
export const PRIM_CHUNK_BYTES = 16 * 1024;

type IdsKind = typeof PrimStream.Removed | typeof PrimStream.Deleted;

export type PrimStreamMessage =
  | { kind: Exclude<PrimStreamKind, IdsKind>; origin: { x: number; z: number }; prims: Prim[] }
  | { kind: typeof PrimStream.Removed; ids: number[] }
  | { kind: typeof PrimStream.Deleted; ids: number[] };

export function encodePrimStream(kind: Exclude<PrimStreamKind, IdsKind>, prims: readonly Prim[], origin: { x: number; z: number }): Uint8Array {
  const batch = encodePrims(prims, origin);
  const bytes = new Uint8Array(batch.byteLength + 1);
  bytes[0] = kind;
  bytes.set(batch, 1);
  return bytes;
}

/** A {@link PrimStream.Removed} (default) or {@link PrimStream.Deleted} message naming these prims. */
export function encodePrimRemoval(ids: readonly number[], kind: IdsKind = PrimStream.Removed): Uint8Array {
  const bytes = new Uint8Array(5 + 4 * ids.length);
  const view = new DataView(bytes.buffer);
  bytes[0] = kind;
  view.setUint32(1, ids.length, true);
  ids.forEach((id, i) => view.setUint32(5 + 4 * i, id, true));
  return bytes;
}

/** Throws {@link PrimDecodeError} for anything malformed. */
export function decodePrimStream(bytes: Uint8Array): PrimStreamMessage {
  if (bytes.byteLength < 1) throw new PrimDecodeError("empty prims message");
  const kind = bytes[0]!;
  if (kind === PrimStream.Removed || kind === PrimStream.Deleted) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const count = bytes.byteLength >= 5 ? view.getUint32(1, true) : -1;
    if (count < 0 || bytes.byteLength !== 5 + 4 * count) throw new PrimDecodeError("malformed prim removal");
    return { kind, ids: Array.from({ length: count }, (_, i) => view.getUint32(5 + 4 * i, true)) };
  }
  if (kind !== PrimStream.Load && kind !== PrimStream.LoadDone && kind !== PrimStream.Update) throw new PrimDecodeError(`unknown prims message kind ${kind}`);
  const { origin, prims } = decodePrims(bytes.subarray(1));
  return { kind, origin, prims };
}

/**
 * Cuts a tile's prims into load chunks of at most {@link PRIM_CHUNK_PRIMS} prims and
 * {@link PRIM_CHUNK_BYTES} bytes, the last one marked {@link PrimStream.LoadDone}. Always at least one.
 */
export function loadChunks(prims: readonly Prim[], origin: { x: number; z: number }): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  do {
    let count = Math.min(PRIM_CHUNK_PRIMS, prims.length - start);
    let bytes = encodePrimStream(PrimStream.Load, prims.slice(start, start + count), origin);
    while (bytes.byteLength > PRIM_CHUNK_BYTES && count > 1) {
      count = Math.ceil(count / 2);
      bytes = encodePrimStream(PrimStream.Load, prims.slice(start, start + count), origin);
    }
    chunks.push(bytes);
    start += count;
  } while (start < prims.length);
  chunks[chunks.length - 1]![0] = PrimStream.LoadDone;
  return chunks;
}
