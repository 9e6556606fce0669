import { ErrorCode, type InputMessage } from "@tessera/protocol";

/** Inputs waiting beyond this many (two seconds at 30 Hz) are refused: the client is running ahead. */
export const MAX_QUEUED_INPUTS = 60;
/** Ticks of credit an avatar can save up, besides each tick's own: a client that stalled for a second may catch up on all of it. */
export const MAX_CREDIT = 30;
/** Ticks over which catch-up is paced: 0.2 s, about as long as a dash would have to be to matter. */
export const WINDOW_TICKS = 6;
/**
 * Most inputs simulated in any {@link WINDOW_TICKS} consecutive relay ticks: catching up never moves
 * an avatar more than half again as fast as it can move (1.5 times real time).
 */
export const MAX_PER_WINDOW = 9;
/**
 * Most inputs simulated in the last k ticks, for k = 1 to {@link WINDOW_TICKS}: the window's pace,
 * rounded up, over every shorter span too (2, 3, 5, 6, 8, 9). Without it a queue could take 4, 4, 1,
 * then nothing for three ticks, then 4 again: 9 in every window, yet 17 in 8 ticks.
 */
const MAX_IN_LAST = Array.from({ length: WINDOW_TICKS }, (_, k) => Math.ceil(((k + 1) * MAX_PER_WINDOW) / WINDOW_TICKS));
/** Most inputs simulated in one relay tick while catching up: one more than real time. */
export const MAX_PER_TICK = MAX_IN_LAST[0]!;
/** Ticks without an input (a second) after which a client counts as gone quiet. */
export const QUIET_TICKS = 30;

/** One tick of input, numbered. */
export interface QueuedInput {
  seq: number;
  keys: number;
  yaw: number;
}

/**
 * One avatar's numbered inputs, waiting to be simulated in order. Each message repeats the ticks
 * just before its newest; those already queued are skipped. Seqs must increase; gaps are allowed
 * (inputs lost on the way), a message with nothing new is refused.
 *
 * Inputs are simulated no faster than real time: each relay tick earns one tick of credit, saved up
 * to {@link MAX_CREDIT}, and each input simulated spends one. A client whose inputs come in bursts
 * (a slow page, a stalled network) is caught up on from its credit, at most {@link MAX_PER_WINDOW}
 * inputs in any {@link WINDOW_TICKS} ticks: a stalled second takes up to two to catch up on, at half
 * again the avatar's speed, rather than a third of one in a dash at four times it. A client sending
 * faster than 30 a second does not move faster, its inputs just wait (then overflow).
 */
export class InputQueue {
  private readonly pending: QueuedInput[] = [];
  private lastSeq = 0;
  private credit = 0;
  private idleTicks = 0;
  /** Inputs simulated in each of the last {@link WINDOW_TICKS} ticks, a ring; `slot` is this tick's. */
  private readonly perTick = new Array<number>(WINDOW_TICKS).fill(0);
  private slot = 0;
  /** Seq of the last input simulated: what the relay acknowledges. */
  acked = 0;

  get length(): number {
    return this.pending.length;
  }

  /** Queues a message's new ticks; returns the error code when it is refused. */
  push(input: InputMessage): ErrorCode | undefined {
    if (input.seq <= this.lastSeq) return ErrorCode.StaleInput;
    const first = input.seq - input.ticks.length + 1;
    for (let i = 0; i < input.ticks.length; i++) {
      const seq = first + i;
      if (seq <= this.lastSeq) continue;
      if (this.pending.length >= MAX_QUEUED_INPUTS) return ErrorCode.InputOverflow;
      const [keys, yaw] = input.ticks[i]!;
      this.pending.push({ seq, keys, yaw });
      this.lastSeq = seq;
    }
    return undefined;
  }

  /**
   * One relay tick: earns a tick of credit and hands `simulate` the oldest waiting input, if credit
   * allows; whether there was one. {@link catchUp} may add more.
   */
  tick(simulate: (input: QueuedInput) => void): boolean {
    this.credit = Math.min(MAX_CREDIT, this.credit) + 1;
    this.slot = (this.slot + 1) % WINDOW_TICKS;
    this.perTick[this.slot] = 0;
    const input = this.take();
    this.idleTicks = input ? 0 : this.idleTicks + 1;
    if (input) simulate(input);
    return input !== undefined;
  }

  /** After {@link tick}: one more waiting input, when credit and the pace ({@link MAX_PER_WINDOW}) allow; whether there was one. */
  catchUp(simulate: (input: QueuedInput) => void): boolean {
    const input = this.take();
    if (!input) return false;
    simulate(input);
    return true;
  }

  /** Whether no input has come for {@link QUIET_TICKS} (a client gone quiet, mid-jump perhaps: its avatar should still land). */
  get quiet(): boolean {
    return this.idleTicks > QUIET_TICKS;
  }

  /** The oldest waiting input, now counted as simulated; undefined when none waits, there is no credit left or the pace forbids. */
  private take(): QueuedInput | undefined {
    if (this.credit < 1 || this.pending.length === 0 || !this.paceAllows()) return undefined;
    const input = this.pending.shift()!;
    this.credit--;
    this.perTick[this.slot]!++;
    this.acked = input.seq;
    return input;
  }

  /**
   * Whether one more input this tick keeps every span of the last k ticks within {@link
   * MAX_IN_LAST}. The first input of a tick always does (the limits grow by at least one a tick):
   * real time is never held back.
   */
  private paceAllows(): boolean {
    let simulated = 1;
    for (let k = 0; k < WINDOW_TICKS; k++) {
      simulated += this.perTick[(this.slot - k + WINDOW_TICKS) % WINDOW_TICKS]!;
      if (simulated > MAX_IN_LAST[k]!) return false;
    }
    return true;
  }

  /** Inputs queued but not yet simulated, oldest first. */
  waiting(): QueuedInput[] {
    return [...this.pending];
  }

  /**
   * Carries on where another room's queue stopped (an avatar handed over): `acked` was simulated
   * there, `waiting` still waits. Messages pushed afterwards add only what comes after them.
   */
  resume(acked: number, waiting: readonly QueuedInput[]): void {
    this.reset();
    this.acked = this.lastSeq = acked;
    for (const input of waiting.slice(-MAX_QUEUED_INPUTS)) {
      if (input.seq <= this.lastSeq) continue;
      this.pending.push({ ...input });
      this.lastSeq = input.seq;
    }
  }

  /** Starts over for a new session of the same player, whose seqs start again from 1. */
  reset(): void {
    this.pending.length = 0;
    this.lastSeq = 0;
    this.acked = 0;
    this.credit = 0;
    this.idleTicks = 0;
    this.perTick.fill(0);
  }
}

/** Late inputs a room may catch up on in one tick, beyond one per avatar: at least this many... */
export const MIN_CATCH_UP = 16;
/** ...or this share of its avatars, whichever is more. */
export const CATCH_UP_SHARE = 0.25;

/**
 * One relay tick of a room's movers' input queues: each one's next input, then the late ones it may
 * catch up on, one per mover per round, from a start that moves with `tick` (so no mover always comes
 * last), while the room's catch-up allowance lasts. When many clients fall behind at once (a
 * burst, a stall of the room itself) the tick grows by a quarter at most instead of by {@link
 * MAX_PER_TICK} times, which would make the next tick late and start the stall over. Each queue
 * keeps its own pace besides. Returns how many inputs were simulated.
 */
export function tickQueues<T extends { readonly inputs: InputQueue }>(movers: readonly T[], simulate: (mover: T, input: QueuedInput) => void, tick: number): number {
  const n = movers.length;
  let simulated = 0;
  for (const mover of movers) if (mover.inputs.tick((input) => simulate(mover, input))) simulated++;
  let allowance = Math.max(MIN_CATCH_UP, Math.ceil(n * CATCH_UP_SHARE));
  const start = n > 0 ? tick % n : 0;
  for (let round = 1; round < MAX_PER_TICK && allowance > 0; round++) {
    let progressed = false;
    for (let k = 0; k < n && allowance > 0; k++) {
      const mover = movers[(start + k) % n]!;
      if (!mover.inputs.catchUp((input) => simulate(mover, input))) continue;
      progressed = true;
      allowance--;
      simulated++;
    }
    if (!progressed) break;
  }
  return simulated;
}
