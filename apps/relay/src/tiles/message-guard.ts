import type { Client } from "@colyseus/core";
import type { z } from "zod";
import { ErrorCode, RelayMessage, formatIssues, type ErrorMessage } from "@tessera/protocol";
import { TokenBucket } from "./rate-limiter.ts";

export interface MessageGuardOptions {
  /** Sustained messages per second a client may send. */
  perSecond: number;
  /** Messages a client may send at once. */
  burst: number;
  now?: () => number;
}

/** At most one error of each code per client per this many ms, so that refusals never flood back. */
const ERROR_NOTICE_INTERVAL_MS = 1000;

/**
 * The edge of a tile room: every client message passes through here. A message of an unknown type,
 * of the wrong shape, or over the client's rate gets an `error` message back and changes nothing.
 */
export class MessageGuard {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly lastNotice = new Map<string, number>();
  private readonly options: Required<MessageGuardOptions>;

  constructor(options: MessageGuardOptions) {
    this.options = { now: () => performance.now(), ...options };
  }

  /** Wraps a handler: it only ever sees payloads that passed the rate limit and `schema`. */
  accept<S extends z.ZodType, C extends Client>(type: string, schema: S, handler: (client: C, message: z.infer<S>) => void) {
    return (client: C, payload: unknown): void => {
      if (!this.withinRate(client, type)) return;
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        this.refuse(client, ErrorCode.BadMessage, `${type}: ${formatIssues(parsed.error)}`, type);
        return;
      }
      handler(client, parsed.data);
    };
  }

  /** For the wildcard handler: any type nobody registered. */
  readonly unknown = (client: Client, type: string | number): void => {
    if (!this.withinRate(client, String(type))) return;
    this.refuse(client, ErrorCode.UnknownMessage, `unknown message type ${JSON.stringify(type).slice(0, 64)}`, String(type).slice(0, 64));
  };

  /** Tells a client that its request was refused (throttled per client and code). */
  refuse(client: Client, code: ErrorCode, message: string, type?: string): void {
    const key = `${client.sessionId}:${code}`;
    const now = this.options.now();
    if (now - (this.lastNotice.get(key) ?? -Infinity) < ERROR_NOTICE_INTERVAL_MS) return;
    this.lastNotice.set(key, now);
    const error: ErrorMessage = type === undefined ? { code, message } : { code, message, type };
    client.send(RelayMessage.Error, error);
  }

  /** Forgets a client that left. */
  release(sessionId: string): void {
    this.buckets.delete(sessionId);
    for (const key of this.lastNotice.keys()) if (key.startsWith(`${sessionId}:`)) this.lastNotice.delete(key);
  }

  private withinRate(client: Client, type: string): boolean {
    const now = this.options.now();
    let bucket = this.buckets.get(client.sessionId);
    if (!bucket) {
      bucket = new TokenBucket(this.options.perSecond, this.options.burst, now);
      this.buckets.set(client.sessionId, bucket);
    }
    if (bucket.take(now)) return true;
    this.refuse(client, ErrorCode.RateLimited, `too many messages: at most ${this.options.perSecond} per second; ${type} dropped`, type);
    return false;
  }
}
