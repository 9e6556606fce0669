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
 *   own block (34 bytes): f64 x, f64 y, f64 z, f64 vy, u8 yaw, u8 flags: the relay's own numbers,
 *     bit for bit, so that a client replaying its inputs from them gets what the relay gets (the
 *     character controller's outcome can hinge on a millionth of a metre)
 *   u16 count
 *   count x entity (10 bytes): u16 netId, i16 x, i16 y, i16 z (1/128 m), u8 yaw (1/256 turn), u8 flags
 *   u16 bodyCount
 *   bodyCount x body (20 bytes): u32 prim id, i24 x, i24 y, i24 z (mm; x and z relative to the
 *     origin), 6-byte rotation (smallest three, as in prim records), u8 flags
 *
 * Entity positions cover +-256 m around the origin at 7.8 mm resolution. Bodies (physical prims)
 * are on the prims' own millimetre and rotation grids, so a body at rest is exactly its prim record.
 * A snapshot may carry any subset of the avatars and bodies: the relay sends each client what changed
 * since it last got it, within a byte budget; one left out keeps its last sample.
 */
export const SNAPSHOT_FORMAT = 3;
export const POSITION_SCALE = 128;
const HEADER_BYTES = 1 + 4 + 4 + 4 + 4 + 1;
const OWN_BYTES = 34;
/** Bytes one other avatar takes in a snapshot. */
export const SNAPSHOT_ENTITY_BYTES = 10;
/** Bytes one body takes in a snapshot. */
export const SNAPSHOT_BODY_BYTES = 4 + 9 + ROTATION_BYTES + 1;
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
  /** The body came to rest: it is not sent again until it moves (but for a rare refresh). */
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

/** Bytes of a snapshot besides its avatars and bodies: the header, the own block if any, the two counts. */
export function snapshotFixedBytes(hasOwn: boolean): number {
  return HEADER_BYTES + (hasOwn ? OWN_BYTES : 0) + 2 + 2;
}

export function snapshotByteLength(snapshot: Snapshot): number {
  return snapshotFixedBytes(snapshot.own !== undefined) + snapshot.entities.length * SNAPSHOT_ENTITY_BYTES + snapshot.bodies.length * SNAPSHOT_BODY_BYTES;
}

function setInt24(view: DataView, offset: number, value: number): void {
  if (!(Math.abs(value) <= BODY_REACH_MM)) throw new RangeError(`a body lies ${value} mm from the snapshot's origin; at most ${BODY_REACH_MM}`);
  view.setUint16(offset, value & 0xffff, true);
  view.setInt8(offset + 2, value >> 16);
}

function getInt24(view: DataView, offset: number): number {
  return view.getUint16(offset, true) | (view.getInt8(offset + 2) << 16);
}

/** An avatar coordinate as a snapshot carries it: 1/128 m from the (whole-metre) origin, i16. */
export function quantizeEntityCoord(value: number, origin: number): number {
  return quantizeSigned(value - origin, POSITION_SCALE, 16);
}

/** A body coordinate as a snapshot carries it: millimetres from the (whole-metre) origin. */
export function quantizeBodyCoord(value: number, origin: number): number {
  return Math.round((value - origin) * 1000);
}

/**
 * Writes snapshots field by field from values already quantised as the wire carries them, into one
 * buffer it reuses: {@link begin}, then exactly the announced avatars and bodies (in any order), then
 * {@link bytes}. For senders that pick what goes in without building {@link Snapshot} objects.
 */
export class SnapshotWriter {
  private buffer = new Uint8Array(256);
  private view = new DataView(this.buffer.buffer);
  /** Where the next avatar and the next body go. */
  private entityAt = 0;
  private bodyAt = 0;
  /** Where the avatars end (the body count) and where the snapshot ends. */
  private entitiesEnd = 0;
  private end = 0;

  /** Starts a snapshot of `entityCount` avatars and `bodyCount` bodies. Origin in whole metres. */
  begin(tick: number, ack: number, originX: number, originZ: number, own: Readonly<OwnMotion> | undefined, entityCount: number, bodyCount: number): void {
    if (entityCount > MAX_SNAPSHOT_ENTITIES || bodyCount > MAX_SNAPSHOT_ENTITIES) {
      throw new RangeError(`a snapshot holds at most ${MAX_SNAPSHOT_ENTITIES} entities and as many bodies`);
    }
    this.entitiesEnd = snapshotFixedBytes(own !== undefined) - 2 + entityCount * SNAPSHOT_ENTITY_BYTES;
    this.end = this.entitiesEnd + 2 + bodyCount * SNAPSHOT_BODY_BYTES;
    if (this.buffer.byteLength < this.end) {
      this.buffer = new Uint8Array(Math.max(this.end, this.buffer.byteLength * 2));
      this.view = new DataView(this.buffer.buffer);
    }
    const view = this.view;
    view.setUint8(0, SNAPSHOT_FORMAT);
    view.setUint32(1, tick >>> 0, true);
    view.setUint32(5, ack >>> 0, true);
    view.setInt32(9, originX, true);
    view.setInt32(13, originZ, true);
    view.setUint8(17, own ? 1 : 0);
    let o = HEADER_BYTES;
    if (own) {
      view.setFloat64(o, own.x, true);
      view.setFloat64(o + 8, own.y, true);
      view.setFloat64(o + 16, own.z, true);
      view.setFloat64(o + 24, own.vy, true);
      view.setUint8(o + 32, quantizeAngle(own.yaw, 8));
      view.setUint8(o + 33, own.flags);
      o += OWN_BYTES;
    }
    view.setUint16(o, entityCount, true);
    view.setUint16(this.entitiesEnd, bodyCount, true);
    this.entityAt = o + 2;
    this.bodyAt = this.entitiesEnd + 2;
  }

  /** Adds an avatar: position from {@link quantizeEntityCoord}, yaw in 1/256 turn. */
  entity(netId: number, x: number, y: number, z: number, yaw: number, flags: number): void {
    const view = this.view;
    const o = this.entityAt;
    if (o + SNAPSHOT_ENTITY_BYTES > this.entitiesEnd) throw new RangeError("more avatars than the snapshot announced");
    view.setUint16(o, netId, true);
    view.setInt16(o + 2, x, true);
    view.setInt16(o + 4, y, true);
    view.setInt16(o + 6, z, true);
    view.setUint8(o + 8, yaw);
    view.setUint8(o + 9, flags);
    this.entityAt = o + SNAPSHOT_ENTITY_BYTES;
  }

  /**
   * Adds a body: position from {@link quantizeBodyCoord}, and its rotation's 6 bytes (from
   * `packRotation`) given as their first four (u32, little-endian) and last two (u16).
   */
  body(id: number, x: number, y: number, z: number, rotationLow: number, rotationHigh: number, flags: number): void {
    const view = this.view;
    const o = this.bodyAt;
    if (o + SNAPSHOT_BODY_BYTES > this.end) throw new RangeError("more bodies than the snapshot announced");
    view.setUint32(o, id, true);
    setInt24(view, o + 4, x);
    setInt24(view, o + 7, y);
    setInt24(view, o + 10, z);
    view.setUint32(o + 13, rotationLow >>> 0, true);
    view.setUint16(o + 17, rotationHigh, true);
    view.setUint8(o + 13 + ROTATION_BYTES, flags);
    this.bodyAt = o + SNAPSHOT_BODY_BYTES;
  }

  /** The finished snapshot: a view of the writer's buffer, valid until the next {@link begin}. */
  bytes(): Uint8Array {
    if (this.entityAt !== this.entitiesEnd || this.bodyAt !== this.end) throw new RangeError("fewer avatars or bodies than the snapshot announced");
    return this.buffer.subarray(0, this.end);
  }
}

const rotationScratch = new Uint8Array(ROTATION_BYTES);
const rotationView = new DataView(rotationScratch.buffer);

export function encodeSnapshot(snapshot: Snapshot): Uint8Array {
  const writer = new SnapshotWriter();
  const originX = Math.round(snapshot.originX);
  const originZ = Math.round(snapshot.originZ);
  writer.begin(snapshot.tick, snapshot.ack, originX, originZ, snapshot.own, snapshot.entities.length, snapshot.bodies.length);
  for (const e of snapshot.entities) {
    writer.entity(e.netId, quantizeEntityCoord(e.x, originX), quantizeEntityCoord(e.y, 0), quantizeEntityCoord(e.z, originZ), quantizeAngle(e.yaw, 8), e.flags);
  }
  for (const b of snapshot.bodies) {
    packRotation(b.rotation, rotationScratch, 0);
    writer.body(b.id, quantizeBodyCoord(b.x, originX), quantizeBodyCoord(b.y, 0), quantizeBodyCoord(b.z, originZ), rotationView.getUint32(0, true), rotationView.getUint16(4, true), b.flags);
  }
  return writer.bytes().slice();
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
      x: view.getFloat64(o, true),
      y: view.getFloat64(o + 8, true),
      z: view.getFloat64(o + 16, true),
      vy: view.getFloat64(o + 24, true),
      yaw: dequantizeAngle(view.getUint8(o + 32), 8),
      flags: view.getUint8(o + 33),
    };
    if (![own.x, own.y, own.z, own.vy].every(Number.isFinite)) throw new SnapshotDecodeError("own avatar holds a non-finite number");
    o += OWN_BYTES;
  }
  need(o + 2, "entity count");
  const count = view.getUint16(o, true);
  o += 2;
  need(o + count * SNAPSHOT_ENTITY_BYTES + 2, "entities");
  const entities: EntityMotion[] = new Array<EntityMotion>(count);
  for (let i = 0; i < count; i++, o += SNAPSHOT_ENTITY_BYTES) {
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
  if (o + bodyCount * SNAPSHOT_BODY_BYTES !== bytes.byteLength) {
    throw new SnapshotDecodeError(`snapshot says ${bodyCount} bodies but carries ${bytes.byteLength - o} bytes for them`);
  }
  const bodies: BodyMotion[] = new Array<BodyMotion>(bodyCount);
  for (let i = 0; i < bodyCount; i++, o += SNAPSHOT_BODY_BYTES) {
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
