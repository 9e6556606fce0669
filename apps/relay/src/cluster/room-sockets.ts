import type { IncomingMessage, Server as HttpServer } from "node:http";
import { connect } from "node:net";
import type { Duplex } from "node:stream";
import { CloseCode, matchMaker } from "@colyseus/core";
import type { WebSocketTransport } from "@colyseus/ws-transport";
import { WebSocketServer } from "ws";
import { rawRefusal } from "../http/edge.ts";
import { findProcess, type PeerAddress } from "./process-directory.ts";

/** `/<processId>/<roomId>` ending a room socket's path, as the SDK builds it and ws-transport reads it. */
const ROOM_PATH = /\/([a-zA-Z0-9_-]+)\/[a-zA-Z0-9_-]+$/;
/**
 * Marks a socket piped from another relay. Such a socket is never piped again: a stale directory
 * entry (of a relay that crashed) may point at a live relay, or at this one, and must not loop.
 */
const FORWARDED_BY = "x-tessera-forwarded-by";
/** What a WebSocket handshake's key looks like (16 random bytes in base64), as ws checks it. */
const WEBSOCKET_KEY = /^[+/0-9A-Za-z]{22}==$/;
/** The protocol versions ws (and so Colyseus) speaks. */
const WEBSOCKET_VERSIONS = new Set(["13", "8"]);

/** How long a peer relay may take to accept the TCP connection. */
export const PEER_CONNECT_TIMEOUT_MS = 3000;
/** How long a peer relay may take, once connected, to answer the upgrade (its response head). */
export const PEER_HANDSHAKE_TIMEOUT_MS = 5000;
/** The most of a peer's answer (head and body) passed on to the client when it refuses the upgrade. */
const MAX_PEER_RESPONSE_BYTES = 16 * 1024;
/** How long a refused client has to read the answer and hang up before its socket is cut. */
const LINGER_MS = 2000;
/** Longest refusal message sent to a client. */
const MAX_MESSAGE_CHARS = 500;

/** Why an upgrade is refused: sent as `HTTP/1.1 <status>` with `{ "error": <code>, "message": <message> }`. */
export interface Refusal {
  /** A 4xx or 5xx status (anything else is sent as 403). */
  status: number;
  message: string;
  /** The JSON `error` code; by default one derived from the status (`forbidden`, `not_found`, ...). */
  error?: string;
}

/**
 * Decides every WebSocket upgrade this relay receives, before anything is handed to Colyseus or
 * piped to a peer. `url` is the request's URL as ws-transport reads it (`ws://server<path>`);
 * `local` says the socket is for this process (one of its rooms, or no room: a latency probe),
 * else it names a room of another relay and will be piped there (where that relay's policy decides
 * it again, as local, with this relay as the remote address). Must not throw: a throw refuses the
 * upgrade with a 500.
 */
export interface UpgradePolicy {
  refuse(req: IncomingMessage, url: URL, local: boolean): Refusal | undefined;
}

export interface RoomSockets {
  /** Cuts the sockets piped to peers and closes the HTTP server (the transport leaves it open). */
  close(): void;
}

/** `resuming`: the socket asks to resume a dropped session (it carries a reconnection token). */
type Decision = { kind: "local" } | { kind: "remote"; owner: string; resuming: boolean } | { kind: "refused"; refusal: Refusal };

const ERROR_CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  408: "timeout",
  409: "conflict",
  410: "gone",
  429: "rate_limited",
  500: "internal",
  502: "bad_gateway",
  503: "unavailable",
  504: "gateway_timeout",
};

/** Whether `req` is a WebSocket opening handshake as ws would accept it: nothing else is served. */
function isWebSocketHandshake(req: IncomingMessage): boolean {
  return (
    req.method === "GET" &&
    req.headers.upgrade?.toLowerCase() === "websocket" &&
    WEBSOCKET_KEY.test(req.headers["sec-websocket-key"] ?? "") &&
    WEBSOCKET_VERSIONS.has(req.headers["sec-websocket-version"] ?? "")
  );
}

/** The request's URL as ws-transport parses it, so that both read the same path; undefined if it does not parse. */
function upgradeUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(`ws://server${req.url ?? "/"}`);
  } catch {
    return undefined;
  }
}

/** The upgrade request as it arrived, marked as forwarded, for the peer to read: its head only. */
function requestHead(req: IncomingMessage): string {
  const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  lines.push(`${FORWARDED_BY}: ${matchMaker.processId}`);
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/**
 * Ends `socket` after `bytes`, reading (and dropping) whatever the client still sends meanwhile:
 * closing with unread bytes would reset the connection, and the client might lose the answer.
 * One that does not hang up is cut after {@link LINGER_MS}.
 */
function closeAfter(socket: Duplex, bytes?: Buffer | string): void {
  if (socket.destroyed) return;
  socket.on("error", () => socket.destroy());
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
  socket.once("end", () => socket.destroy());
  socket.resume();
  socket.end(bytes);
}

/** Answers a refused upgrade: a short JSON response, `Connection: close`, then the socket ends. */
function answer(socket: Duplex, refusal: Refusal): void {
  const status = Number.isInteger(refusal.status) && refusal.status >= 400 && refusal.status <= 599 ? refusal.status : 403;
  const error = refusal.error ?? ERROR_CODES[status] ?? (status < 500 ? "refused" : "internal");
  closeAfter(socket, rawRefusal({ status, error, message: String(refusal.message).slice(0, MAX_MESSAGE_CHARS) }));
}

/**
 * Serves room sockets on `server` for every room of the world, so that browsers need one address.
 * Only real WebSocket handshakes are considered (anything else: 400), and `policy` decides each one
 * first. A socket for this process goes to Colyseus. One for a room of another relay (the processId
 * in its path) is piped to that relay if the directory says it is alive: the request head goes up,
 * and only once the peer answers 101 does that answer come down and do the client's bytes (those
 * that came with the request and all after) go up, bytes as they come. The peer does the handshake,
 * the frame limit and everything after; a peer that refuses has its answer passed on, one that is
 * silent or unreachable gets the client a 502.
 */
export function serveRoomSockets(server: HttpServer, transport: WebSocketTransport, policy: UpgradePolicy): RoomSockets {
  /** Client sockets and their upstreams, from the connection to the peer until either closes. */
  const piped = new Set<Duplex>();
  /** One decision per request: the transport's filter and this module's listener both ask. */
  const decisions = new WeakMap<IncomingMessage, Decision>();

  const refused = (status: number, message: string): Decision => ({ kind: "refused", refusal: { status, message } });

  const decideOnce = (req: IncomingMessage): Decision => {
    if (!isWebSocketHandshake(req)) return refused(400, "only WebSocket upgrades are served here");
    const url = upgradeUrl(req);
    if (!url) return refused(400, "the upgrade's path is not a valid URL path");
    const named = ROOM_PATH.exec(url.pathname)?.[1];
    const local = named === undefined || named === matchMaker.processId;
    let refusal: Refusal | undefined;
    try {
      refusal = policy.refuse(req, url, local);
    } catch {
      refusal = { status: 500, message: "the upgrade could not be checked" };
    }
    if (refusal) return { kind: "refused", refusal };
    if (local) return { kind: "local" };
    // A socket forwarded once already is not forwarded again.
    if (req.headers[FORWARDED_BY] !== undefined) return refused(404, `no relay ${named} in this world`);
    return { kind: "remote", owner: named, resuming: url.searchParams.has("reconnectionToken") };
  };

  const decide = (req: IncomingMessage): Decision => {
    let decision = decisions.get(req);
    if (!decision) decisions.set(req, (decision = decideOnce(req)));
    return decision;
  };

  /**
   * Answers a socket that asks to resume a session on a relay that is gone (it restarted, or died):
   * the handshake completes and the socket closes with 4003 at once, so that the client stops
   * retrying a session no one holds and joins afresh (an HTTP refusal would read as a network error,
   * to be retried).
   */
  const gone = new WebSocketServer({ noServer: true });
  const sessionGone = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    gone.handleUpgrade(req, socket, head, (ws) => ws.close(CloseCode.FAILED_TO_RECONNECT, "the relay that held this session is gone: join again"));
  };

  const forward = async (req: IncomingMessage, socket: Duplex, head: Buffer, owner: string, resuming: boolean) => {
    socket.on("error", () => socket.destroy());
    let peer: PeerAddress | undefined;
    try {
      peer = await findProcess(owner);
    } catch {
      answer(socket, { status: 503, message: "the world's process directory does not answer; try again" });
      return;
    }
    if (socket.destroyed) return;
    if (!peer) {
      if (resuming) sessionGone(req, socket, head);
      else answer(socket, { status: 404, message: `no relay ${owner} in this world` });
      return;
    }

    // No Nagle: inputs are small messages 30 times a second (the incoming socket has it off already).
    const upstream = connect({ host: peer.host, port: peer.port, noDelay: true });
    piped.add(socket);
    piped.add(upstream);
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const forget = () => {
      clearTimeout(timer);
      piped.delete(socket);
      piped.delete(upstream);
    };
    /** Before the peer's answer: drop the upstream and tell the client why. */
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      forget();
      upstream.destroy();
      answer(socket, { status: 502, message });
    };
    timer = setTimeout(() => fail(`relay ${owner} did not accept the connection in time`), PEER_CONNECT_TIMEOUT_MS);
    upstream.once("connect", () => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(`relay ${owner} did not answer the upgrade in time`), PEER_HANDSHAKE_TIMEOUT_MS);
      upstream.write(requestHead(req));
    });
    upstream.on("error", () => fail(`relay ${owner} cannot be reached`));
    upstream.on("close", () => fail(`relay ${owner} closed the connection without answering`));
    socket.once("close", () => {
      if (settled) return;
      settled = true;
      forget();
      upstream.destroy();
    });

    /** The peer accepted: its answer goes down, then the client's bytes go up, both ways from then on. */
    const open = (response: Buffer) => {
      if (socket.destroyed) {
        forget();
        upstream.destroy();
        return;
      }
      const cut = () => {
        forget();
        socket.destroy();
        upstream.destroy();
      };
      upstream.on("close", cut);
      socket.on("close", cut);
      socket.write(response);
      if (head.length > 0) upstream.write(head);
      socket.pipe(upstream);
      upstream.pipe(socket);
    };

    /** The peer refused (or answered nonsense): pass its answer on, bounded, and close both. */
    const passOn = (response: Buffer) => {
      let sent = 0;
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        forget();
        upstream.destroy();
        closeAfter(socket);
      };
      const send = (chunk: Buffer) => {
        const part = chunk.subarray(0, MAX_PEER_RESPONSE_BYTES - sent);
        sent += part.length;
        if (part.length > 0 && !socket.destroyed) socket.write(part);
        if (sent >= MAX_PEER_RESPONSE_BYTES) finish();
      };
      timer = setTimeout(finish, PEER_HANDSHAKE_TIMEOUT_MS);
      upstream.on("data", send).once("end", finish).once("close", finish);
      send(response);
      upstream.resume();
    };

    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf("\r\n\r\n");
      if (end < 0) {
        if (received.length > MAX_PEER_RESPONSE_BYTES) fail(`relay ${owner} answered with an oversized head`);
        return;
      }
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Nothing more flows until it has a reader: the rest (frames the peer sent after its 101) is in `received`.
      upstream.off("data", onData);
      upstream.pause();
      const status = /^HTTP\/1\.[01] (\d{3})\b/.exec(received.toString("latin1", 0, Math.min(end, 64)))?.[1];
      if (status === "101") open(received);
      else passOn(received);
    };
    upstream.on("data", onData);
  };

  transport.attachToServer(server, { filter: (req) => decide(req).kind === "local" });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const decision = decide(req);
    if (decision.kind === "refused") answer(socket, decision.refusal);
    else if (decision.kind === "remote") void forward(req, socket, head, decision.owner, decision.resuming);
  });

  return {
    close: () => {
      for (const socket of piped) socket.destroy();
      gone.close();
      server.close();
    },
  };
}
