import type { IncomingHttpHeaders } from "node:http";

/**
 * Which pages may use the relay from a browser: its own (the page it serves, whatever name it is
 * reached by) and the origins an operator allows (`ALLOWED_ORIGINS`). Requests without an Origin
 * header (bots, curl, the SDK in Node) are not pages and pass. Nothing rides on cookies (a token is
 * sent explicitly), but the Colyseus SDK's requests include credentials, so an allowed origin is
 * answered as one that may send them.
 */
export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(allowed: readonly string[]) {
    this.allowed = new Set(allowed.map((origin) => origin.toLowerCase()));
  }

  /** Whether a request with these headers may be served. */
  allows(headers: IncomingHttpHeaders): boolean {
    const origin = headers.origin;
    if (origin === undefined) return true;
    return this.isOwn(origin, headers.host) || this.allowed.has(origin.toLowerCase());
  }

  /** CORS headers for an answer to an allowed foreign origin; none for the page's own origin or a refused one. */
  corsHeaders(headers: IncomingHttpHeaders): Record<string, string> {
    const origin = headers.origin;
    if (origin === undefined || this.isOwn(origin, headers.host) || !this.allowed.has(origin.toLowerCase())) return {};
    return {
      "Access-Control-Allow-Origin": origin,
      "Access-Control-Allow-Credentials": "true",
      "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
      "Access-Control-Allow-Headers": "Content-Type, Authorization",
      "Access-Control-Max-Age": "600",
      Vary: "Origin",
    };
  }

  private isOwn(origin: string, host: string | undefined): boolean {
    if (!host) return false;
    try {
      return new URL(origin).host.toLowerCase() === host.toLowerCase();
    } catch {
      return false;
    }
  }
}
