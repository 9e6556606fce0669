import { ErrorCode, type InputMessage } from "@tessera/protocol";

/** Inputs waiting beyond this many (one second at 30 Hz) are refused: the client is running ahead. */
export const MAX_QUEUED_INPUTS = 30;

/**
 * One avatar's numbered inputs, waiting to be simulated in order. Seqs must increase; gaps are
 * allowed (inputs lost on the way), repeats and reordering are refused.
 */
export class InputQueue {
  private readonly pending: InputMessage[] = [];
  private lastSeq = 0;
  /** Seq of the last input simulated: what the relay acknowledges. */
  acked = 0;

  get length(): number {
    return this.pending.length;
  }

  /** Queues an input; returns the error code when it is refused. */
  push(input: InputMessage): ErrorCode | undefined {
    if (input.seq <= this.lastSeq) return ErrorCode.StaleInput;
    if (this.pending.length >= MAX_QUEUED_INPUTS) return ErrorCode.InputOverflow;
    this.lastSeq = input.seq;
    this.pending.push(input);
    return undefined;
  }

  /** The oldest waiting input, now counted as simulated. */
  take(): InputMessage | undefined {
    const input = this.pending.shift();
    if (input) this.acked = input.seq;
    return input;
  }

  /** Starts over for a new session of the same player, whose seqs start again from 1. */
  reset(): void {
    this.pending.length = 0;
    this.lastSeq = 0;
    this.acked = 0;
  }
}
