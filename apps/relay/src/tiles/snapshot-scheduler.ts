import { packRotation, ROTATION_BYTES } from "@tessera/prims";
import {
  SNAPSHOT_BODY_BYTES,
  SNAPSHOT_ENTITY_BYTES,
  SNAPSHOT_RATE,
  SnapshotWriter,
  TICK_RATE,
  quantizeAngle,
  quantizeBodyCoord,
  quantizeEntityCoord,
  snapshotFixedBytes,
  type BodyMotion,
  type OwnMotion,
} from "@tessera/protocol";
import { BudgetSelection } from "./budget-selection.ts";
import { MotionTable } from "./motion-table.ts";
import { SentMemory, UNCHANGED } from "./sent-memory.ts";

/** Each client gets a snapshot every this many ticks, on its own phase: clients are spread over them. */
export const TICKS_PER_SNAPSHOT = TICK_RATE / SNAPSHOT_RATE;
/** Within about this distance (m) an entity weighs fully; the weight falls off with its square beyond. */
const NEAR_M = 10;
/** An entity a client already has is sent again after this many ticks at the earliest, to converge. */
export const REFRESH_TICKS = 2 * TICK_RATE;
/** Such a refresh weighs this much of a change at the same age and distance. */
const REFRESH_WEIGHT = 1 / 16;
/** Framing of one `snap` message on the wire: WebSocket header (4) and Colyseus' code and type (6). */
const WIRE_BYTES = 10;
/** Share of the budget left for the rest of a client's downstream: roster patches, pings, errors. */
const OTHER_TRAFFIC_SHARE = 0.05;

const AVATAR = 0;
const BODY = 1;
/** Avatar: x, y, z (1/128 m), yaw | flags << 8. */
const AVATAR_WIDTH = 4;
/** Body: x, y, z (mm), rotation bytes 0-3, rotation bytes 4-5 | flags << 16. */
const BODY_WIDTH = 5;

/** Most bytes one snapshot (the `snap` payload) may take for a downstream budget of `kbps`. */
export function snapshotByteBudget(kbps: number): number {
  return Math.floor(((kbps * 1000) / 8 / SNAPSHOT_RATE) * (1 - OTHER_TRAFFIC_SHARE)) - WIRE_BYTES;
}

interface ClientMemory {
  /** The tick parity (mod {@link TICKS_PER_SNAPSHOT}) this client's snapshots go out on. */
  readonly phase: number;
  readonly avatars: SentMemory;
  readonly bodies: SentMemory;
  /** Bodies are only sent once the client has loaded the tile's prims. */
  bodiesOn: boolean;
}

export interface SchedulerOptions {
  /** The tile's snapshot origin, whole metres. */
  originX: number;
  originZ: number;
  /** Each client's downstream budget, kbit/s. */
  budgetKbps: number;
}

/**
 * Chooses and encodes what each client's snapshot carries, within its byte budget. The room keeps
 * the avatar and body tables current (quantised as sent); per client the scheduler remembers what it
 * was last sent of each entity and when. An entity whose quantised state the client already has is
 * left out, but for a low-priority refresh after {@link REFRESH_TICKS}; the others are ranked by
 * (ticks since last sent + 1) x a weight falling off with distance to the client's own avatar, and
 * the best that fit go out. Near movers go every snapshot while the budget allows; far ones less
 * often, never starved, since waiting raises their priority.
 */
export class SnapshotScheduler {
  private readonly avatars = new MotionTable(AVATAR_WIDTH);
  private readonly bodies = new MotionTable(BODY_WIDTH);
  /** Most bytes of each snapshot. */
  readonly byteBudget: number;
  private readonly originX: number;
  private readonly originZ: number;
  private readonly clients = new Map<string, ClientMemory>();
  private readonly phaseSizes = new Int32Array(TICKS_PER_SNAPSHOT);
  private readonly selection = new BudgetSelection();
  private readonly writer = new SnapshotWriter();
  private readonly rotation = new Uint8Array(ROTATION_BYTES);
  private readonly rotationView = new DataView(this.rotation.buffer);

  constructor(options: SchedulerOptions) {
    this.originX = options.originX;
    this.originZ = options.originZ;
    this.byteBudget = snapshotByteBudget(options.budgetKbps);
  }

  /** A new avatar, keyed by its net id; returns its slot. */
  addAvatar(netId: number): number {
    return this.avatars.add(netId);
  }

  /** An avatar's current state (feet position in world metres, facing in radians). */
  setAvatar(slot: number, x: number, y: number, z: number, yaw: number, flags: number): void {
    const words = this.avatars.words;
    const w = slot * AVATAR_WIDTH;
    words[w] = quantizeEntityCoord(x, this.originX);
    words[w + 1] = quantizeEntityCoord(y, 0);
    words[w + 2] = quantizeEntityCoord(z, this.originZ);
    words[w + 3] = quantizeAngle(yaw, 8) | (flags << 8);
    this.avatars.place(slot, x, y, z);
  }

  /** The avatar left; its slot may go to another. */
  removeAvatar(slot: number): void {
    this.avatars.remove(slot);
  }

  /** A physical prim, at its pose; returns its slot. */
  addBody(motion: BodyMotion): number {
    const slot = this.bodies.add(motion.id);
    this.setBody(slot, motion);
    return slot;
  }

  /** The body left the tile; its slot may go to another. */
  removeBody(slot: number): void {
    this.bodies.remove(slot);
  }

  /** A body's current pose (on the prims' grids). */
  setBody(slot: number, motion: BodyMotion): void {
    packRotation(motion.rotation, this.rotation, 0);
    const words = this.bodies.words;
    const w = slot * BODY_WIDTH;
    words[w] = quantizeBodyCoord(motion.x, this.originX);
    words[w + 1] = quantizeBodyCoord(motion.y, 0);
    words[w + 2] = quantizeBodyCoord(motion.z, this.originZ);
    words[w + 3] = this.rotationView.getInt32(0, true);
    words[w + 4] = this.rotationView.getUint16(4, true) | (motion.flags << 16);
    this.bodies.place(slot, motion.x, motion.y, motion.z);
  }

  /** A client to send snapshots to, from `tick`: it has been sent nothing yet. */
  addClient(id: string, tick: number): void {
    if (this.clients.has(id)) throw new Error(`client ${id} is already scheduled`);
    let phase = 0;
    for (let p = 1; p < TICKS_PER_SNAPSHOT; p++) if (this.phaseSizes[p]! < this.phaseSizes[phase]!) phase = p;
    this.phaseSizes[phase]!++;
    const client: ClientMemory = { phase, avatars: new SentMemory(), bodies: new SentMemory(), bodiesOn: false };
    client.avatars.reset(tick);
    this.clients.set(id, client);
  }

  /** The client may have lost what it was sent (a reconnection): send it everything again. */
  resetClient(id: string, tick: number): void {
    const client = this.client(id);
    client.avatars.reset(tick);
    client.bodiesOn = false;
  }

  /** The client has loaded the tile's prims: from now on it gets every body, starting with all of them. */
  startBodies(id: string, tick: number): void {
    const client = this.client(id);
    client.bodies.reset(tick);
    client.bodiesOn = true;
  }

  /** The client left: forget what it was sent. */
  removeClient(id: string): void {
    const client = this.clients.get(id);
    if (!client) return;
    this.phaseSizes[client.phase]!--;
    this.clients.delete(id);
  }

  /** Whether the client's snapshot goes out at `tick`. */
  isDue(id: string, tick: number): boolean {
    const client = this.clients.get(id);
    return client !== undefined && tick % TICKS_PER_SNAPSHOT === client.phase;
  }

  /**
   * The client's snapshot at `tick`: its own block (`own`, whose avatar is in `ownSlot`, -1 for
   * none) and the most pressing entities that fit. The bytes are valid until the next call.
   */
  compose(id: string, tick: number, ack: number, own: Readonly<OwnMotion> | undefined, ownSlot: number): Uint8Array {
    const client = this.client(id);
    const selection = this.selection;
    selection.clear();
    this.gather(client.avatars, this.avatars, AVATAR, SNAPSHOT_ENTITY_BYTES, tick, own, ownSlot);
    if (client.bodiesOn) this.gather(client.bodies, this.bodies, BODY, SNAPSHOT_BODY_BYTES, tick, own, -1);
    const chosen = selection.select(this.byteBudget - snapshotFixedBytes(own !== undefined));
    let avatarCount = 0;
    for (let i = 0; i < chosen; i++) if ((selection.key(i) & 1) === AVATAR) avatarCount++;

    const writer = this.writer;
    writer.begin(tick, ack, this.originX, this.originZ, own, avatarCount, chosen - avatarCount);
    for (let i = 0; i < chosen; i++) {
      const key = selection.key(i);
      const slot = key >> 1;
      if ((key & 1) === AVATAR) {
        const { keys, words } = this.avatars;
        const w = slot * AVATAR_WIDTH;
        writer.entity(keys[slot]!, words[w]!, words[w + 1]!, words[w + 2]!, words[w + 3]! & 0xff, words[w + 3]! >> 8);
        client.avatars.record(this.avatars, slot, tick);
      } else {
        const { keys, words } = this.bodies;
        const w = slot * BODY_WIDTH;
        writer.body(keys[slot]!, words[w]!, words[w + 1]!, words[w + 2]!, words[w + 3]!, words[w + 4]! & 0xffff, words[w + 4]! >>> 16);
        client.bodies.record(this.bodies, slot, tick);
      }
    }
    return writer.bytes();
  }

  /** Pushes a table's entities that this client should get, with their priorities, into the selection. */
  private gather(memory: SentMemory, table: MotionTable, kind: number, bytes: number, tick: number, own: Readonly<OwnMotion> | undefined, skip: number): void {
    memory.fit(table);
    const { active, positions } = table;
    const nearSq = NEAR_M * NEAR_M;
    for (let i = 0; i < table.size; i++) {
      const slot = active[i]!;
      if (slot === skip) continue;
      const state = memory.compare(table, slot);
      const waited = tick - memory.sentAt(table, slot);
      if (state === UNCHANGED && waited < REFRESH_TICKS) continue;
      let weight = 1;
      if (own) {
        const p = slot * 3;
        const dx = positions[p]! - own.x;
        const dy = positions[p + 1]! - own.y;
        const dz = positions[p + 2]! - own.z;
        weight = 1 / (1 + (dx * dx + dy * dy + dz * dz) / nearSq);
      }
      const priority = (waited + 1) * weight * (state === UNCHANGED ? REFRESH_WEIGHT : 1);
      this.selection.push(slot * 2 + kind, priority, bytes);
    }
  }

  private client(id: string): ClientMemory {
    const client = this.clients.get(id);
    if (!client) throw new Error(`client ${id} is not scheduled`);
    return client;
  }
}
