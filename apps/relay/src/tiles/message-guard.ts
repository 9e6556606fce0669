import type { Client } from "@colyseus/core";
import type { z } from "zod";
import { ErrorCode, RelayMessage, formatIssues, type ErrorMessage } from "@tessera/protocol";
import type { Logger } from "../log.ts";

/** At most one error of each code per client per this many ms, so that refusals never flood back. */
const ERROR_NOTICE_INTERVAL_MS = 1000;
/** A message type is quoted back in at most this many characters. */
const TYPE_CHARS = 64;

/**
 * What a client sent as a message type, fit to quote in a notice or a log line. Message types come
 * out of msgpack and may be anything (a number, a map, a bigint): this never throws.
 */
export function describeType(type: unknown): string {
  const text = typeof type === "string" ? JSON.stringify(type) : typeof type === "number" || typeof type === "bigint" ? String(type) : `(${typeof type})`;
  return text.length > TYPE_CHARS ? `${text.slice(0, TYPE_CHARS - 1)}…` : text;
}

/**
 * The edge of a tile room: every client message passes through here (its rate was checked on the
 * socket: sockets/frame-guard.ts). A message of an unknown type or of the wrong shape gets an
 * `error` message back, one quiet log line, and changes nothing.
 */
export class MessageGuard {
  private readonly lastNotice = new Map<string, number>();
  private readonly log: Logger;
  private readonly now: () => number;

  constructor(log: Logger, now: () => number = () => performance.now()) {
    this.log = log;
    this.now = now;
  }

  /** Wraps a handler: it only ever sees payloads that passed `schema`. */
  accept<S extends z.ZodType, C extends Client>(type: string, schema: S, handler: (client: C, message: z.infer<S>) => void) {
    return (client: C, payload: unknown): void => {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        this.refuse(client, ErrorCode.BadMessage, `${type}: ${formatIssues(parsed.error)}`, type);
        return;
      }
      handler(client, parsed.data);
    };
  }

  /** For the wildcard handler: any type nobody registered. */
  readonly unknown = (client: Client, type: unknown): void => {
    const described = describeType(type);
    this.refuse(client, ErrorCode.UnknownMessage, `unknown message type ${described}`, described);
  };

  /** Tells a client that its request was refused (throttled per client and code), and logs it once as well. */
  refuse(client: Client, code: ErrorCode, message: string, type?: string): void {
    const key = `${client.sessionId}:${code}`;
    const now = this.now();
    if (now - (this.lastNotice.get(key) ?? -Infinity) < ERROR_NOTICE_INTERVAL_MS) return;
    this.lastNotice.set(key, now);
    this.log.refusal(`${client.sessionId}: ${message}`);
    const error: ErrorMessage = type === undefined ? { code, message } : { code, message, type };
    client.send(RelayMessage.Error, error);
  }

  /** Forgets a client that left. */
  release(sessionId: string): void {
    for (const key of this.lastNotice.keys()) if (key.startsWith(`${sessionId}:`)) this.lastNotice.delete(key);
  }
}
