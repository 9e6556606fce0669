import { PrimDecodeError, decodePrims, encodePrims, type Prim } from "@tessera/prims";

/**
 * `prims` messages (relay -> client, bytes): u8 kind, then a prim batch (see the prims codec).
 * A joining client gets its tile's prims as a series of {@link PrimStream.Load} chunks ending with
 * one {@link PrimStream.LoadDone} chunk (empty for an empty tile), then {@link PrimStream.Update}s
 * as prims are added or changed.
 */
export const PrimStream = {
  /** Part of the initial load; more follows. */
  Load: 0,
  /** The last part of the initial load: the client now knows every prim of the tile. */
  LoadDone: 1,
  /** Prims added or changed since the load. */
  Update: 2,
} as const;
export type PrimStreamKind = (typeof PrimStream)[keyof typeof PrimStream];

/** Most prims in one chunk. */
export const PRIM_CHUNK_PRIMS = 256;
/** Largest chunk, bytes: well inside a WebSocket frame and quick to decode in one go. */
export const PRIM_CHUNK_BYTES = 16 * 1024;

export interface PrimStreamMessage {
  kind: PrimStreamKind;
  origin: { x: number; z: number };
  prims: Prim[];
}

export function encodePrimStream(kind: PrimStreamKind, prims: readonly Prim[], origin: { x: number; z: number }): Uint8Array {
  const batch = encodePrims(prims, origin);
  const bytes = new Uint8Array(batch.byteLength + 1);
  bytes[0] = kind;
  bytes.set(batch, 1);
  return bytes;
}

/** Throws {@link PrimDecodeError} for anything malformed. */
export function decodePrimStream(bytes: Uint8Array): PrimStreamMessage {
  if (bytes.byteLength < 1) throw new PrimDecodeError("empty prims message");
  const kind = bytes[0]!;
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
