import type { IncomingMessage, Server as HttpServer } from "node:http";
import { connect } from "node:net";
import type { Duplex } from "node:stream";
import { matchMaker } from "@colyseus/core";
import type { WebSocketTransport } from "@colyseus/ws-transport";
import { findProcess } from "./process-directory.ts";

/** `/<processId>/<roomId>` ending a room socket's path, as the SDK builds it and ws-transport reads it. */
const ROOM_PATH = /\/([a-zA-Z0-9_-]+)\/[a-zA-Z0-9_-]+$/;
/**
 * Marks a socket piped from another relay. Such a socket is never piped again: a stale directory
 * entry (of a relay that crashed) may point at a live relay, or at this one, and must not loop.
 */
const FORWARDED_BY = "x-tessera-forwarded-by";

export interface RoomSockets {
  /** Cuts the sockets piped to peers and closes the HTTP server (the transport leaves it open). */
  close(): void;
}

/** The other process a room socket is for; undefined for this process's rooms and for sockets that name no room (latency probes). */
function remoteOwner(req: IncomingMessage): string | undefined {
  const path = (req.url ?? "/").split("?", 1)[0]!;
  const owner = ROOM_PATH.exec(path)?.[1];
  return owner === matchMaker.processId ? undefined : owner;
}

/** The upgrade request as it arrived, marked as forwarded, for the peer to read. */
function requestHead(req: IncomingMessage): string {
  const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  lines.push(`${FORWARDED_BY}: ${matchMaker.processId}`);
  return `${lines.join("\r\n")}\r\n\r\n`;
}

function refuse(socket: Duplex, owner: string): void {
  socket.end(`HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\nno relay ${owner} in this world\n`);
}

/**
 * Serves room sockets on `server` for every room of the world, so that browsers need one address:
 * a socket for a room of this process goes to Colyseus; one for a room of another relay (the
 * processId in its path) is piped, bytes as they come, to that relay, which does the handshake,
 * the frame limit and everything after.
 */
export function serveRoomSockets(server: HttpServer, transport: WebSocketTransport): RoomSockets {
  const piped = new Set<Duplex>();

  const pipe = async (req: IncomingMessage, socket: Duplex, head: Buffer, owner: string) => {
    socket.on("error", () => socket.destroy());
    // A socket forwarded once already is not forwarded again.
    const peer = req.headers[FORWARDED_BY] === undefined ? await findProcess(owner).catch(() => undefined) : undefined;
    if (socket.destroyed) return;
    if (!peer) {
      refuse(socket, owner);
      return;
    }
    // No Nagle: inputs are small messages 30 times a second (the incoming socket has it off already).
    const upstream = connect({ host: peer.host, port: peer.port, noDelay: true });
    const close = () => {
      socket.destroy();
      upstream.destroy();
      piped.delete(socket);
    };
    piped.add(socket);
    upstream.on("error", close).on("close", close);
    socket.on("close", close);
    upstream.write(requestHead(req));
    upstream.write(head);
    socket.pipe(upstream);
    upstream.pipe(socket);
  };

  transport.attachToServer(server, { filter: (req) => remoteOwner(req) === undefined });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const owner = remoteOwner(req);
    if (owner !== undefined) void pipe(req, socket, head, owner);
  });

  return {
    close: () => {
      for (const socket of piped) socket.destroy();
      server.close();
    },
  };
}
