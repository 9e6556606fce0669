import { matchMaker } from "@colyseus/core";

/** Where the relays of a world find each other: processId -> `{ host, port }` as JSON, in presence. */
const PROCESSES_KEY = "tessera:processes";

export interface PeerAddress {
  host: string;
  port: number;
}

/** How peers reach a relay listening on `host`: a wildcard means this machine, as the launcher runs them. */
export function peerAddress(host: string, port: number): PeerAddress {
  return { host: host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host, port };
}

/** Announces this process's address to its peers (after it listens). */
export async function registerProcess(address: PeerAddress): Promise<void> {
  await matchMaker.presence.hset(PROCESSES_KEY, matchMaker.processId, JSON.stringify(address));
}

/**
 * Takes this process's address back, at shutdown. Not awaited: until core's own shutdown begins,
 * Colyseus takes a second signal (a terminal's SIGINT and the launcher's SIGTERM) for a new
 * shutdown and exits midway. Presence sends this before it quits; if it fails, the stale entry
 * is refused like any other (room-sockets.ts).
 */
export function unregisterProcess(): void {
  matchMaker.presence.hdel(PROCESSES_KEY, matchMaker.processId).catch(() => undefined);
}

/** The address of a process of this world, or undefined for one that is unknown or gone. */
export async function findProcess(processId: string): Promise<PeerAddress | undefined> {
  const address = await matchMaker.presence.hget(PROCESSES_KEY, processId);
  return address ? (JSON.parse(address) as PeerAddress) : undefined;
}
