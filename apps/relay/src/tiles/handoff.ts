import { TICK_RATE, type InputMessage } from "@tessera/protocol";
import type { AvatarMotionState } from "@tessera/sim";
import type { QueuedInput } from "./input-queue.ts";
import type { PhysicalLinkset } from "./tile-prims.ts";

/** An avatar on its way from one tile room to the next: everything the new authority needs. */
export interface AvatarTransfer {
  /** Unique per attempt; the receiving room answers a repeated request with the same outcome. */
  id: string;
  playerId: string;
  name: string;
  /** The entry the avatar stands for (AvatarClaims): the receiving room refuses one a newer entry superseded. */
  claim: number;
  state: AvatarMotionState;
  /** Seq of the last input simulated by the room it leaves. */
  acked: number;
  /** Inputs that room had queued but not simulated. */
  waiting: QueuedInput[];
}

/** A physical linkset on its way from one tile room to the next, moving as it was. */
export interface BodyTransfer {
  id: string;
  /** The world tick the linkset's pose is of. */
  tick: number;
  linkset: PhysicalLinkset;
}

/** How the receiving room settled a transfer: it holds the avatar now, or it never will. */
export type TransferOutcome = "accepted" | "cancelled";

/** How long a receiving room remembers how it settled a transfer, ms. */
const REMEMBER_MS = 60_000;

/**
 * Transfers a room settled as the receiving side. The first word on a transfer is final: an accept
 * after a cancel (a request that was slow on its way) gets "cancelled", and a cancel after an accept
 * gets "accepted", so that the sending room learns which room holds the avatar, always exactly one.
 */
export class TransferLedger {
  private readonly settled = new Map<string, { outcome: TransferOutcome; at: number }>();

  /** Settles a transfer as `outcome` unless it is settled already; returns how it is settled. */
  settle(id: string, outcome: TransferOutcome, now: number): TransferOutcome {
    const known = this.settled.get(id);
    if (known) return known.outcome;
    this.settled.set(id, { outcome, at: now });
    return outcome;
  }

  outcome(id: string): TransferOutcome | undefined {
    return this.settled.get(id)?.outcome;
  }

  /** Forgets transfers settled long ago. */
  prune(now: number): void {
    for (const [id, { at }] of this.settled) if (now - at > REMEMBER_MS) this.settled.delete(id);
  }
}

/** Input messages kept per player whose avatar a room does not hold: two seconds' worth. */
const EARLY_MESSAGES = 60;

/**
 * Inputs a room gets from players near its border whose avatars it does not hold: if one is handed
 * over, these are the inputs it needs next, already here however late the handoff was.
 */
export class EarlyInputs {
  private readonly byPlayer = new Map<string, InputMessage[]>();

  push(playerId: string, input: InputMessage): void {
    let list = this.byPlayer.get(playerId);
    if (!list) this.byPlayer.set(playerId, (list = []));
    list.push(input);
    if (list.length > EARLY_MESSAGES) list.shift();
  }

  /** The player's kept messages, oldest first, forgotten here. */
  take(playerId: string): InputMessage[] {
    const list = this.byPlayer.get(playerId) ?? [];
    this.byPlayer.delete(playerId);
    return list;
  }

  forget(playerId: string): void {
    this.byPlayer.delete(playerId);
  }
}

/**
 * A linkset posed at tick `from` of the room it left, as of the receiving room's tick `to`: moved on
 * (or back) along its velocity by the ticks between, since the two rooms' ticks fall a little apart.
 */
export function linksetAtTick(linkset: PhysicalLinkset, from: number, to: number): PhysicalLinkset {
  if (from === to) return linkset;
  const [root, ...children] = linkset.prims;
  const dt = (to - from) / TICK_RATE;
  const { x, y, z } = root!.position;
  const moved = { ...root!, position: { x: x + linkset.linvel.x * dt, y: y + linkset.linvel.y * dt, z: z + linkset.linvel.z * dt } };
  return { ...linkset, prims: [moved, ...children] };
}
