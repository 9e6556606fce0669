import { STATUS_CODES, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { HttpError } from "@tessera/protocol";
import type { Logger } from "../log.ts";
import { MAX_UPLOAD_BYTES } from "../textures/upload-limits.ts";
import type { OriginPolicy } from "./origins.ts";

/** Connection and time limits of the relay's HTTP server (sockets included until they upgrade). */
export interface EdgeLimits {
  /** Open connections at most, WebSockets included. */
  maxConnections: number;
  /** Open connections from one address at most. */
  maxConnectionsPerAddress: number;
  /** Whether this machine's own addresses (tests, bots, a local reverse proxy) are exempt from the per-address cap. */
  exemptLoopback: boolean;
  /** Time a client has to send a request's headers, ms. */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request, ms. */
  requestTimeoutMs: number;
  /** Time an idle keep-alive connection stays open, ms. */
  keepAliveTimeoutMs: number;
  /**
   * Request body bytes held at once, over every request being read or handled (each counted at its
   * route's limit, or its Content-Length if smaller): what a crowd of uploads may cost in memory.
   */
  maxBodyBytesInFlight: number;
}

export const DEFAULT_EDGE_LIMITS: Omit<EdgeLimits, "maxConnections" | "maxConnectionsPerAddress"> = {
  exemptLoopback: true,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 20_000,
  keepAliveTimeoutMs: 5_000,
  // Sixteen texture uploads at their largest.
  maxBodyBytesInFlight: 16 * MAX_UPLOAD_BYTES,
};

/** The largest request head (request line and headers) the server reads, bytes. */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * The requests that carry a body, and how large it may be (bytes); every other request must come
 * without one. A body is read here, up to its limit, and handed on as `req.body`: parsed JSON, or
 * for a `raw` route the bytes as they came (a Buffer), which the route checks itself.
 */
const BODY_ROUTES: { method: string; path: RegExp; limit: number; raw?: true }[] = [
  { method: "POST", path: /^\/api\/session$/, limit: 1024 },
  { method: "POST", path: /^\/api\/session\/renew$/, limit: 1024 },
  { method: "POST", path: /^\/api\/admin\/revoke$/, limit: 1024 },
  { method: "POST", path: /^\/api\/tiles\/[^/]{1,64}\/open$/, limit: 1024 },
  { method: "POST", path: /^\/matchmake\/joinById\/[^/]{1,64}$/, limit: 2048 },
  { method: "POST", path: /^\/api\/textures$/, limit: MAX_UPLOAD_BYTES, raw: true },
];

/** Colyseus's matchmaker answers only this: clients join tile rooms by id (rooms are opened by relays). */
const MATCHMAKE = /^\/matchmake(\/|$)/;
const JOIN_BY_ID = /^\/matchmake\/joinById\/tile_-?\d{1,6}_-?\d{1,6}$/;

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/**
 * What every answer carries: no sniffing, no framing, no referrer, and a content security policy
 * for the pages (scripts and workers from the relay only; wasm for physics; sockets to the relay).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
};

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTP refusal: status, code and a message that says what to do. */
export class Refusal extends Error {
  override name = "Refusal";

  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }

  get body(): HttpError {
    return { error: this.error, message: this.message };
  }
}

/**
 * A refusal as raw HTTP/1.1 bytes, for a socket no response object serves (a connection over the
 * caps, a WebSocket upgrade): the status line, a JSON body and `Connection: close`.
 */
export function rawRefusal(refusal: { status: number; error: string; message: string }): string {
  const body = JSON.stringify({ error: refusal.error, message: refusal.message });
  return [
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? "Refused"}`,
    "Content-Type: application/json; charset=utf-8",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Connection: close",
    "",
    body,
  ].join("\r\n");
}

/**
 * The relay's HTTP edge, in front of Colyseus's matchmaker and the Express app: caps connections in
 * total and per address, times out slow clients, bounds and parses request bodies (by header, by the
 * bytes that actually come, and in total over the requests in flight), refuses foreign origins,
 * limits the matchmaker to joining tile rooms by id, and sets the security headers. A request over
 * a limit is answered with a short JSON refusal and one rate-limited log line, and costs nothing more.
 */
export class HttpEdge {
  private readonly byAddress = new Map<string, number>();
  private open = 0;
  /** Body bytes reserved by requests not yet answered (see {@link EdgeLimits.maxBodyBytesInFlight}). */
  private bodyBytes = 0;
  private readonly limits: EdgeLimits;
  private readonly origins: OriginPolicy;
  private readonly log: Logger;

  constructor(limits: EdgeLimits, origins: OriginPolicy, log: Logger) {
    this.limits = limits;
    this.origins = origins;
    this.log = log;
  }

  /** Limits `server`'s connections and times (before it listens). */
  guardConnections(server: HttpServer): void {
    server.headersTimeout = this.limits.headersTimeoutMs;
    server.requestTimeout = this.limits.requestTimeoutMs;
    server.keepAliveTimeout = this.limits.keepAliveTimeoutMs;
    // Idle HTTP sockets; a socket handed to a WebSocket or a pipe clears its own timeout.
    server.timeout = this.limits.requestTimeoutMs;
    server.on("connection", (socket: Socket) => this.onConnection(socket));
  }

  /**
   * Puts the edge in front of every request listener `server` has now (Colyseus's matchmaker and
   * the Express app, attached when the server started listening).
   */
  guardRequests(server: HttpServer): void {
    const listeners = server.listeners("request") as RequestListener[];
    server.removeAllListeners("request");
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
      this.admit(req, res).then(
        () => {
          for (const listener of listeners) listener.call(server, req, res);
        },
        (error: unknown) => {
          if (error instanceof Refusal) return this.refuse(req, res, error);
          this.log.error(`edge: ${(error as Error).stack ?? String(error)}`);
          this.refuse(req, res, new Refusal(500, "internal", "internal error"));
        },
      );
    });
  }

  private onConnection(socket: Socket): void {
    const address = socket.remoteAddress ?? "unknown";
    const counted = !(this.limits.exemptLoopback && LOOPBACK.has(address));
    const fromAddress = counted ? (this.byAddress.get(address) ?? 0) : 0;
    let refusal: Refusal | undefined;
    if (this.open >= this.limits.maxConnections) refusal = new Refusal(503, "busy", `the relay serves ${this.limits.maxConnections} connections at most; try again shortly`);
    else if (fromAddress >= this.limits.maxConnectionsPerAddress) refusal = new Refusal(429, "too_many_connections", `at most ${this.limits.maxConnectionsPerAddress} connections from one address`);
    if (refusal) {
      this.log.refusal(`connection from ${address}: ${refusal.message}`);
      // Read nothing: the HTTP parser never sees a request on this socket.
      socket.pause();
      socket.on("error", () => socket.destroy());
      socket.end(rawRefusal(refusal));
      socket.destroySoon();
      return;
    }
    this.open++;
    if (counted) this.byAddress.set(address, fromAddress + 1);
    socket.once("close", () => {
      this.open--;
      if (!counted) return;
      const left = (this.byAddress.get(address) ?? 1) - 1;
      if (left > 0) this.byAddress.set(address, left);
      else this.byAddress.delete(address);
    });
  }

  /** Checks a request and reads its body (if its route takes one) into `req.body`; rejects with a {@link Refusal}. */
  private async admit(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const path = (req.url ?? "/").split("?", 1)[0]!;
    if (!this.origins.allows(req.headers)) throw new Refusal(403, "forbidden_origin", `pages from ${req.headers.origin} may not use this relay`);
    if (method === "OPTIONS") return;
    if (MATCHMAKE.test(path) && !(method === "POST" && JOIN_BY_ID.test(path))) {
      throw new Refusal(404, "not_found", "the matchmaker only joins tile rooms by id: POST /matchmake/joinById/<tile id>");
    }
    const route = BODY_ROUTES.find((candidate) => candidate.method === method && candidate.path.test(path));
    const declared = req.headers["content-length"] === undefined ? undefined : Number(req.headers["content-length"]);
    const chunked = req.headers["transfer-encoding"] !== undefined;
    if (!route) {
      if (chunked || (declared ?? 0) > 0) throw new Refusal(413, "payload_too_large", `${method} ${path} takes no request body`);
      return;
    }
    if (declared !== undefined && declared > route.limit) throw new Refusal(413, "payload_too_large", `request body too large (at most ${route.limit} bytes)`);
    const reserved = declared ?? route.limit;
    if (this.bodyBytes + reserved > this.limits.maxBodyBytesInFlight) throw new Refusal(503, "busy", "the relay is reading as many request bodies as it holds at once; try again shortly");
    this.bodyBytes += reserved;
    res.once("close", () => (this.bodyBytes -= reserved));
    const raw = await readBody(req, route.limit);
    (req as IncomingMessage & { body?: unknown }).body = route.raw ? raw : parseJson(raw, req.headers["content-type"]);
  }

  private refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal): void {
    if (refusal.status < 500) this.log.refusal(`${req.method ?? "?"} ${(req.url ?? "").slice(0, 80)} from ${req.socket.remoteAddress ?? "?"}: ${refusal.message}`);
    if (res.headersSent) return;
    // An unread or oversized body stays behind on the socket: close it rather than parse what follows.
    res.setHeader("Connection", "close");
    const body = JSON.stringify(refusal.body);
    res.writeHead(refusal.status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  }
}

/** The body's bytes, as they come, refusing once there are more than `limit`. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.pause();
        reject(new Refusal(413, "payload_too_large", `request body too large (at most ${limit} bytes)`));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", () => reject(new Refusal(400, "bad_request", "the request body was cut off")));
  });
}

/** A JSON body as a value (`{}` when empty); anything else is refused. */
function parseJson(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return {};
  if (!contentType?.toLowerCase().startsWith("application/json")) throw new Refusal(415, "unsupported_media_type", "request bodies are JSON: send Content-Type: application/json");
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw)) as unknown;
  } catch {
    throw new Refusal(400, "bad_request", "request body is not valid JSON (UTF-8)");
  }
}
