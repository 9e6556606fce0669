import { ErrorCode, type InputMessage } from "@tessera/protocol";

/** Inputs waiting beyond this many (two seconds at 30 Hz) are refused: the client is running ahead. */
export const MAX_QUEUED_INPUTS = 60;
/** Ticks of credit an avatar can save up: a client that stalled for a second may catch up on it. */
export const MAX_CREDIT = 30;
/** Most inputs simulated in one relay tick while catching up. */
export const MAX_PER_TICK = 4;
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
 * (a slow page, a stalled network) is caught up on at up to {@link MAX_PER_TICK} a tick; a client
 * sending faster than 30 a second does not move faster, its inputs just wait (then overflow).
 */
export class InputQueue {
  private readonly pending: QueuedInput[] = [];
  private lastSeq = 0;
  private credit = 0;
  private idleTicks = 0;
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
   * One relay tick: earns a tick of credit and hands `simulate` the inputs it allows, oldest first, up
   * to {@link MAX_PER_TICK}; returns how many.
   */
  tick(simulate: (input: QueuedInput) => void): number {
    this.credit = Math.min(MAX_CREDIT, this.credit + 1);
    let simulated = 0;
    for (let input; simulated < MAX_PER_TICK && (input = this.take()); simulated++) simulate(input);
    this.idleTicks = simulated > 0 ? 0 : this.idleTicks + 1;
    return simulated;
  }

  /** Whether no input has come for {@link QUIET_TICKS} (a client gone quiet, mid-jump perhaps: its avatar should still land). */
  get quiet(): boolean {
    return this.idleTicks > QUIET_TICKS;
  }

  /** The oldest waiting input, now counted as simulated; undefined when none waits or there is no credit left. */
  private take(): QueuedInput | undefined {
    if (this.credit < 1) return undefined;
    const input = this.pending.shift();
    if (!input) return undefined;
    this.credit--;
    this.acked = input.seq;
    return input;
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
  }
}
