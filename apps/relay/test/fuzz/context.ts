import { PID, PORT, RTOKEN } from "./cases.ts";
import type { BodySpec } from "./cases.ts";

/** What the executors need to know about the relay under test. */
export interface Target {
  /** `http://127.0.0.1:<port>` */
  url: string;
  host: string;
  port: number;
  /** The relay's Colyseus process id (room sockets are `/<processId>/<roomId>`). */
  processId: string;
  /** Valid guest tokens (POST /api/session). */
  tokens: string[];
  /** Reconnection tokens of room sessions seen lately (`<token>`, without the room id). */
  reconnectionTokens: string[];
}

/** What one case came to. A refusal (4xx, an `error` message, a closed socket) is a fine outcome. */
export interface Outcome {
  refused: boolean;
  /** The client could not even express the case (e.g. msgpackr refused to encode the payload). */
  skipped?: boolean;
  /** Why it was skipped. */
  note?: string;
  /** An invariant this single case broke (the relay read an oversized body to the end...). */
  violation?: string;
}

/** A valid token with one character changed (same length, same alphabet). */
export function forge(token: string, salt: number): string {
  if (token.length === 0) return "x";
  const at = salt % token.length;
  const c = token[at]!;
  const swapped = c === "A" ? "B" : "A";
  return token.slice(0, at) + swapped + token.slice(at + 1);
}

/** Replaces the placeholders of cases.ts with what they stand for on this relay. */
export function fill(text: string, target: Target): string {
  if (!text.includes("@@")) return text;
  return text
    .replace(/@@T(\d+)@@/g, (_, i: string) => target.tokens[Number(i) % target.tokens.length] ?? "")
    .replace(/@@F(\d+)@@/g, (_, i: string) => forge(target.tokens[Number(i) % target.tokens.length] ?? "", Number(i)))
    .replaceAll(PID, target.processId)
    .replaceAll(RTOKEN, target.reconnectionTokens[target.reconnectionTokens.length - 1] ?? "none")
    .replaceAll(PORT, String(target.port));
}

/** A body's bytes. */
export function bodyBytes(body: BodySpec, target: Target): Uint8Array {
  if (body.enc === "bytes") return body.bytes;
  const text = (body.bom ? "\ufeff" : "") + fill(body.text, target);
  return Buffer.from(text, body.enc);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
