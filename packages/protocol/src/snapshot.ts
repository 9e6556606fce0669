import { ROTATION_BYTES, packRotation, unpackRotation, type Quat } from "@tessera/prims";
import { dequantizeAngle, quantizeAngle, quantizeSigned } from "./quantize.ts";

/**
 * Motion snapshot, relay -> one client, sent as bytes under message type `snap`.
 *
 * Little-endian layout:
 *   u8  format (= SNAPSHOT_FORMAT)
 *   u32 tick          relay simulation tick the snapshot was taken at
 *   u32 ack           last input seq the relay simulated for this client's avatar (0: none yet)
 *   i32 originX, i32 originZ   whole metres; entity x/z are relative to this point
 *   u8  hasOwn        1 when the own-avatar block follows
 *   own block (18 bytes): f32 x, f32 y, f32 z, f32 vy (full precision, for reconciliation), u8 yaw, u8 flags
 *   u16 count
 *   count x entity (10 bytes): u16 netId, i16 x, i16 y, i16 z (1/128 m), u8 yaw (1/256 turn), u8 flags
 *   u16 bodyCount
 *   bodyCount x body (20 bytes): u32 prim id, i24 x, i24 y, i24 z (mm; x and z relative to the
 *     origin), 6-byte rotation (smallest three, as in prim records), u8 flags
 *
 * Entity positions cover +-256 m around the origin at 7.8 mm resolution. Bodies (physical prims)
 * are on the prims' own millimetre and rotation grids, so a body at rest is exactly its prim record.
 */
export const SNAPSHOT_FORMAT = 2;
export const POSITION_SCALE = 128;
const HEADER_BYTES = 1 + 4 + 4 + 4 + 4 + 1;
const OWN_BYTES = 18;
const ENTITY_BYTES = 10;
const BODY_BYTES = 4 + 9 + ROTATION_BYTES + 1;
export const MAX_SNAPSHOT_ENTITIES = 0xffff;
/** Bodies reach this far from the origin (i24 millimetres). */
const BODY_REACH_MM = 2 ** 23 - 1;

/** Entity flag bits. */
export const MotionFlags = {
  Grounded: 1,
  Running: 2,
} as const;

/** Body flag bits. */
export const BodyFlags = {
  /** The body came to rest: it will not be sent again until it moves. */
  Resting: 1,
} as const;

/** A physical prim's pose. Position in world metres (millimetre grid), rotation on the prims' grid. */
export interface BodyMotion {
  id: number;
  x: number;
  y: number;
  z: number;
  rotation: Quat;
  flags: number;
}

export interface EntityMotion {
  netId: number;
  x: number;
  y: number;
  z: number;
  yaw: number;
  flags: number;
}

export interface OwnMotion {
  x: number;
  y: number;
  z: number;
  vy: number;
  yaw: number;
  flags: number;
}

export interface Snapshot {
  tick: number;
  ack: number;
  originX: number;
  originZ: number;
  own?: OwnMotion;
  entities: EntityMotion[];
  bodies: BodyMotion[];
}

export class SnapshotDecodeError extends Error {
  override name = "SnapshotDecodeError";
}

export function snapshotByteLength(snapshot: Snapshot): number {
  return HEADER_BYTES + (snapshot.own ? OWN_BYTES : 0) + 2 + snapshot.entities.length * ENTITY_BYTES + 2 + snapshot.bodies.length * BODY_BYTES;
}

function setInt24(view: DataView, offset: number, value: number): void {
  if (!(Math.abs(value) <= BODY_REACH_MM)) throw new RangeError(`a body lies ${value} mm from the snapshot's origin; at most ${BODY_REACH_MM}`);
  view.setUint16(offset, value & 0xffff, true);
  view.setInt8(offset + 2, value >> 16);
}

function getInt24(view: DataView, offset: number): number {
  return view.getUint16(offset, true) | (view.getInt8(offset + 2) << 16);
}

export function encodeSnapshot(snapshot: Snapshot): Uint8Array {
  if (snapshot.entities.length > MAX_SNAPSHOT_ENTITIES || snapshot.bodies.length > MAX_SNAPSHOT_ENTITIES) {
    throw new RangeError(`a snapshot holds at most ${MAX_SNAPSHOT_ENTITIES} entities and as many bodies`);
  }
  const bytes = new Uint8Array(snapshotByteLength(snapshot));
  const view = new DataView(bytes.buffer);
  let o = 0;
  view.setUint8(o, SNAPSHOT_FORMAT);
  view.setUint32(o + 1, snapshot.tick >>> 0, true);
  view.setUint32(o + 5, snapshot.ack >>> 0, true);
  const originX = Math.round(snapshot.originX);
  const originZ = Math.round(snapshot.originZ);
  view.setInt32(o + 9, originX, true);
  view.setInt32(o + 13, originZ, true);
  view.setUint8(o + 17, snapshot.own ? 1 : 0);
  o += HEADER_BYTES;
  if (snapshot.own) {
    const own = snapshot.own;
    view.setFloat32(o, own.x, true);
    view.setFloat32(o + 4, own.y, true);
    view.setFloat32(o + 8, own.z, true);
    view.setFloat32(o + 12, own.vy, true);
    view.setUint8(o + 16, quantizeAngle(own.yaw, 8));
    view.setUint8(o + 17, own.flags);
    o += OWN_BYTES;
  }
  view.setUint16(o, snapshot.entities.length, true);
  o += 2;
  for (const e of snapshot.entities) {
    view.setUint16(o, e.netId, true);
    view.setInt16(o + 2, quantizeSigned(e.x - originX, POSITION_SCALE, 16), true);
    view.setInt16(o + 4, quantizeSigned(e.y, POSITION_SCALE, 16), true);
    view.setInt16(o + 6, quantizeSigned(e.z - originZ, POSITION_SCALE, 16), true);
    view.setUint8(o + 8, quantizeAngle(e.yaw, 8));
    view.setUint8(o + 9, e.flags);
    o += ENTITY_BYTES;
  }
  view.setUint16(o, snapshot.bodies.length, true);
  o += 2;
  for (const b of snapshot.bodies) {
    view.setUint32(o, b.id, true);
    setInt24(view, o + 4, Math.round((b.x - originX) * 1000));
    setInt24(view, o + 7, Math.round(b.y * 1000));
    setInt24(view, o + 10, Math.round((b.z - originZ) * 1000));
    packRotation(b.rotation, bytes, o + 13);
    view.setUint8(o + 13 + ROTATION_BYTES, b.flags);
    o += BODY_BYTES;
  }
  return bytes;
}

/** Decodes a snapshot; throws {@link SnapshotDecodeError} for anything malformed, never reads out of bounds. */
export function decodeSnapshot(bytes: Uint8Array): Snapshot {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (end: number, what: string) => {
    if (end > bytes.byteLength) throw new SnapshotDecodeError(`snapshot truncated in ${what} (${bytes.byteLength} bytes)`);
  };
  need(HEADER_BYTES, "header");
  const format = view.getUint8(0);
  if (format !== SNAPSHOT_FORMAT) throw new SnapshotDecodeError(`unknown snapshot format ${format}`);
  const tick = view.getUint32(1, true);
  const ack = view.getUint32(5, true);
  const originX = view.getInt32(9, true);
  const originZ = view.getInt32(13, true);
  const hasOwn = view.getUint8(17);
  if (hasOwn > 1) throw new SnapshotDecodeError(`bad own-avatar marker ${hasOwn}`);
  let o = HEADER_BYTES;
  let own: OwnMotion | undefined;
  if (hasOwn) {
    need(o + OWN_BYTES, "own avatar");
    own = {
      x: view.getFloat32(o, true),
      y: view.getFloat32(o + 4, true),
      z: view.getFloat32(o + 8, true),
      vy: view.getFloat32(o + 12, true),
      yaw: dequantizeAngle(view.getUint8(o + 16), 8),
      flags: view.getUint8(o + 17),
    };
    if (![own.x, own.y, own.z, own.vy].every(Number.isFinite)) throw new SnapshotDecodeError("own avatar holds a non-finite number");
    o += OWN_BYTES;
  }
  need(o + 2, "entity count");
  const count = view.getUint16(o, true);
  o += 2;
  need(o + count * ENTITY_BYTES + 2, "entities");
  const entities: EntityMotion[] = new Array<EntityMotion>(count);
  for (let i = 0; i < count; i++, o += ENTITY_BYTES) {
    entities[i] = {
      netId: view.getUint16(o, true),
      x: originX + view.getInt16(o + 2, true) / POSITION_SCALE,
      y: view.getInt16(o + 4, true) / POSITION_SCALE,
      z: originZ + view.getInt16(o + 6, true) / POSITION_SCALE,
      yaw: dequantizeAngle(view.getUint8(o + 8), 8),
      flags: view.getUint8(o + 9),
    };
  }
  const bodyCount = view.getUint16(o, true);
  o += 2;
  if (o + bodyCount * BODY_BYTES !== bytes.byteLength) {
    throw new SnapshotDecodeError(`snapshot says ${bodyCount} bodies but carries ${bytes.byteLength - o} bytes for them`);
  }
  const bodies: BodyMotion[] = new Array<BodyMotion>(bodyCount);
  for (let i = 0; i < bodyCount; i++, o += BODY_BYTES) {
    bodies[i] = {
      id: view.getUint32(o, true),
      x: (originX * 1000 + getInt24(view, o + 4)) / 1000,
      y: getInt24(view, o + 7) / 1000,
      z: (originZ * 1000 + getInt24(view, o + 10)) / 1000,
      rotation: unpackRotation(bytes, o + 13),
      flags: view.getUint8(o + 13 + ROTATION_BYTES),
    };
  }
  return own ? { tick, ack, originX, originZ, own, entities, bodies } : { tick, ack, originX, originZ, entities, bodies };
}
