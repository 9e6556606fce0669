import type { WebSocket } from "ws";
import { CloseCode, Protocol, getMessageBytes } from "@colyseus/core";
import { ErrorCode, RelayMessage, TokenBucket, type ErrorMessage } from "@tessera/protocol";

/** Frames a client may send per second, sustained; and at once. Inputs come 30 a second (to up to 2-4 tiles near a border, one socket each). */
export const FRAMES_PER_SECOND = 60;
export const FRAME_BURST = 90;
/** Past this many frames within a second the client is cut off (close code 4002). */
export const CUT_OFF_PER_SECOND = 300;
/** At most one notice of each kind per socket per this many ms, so that refusals never flood back. */
const NOTICE_INTERVAL_MS = 1000;

/** What a client may send at all, by Colyseus protocol code: the join acknowledgement, messages, pings, leaving. */
const CLIENT_CODES: ReadonlySet<number> = new Set([Protocol.JOIN_ROOM, Protocol.ROOM_DATA, Protocol.PING, Protocol.LEAVE_ROOM]);

export type FrameVerdict = "pass" | "drop" | "cut";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Whether a message frame's type (after its code: a string in Colyseus's encoding, or a number)
 * can be read as it claims: a string must lie within the frame and be valid UTF-8, else Colyseus
 * reads past it or prints a complaint for every such frame.
 */
export function readableType(frame: Uint8Array): boolean {
  const prefix = frame[1];
  if (prefix === undefined) return false;
  let start: number;
  let length: number;
  if (prefix > 0xa0 && prefix < 0xc0) [start, length] = [2, prefix & 0x1f];
  else if (prefix === 0xd9) [start, length] = [3, frame[2] ?? Infinity];
  else if (prefix === 0xda) [start, length] = [4, frame.length < 4 ? Infinity : frame[2]! | (frame[3]! << 8)];
  else if (prefix === 0xdb) [start, length] = [6, frame.length < 6 ? Infinity : (frame[2]! | (frame[3]! << 8) | (frame[4]! << 16) | (frame[5]! << 24)) >>> 0];
  else return true;
  if (start + length > frame.length) return false;
  try {
    utf8.decode(frame.subarray(start, start + length));
    return true;
  } catch {
    return false;
  }
}

/**
 * One socket's frame budget, whatever the frames are: messages, pings, requests, junk. Frames over
 * the sustained rate are dropped (the client is told, once a second); a client that keeps sending
 * far past it is cut off. Frames of codes our protocol does not use are dropped too, so that
 * nothing reaches Colyseus's decoders that our clients never send.
 */
export class FrameBudget {
  private readonly bucket: TokenBucket;
  private windowStart: number;
  private inWindow = 0;

  constructor(now: number) {
    this.bucket = new TokenBucket(FRAMES_PER_SECOND, FRAME_BURST, now);
    this.windowStart = now;
  }

  /** The verdict on one frame of protocol code `code` (its first byte) arriving at `now`. */
  judge(code: number | undefined, now: number): FrameVerdict {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    if (++this.inWindow > CUT_OFF_PER_SECOND) return "cut";
    if (!this.bucket.take(now)) return "drop";
    return code !== undefined && CLIENT_CODES.has(code) ? "pass" : "drop";
  }
}

/**
 * Puts a {@link FrameBudget} in front of a raw WebSocket: frames it drops never reach Colyseus.
 * (`ws` has no hook before its `message` listeners, so its `emit` is wrapped.)
 */
export function guardFrames(ws: WebSocket, now: () => number = () => performance.now()): void {
  const budget = new FrameBudget(now());
  const noticed = new Map<ErrorCode, number>();
  let joined = false;
  const notify = (code: ErrorCode, message: string) => {
    const t = now();
    // Before it has acknowledged its join a client expects nothing but the join.
    if (!joined || t - (noticed.get(code) ?? -Infinity) < NOTICE_INTERVAL_MS) return;
    noticed.set(code, t);
    const error: ErrorMessage = { code, message };
    ws.send(getMessageBytes.raw(Protocol.ROOM_DATA, RelayMessage.Error, error));
  };
  const emit = ws.emit.bind(ws);
  ws.emit = function (event: string | symbol, ...args: unknown[]): boolean {
    if (event !== "message") return emit(event, ...args);
    const data = args[0];
    const code = data instanceof Uint8Array && data.length > 0 ? data[0] : undefined;
    const verdict = budget.judge(code, now());
    if (verdict === "pass" && code === Protocol.ROOM_DATA && !readableType(data as Uint8Array)) {
      notify(ErrorCode.BadMessage, "a message's type is not a string of valid UTF-8 within the message");
      return false;
    }
    if (verdict === "pass") {
      if (code === Protocol.JOIN_ROOM) joined = true;
      return emit(event, ...args);
    }
    if (verdict === "cut") {
      ws.close(CloseCode.WITH_ERROR, "too many messages");
    } else if (code !== undefined && CLIENT_CODES.has(code)) {
      notify(ErrorCode.RateLimited, `too many messages: at most ${FRAMES_PER_SECOND} per second; the excess is dropped`);
    } else {
      notify(ErrorCode.UnknownMessage, `protocol code ${code ?? "(empty frame)"} is not part of this protocol`);
    }
    return false;
  } as typeof ws.emit;
}
