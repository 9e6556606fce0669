import { matchMaker } from "@colyseus/core";
import { WorldPresence, type ScriptRunner } from "./world-presence.ts";

/**
 * Where the relays of a world find each other: processId -> `{ host, port, beat }` as JSON, in the
 * world's Redis database. `beat` is when the relay last refreshed its entry, in Redis's own clock.
 */
export const PROCESSES_KEY = "tessera:processes";

/** How often a relay refreshes its entry. */
export const BEAT_MS = 2000;
/** An entry not refreshed for this long (three beats) is a dead relay's: never used, and pruned. */
export const DEAD_AFTER_MS = 3 * BEAT_MS;

export interface PeerAddress {
  host: string;
  port: number;
}

/** How peers reach a relay listening on `host`: a wildcard means this machine, as the launcher runs them. */
export function peerAddress(host: string, port: number): PeerAddress {
  return { host: host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host, port };
}

/*
 * Liveness is judged by one clock only: Redis's (TIME, read inside the scripts below). Each beat
 * stamps the entry with it; each reader compares that stamp with TIME again. Relays on machines
 * whose clocks disagree (or jump) therefore agree on who is alive, with no state to warm up: a
 * relay that has just started judges an entry as well as one that has watched it for minutes (a
 * per-entry beat counter would need each reader to watch it change on its own clock first). Hash
 * fields cannot expire before Redis 7.4 (HEXPIRE), and the hash stays one key so that a glance
 * (HGETALL) shows the directory. The scripts run atomically, so "still the stale entry" holds
 * between the check and the delete: a relay that beats again in between is never pruned.
 */
const NOW = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function dead(raw)
  local ok, entry = pcall(cjson.decode, raw)
  local beat = ok and type(entry) == 'table' and tonumber(entry.beat)
  return not beat or now - beat > tonumber(ARGV[1])
end
`;

/** KEYS[1] the hash; ARGV: dead-after ms, processId, host, port. Stamps the entry; deletes every dead one. Returns how many. */
const BEAT_SCRIPT = `${NOW}
redis.call('HSET', KEYS[1], ARGV[2], cjson.encode({ host = ARGV[3], port = tonumber(ARGV[4]), beat = now }))
local all = redis.call('HGETALL', KEYS[1])
local pruned = 0
for i = 1, #all, 2 do
  if dead(all[i + 1]) then
    redis.call('HDEL', KEYS[1], all[i])
    pruned = pruned + 1
  end
end
return pruned
`;

/** KEYS[1] the hash; ARGV: dead-after ms, processId. The entry if it lives; a dead one is deleted and nil returned. */
const FIND_SCRIPT = `${NOW}
local raw = redis.call('HGET', KEYS[1], ARGV[2])
if not raw then return false end
if dead(raw) then
  redis.call('HDEL', KEYS[1], ARGV[2])
  return false
end
return raw
`;

/** Stamps `processId`'s entry with Redis's time now and prunes the dead; resolves to how many were pruned. */
export async function beat(redis: ScriptRunner, processId: string, address: PeerAddress): Promise<number> {
  return Number(await redis.eval(BEAT_SCRIPT, 1, PROCESSES_KEY, DEAD_AFTER_MS, processId, address.host, address.port));
}

/** The directory's Redis, or undefined for a relay alone (no Redis: it has no peers to find). */
function directoryRedis(): ScriptRunner | undefined {
  return matchMaker.presence instanceof WorldPresence ? matchMaker.presence.scripts : undefined;
}

/** This process's heartbeat; stopping it stops the beats (the entry dies three beats later unless removed). */
export interface Heartbeat {
  stop(): void;
}

let current: Heartbeat | undefined;

/**
 * Announces this process's address to its peers (after it listens) and keeps it alive: a beat
 * every {@link BEAT_MS}, each also pruning entries of relays that stopped beating. The first beat is
 * done when this resolves. The timer does not hold the process open.
 */
export async function registerProcess(address: PeerAddress): Promise<Heartbeat> {
  current?.stop();
  const redis = directoryRedis();
  if (!redis) return (current = { stop: () => undefined });
  const processId = matchMaker.processId;
  await beat(redis, processId, address);
  let stopped = false;
  let beating = false;
  const timer = setInterval(() => {
    // One beat at a time: a slow Redis gets no pile of them. A failed beat is retried by the next;
    // three in a row and peers take this relay for dead until it beats again.
    if (beating || stopped) return;
    beating = true;
    beat(redis, processId, address)
      .catch(() => undefined)
      .finally(() => (beating = false));
  }, BEAT_MS);
  timer.unref();
  const heartbeat: Heartbeat = {
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
  current = heartbeat;
  return heartbeat;
}

/**
 * Stops the heartbeat and takes this process's address back, at shutdown. Not awaited: until core's
 * own shutdown begins, Colyseus takes a second signal (a terminal's SIGINT and the launcher's
 * SIGTERM) for a new shutdown and exits midway. Presence sends this before it quits, on the
 * connection the beats use, so no beat already sent can put the entry back after it. If it fails,
 * the entry dies {@link DEAD_AFTER_MS} later and is pruned.
 */
export function unregisterProcess(): void {
  current?.stop();
  current = undefined;
  matchMaker.presence.hdel(PROCESSES_KEY, matchMaker.processId).catch(() => undefined);
}

/** The address of a live process of this world, or undefined for one that is unknown, gone, or silent for three beats. */
export async function findProcess(processId: string): Promise<PeerAddress | undefined> {
  const redis = directoryRedis();
  if (!redis) return undefined;
  const raw = (await redis.eval(FIND_SCRIPT, 1, PROCESSES_KEY, DEAD_AFTER_MS, processId)) as string | null;
  if (!raw) return undefined;
  const { host, port } = JSON.parse(raw) as Partial<PeerAddress>;
  return typeof host === "string" && typeof port === "number" ? { host, port } : undefined;
}
