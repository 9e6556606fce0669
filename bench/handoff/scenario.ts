import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { Bot, BotSwarm, Shuttle, joinWorldBots, rank, worldLink } from "@tessera/bots";
import { tileId, type TilesResponse, type WorldInfo } from "@tessera/protocol";
import { WorldClient } from "@tessera/sdk";
import { startServerProcess, type ServerProcess } from "../bandwidth/processes.ts";
import { AuthorityAudit } from "./audit.ts";
import { handoffDelays, type AuthorityChange, type Sample } from "./crossings.ts";

const RELAY_MAIN = fileURLToPath(new URL("../../apps/relay/src/main.ts", import.meta.url));
/** Players arrive on the border between tile_1_2 and tile_2_2 (x = 128), halfway along it. */
const BORDER = 128;
const SPAWN = { x: BORDER, z: 160 };
/** Crossers run between 4 m west and 4 m east of the border. */
const LEG = 4;
/** Background walkers wander over both tiles. */
const LOAD_AREA = { minX: 72, minZ: 136, maxX: 184, maxZ: 184 };
/** Redis database of the two-process runs, emptied first. */
const REDIS_URL = "redis://127.0.0.1:6379/8";
const OBSERVER_FRAME_MS = 1000 / 60;

export interface ScenarioOptions {
  processes: number;
  crossers: number;
  load: number;
  crossings: number;
  /** Gives up after this long, s. */
  timeoutS: number;
}

export interface ScenarioResult {
  processes: number;
  /** Which process each of the two tiles ran on. */
  placement: Record<string, string>;
  crossers: number;
  load: number;
  crossings: number;
  seconds: number;
  auditSamples: number;
  lost: number;
  duplicated: number;
  handoffMs: { p50: number; p99: number; max: number; count: number };
  /** The fastest any crosser appeared to move from one observer frame to the next, m/s (a run is 6.5). */
  observerMaxSpeedMps: number;
  observerP99SpeedMps: number;
  /** The largest step any crosser made between two observer frames, m. */
  observerMaxStepM: number;
  botsSkippedTicks: number;
  /** How long opening one tile of the demo world took, on average, ms. */
  tileOpenMs: number;
}

interface Crosser {
  client: WorldClient;
  samples: Sample[];
  changes: AuthorityChange[];
}

/** Adds the crosser's latest own update to its samples, unless it has it already. */
function sampleOwn(crosser: Crosser): void {
  const own = crosser.client.ownAvatar;
  if (own && own.receivedAt !== crosser.samples.at(-1)?.at) crosser.samples.push({ tick: own.tick, x: own.x, at: own.receivedAt });
}

/** One run: relays, load, crossers and an observer; the handoffs counted, timed and audited. */
export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const relays = await startRelays(options.processes);
  const urls = relays.map((relay) => relay.url);
  const swarm = new BotSwarm();
  const crossers: Crosser[] = [];
  let observer: WorldClient | undefined;
  try {
    // The spawn tile opened with the relays; its neighbour across the border opens now, on the least
    // loaded relay, then every other tile: opening one builds its physics in one go, which holds up
    // its relay for a moment, and this measures the steady state.
    await fetch(`${urls[0]}/api/tiles/tile_1_2/open`, { method: "POST" });
    const world = (await (await fetch(`${urls[0]}/api/world`)).json()) as WorldInfo;
    const opening = performance.now();
    for (let tx = 0; tx < world.grid.width; tx++) {
      for (let tz = 0; tz < world.grid.depth; tz++) await fetch(`${urls[tx % urls.length]}/api/tiles/${tileId({ tx, tz })}/open`, { method: "POST" });
    }
    const tileOpenMs = (performance.now() - opening) / (world.grid.width * world.grid.depth - 2);
    const tiles = ((await (await fetch(`${urls[0]}/api/tiles`)).json()) as TilesResponse).tiles;
    const placement = Object.fromEntries(tiles.filter((tile) => ["tile_1_2", "tile_2_2"].includes(tile.id)).map((tile) => [tile.id, tile.process]));

    await joinWorldBots(swarm, { endpoint: urls[0]!, count: options.load, predict: false, area: LOAD_AREA, perSecond: 50, name: (i) => `Load-${i + 1}` });
    for (let i = 0; i < options.crossers; i++) {
      const client = await WorldClient.connect({ endpoint: urls[i % urls.length]!, name: `Crosser-${i + 1}`, predict: false, viewRadius: 8 });
      const z = SPAWN.z - options.crossers / 2 + i;
      const crosser: Crosser = { client, samples: [], changes: [] };
      let authority = client.authorityTile;
      client.subscribe(() => {
        const own = client.ownAvatar;
        if (client.authorityTile === authority || !authority || !client.authorityTile || !own) return;
        // The own block that made the new tile the authority: its first update, and a sample (the
        // frames below sample only the latest update, and this one may show the crossing).
        crosser.changes.push({ at: own.receivedAt, tick: own.tick, from: authority, to: client.authorityTile });
        sampleOwn(crosser);
        authority = client.authorityTile;
      });
      crossers.push(crosser);
      swarm.add(new Bot(`Crosser-${i + 1}`, worldLink(client), new Shuttle({ x: BORDER - LEG, z }, { x: BORDER + LEG, z })));
    }
    observer = await WorldClient.connect({ endpoint: urls.at(-1)!, name: "Observer", predict: false, viewRadius: 16 });
    const crosserIds = new Set(crossers.map((c) => c.client.playerId));
    const ids = [...crosserIds];

    const audit = new AuthorityAudit(urls);
    const speeds: number[] = [];
    let maxStep = 0;
    const lastSeen = new Map<string, { x: number; z: number; at: number }>();
    const frames = setInterval(() => {
      const now = performance.now();
      observer!.frame(now);
      for (const remote of observer!.avatars()) {
        if (!crosserIds.has(remote.id)) continue;
        const before = lastSeen.get(remote.id);
        lastSeen.set(remote.id, { x: remote.shown.x, z: remote.shown.z, at: now });
        if (!before || now - before.at < 5) continue;
        const step = Math.hypot(remote.shown.x - before.x, remote.shown.z - before.z);
        maxStep = Math.max(maxStep, step);
        speeds.push(step / ((now - before.at) / 1000));
      }
      for (const crosser of crossers) sampleOwn(crosser);
    }, OBSERVER_FRAME_MS);
    let auditing = true;
    const auditor = (async () => {
      while (auditing) await audit.sample(ids);
    })();

    // Warm-up: every crosser crosses once, its client joining the tiles around it as the crowd
    // arrives; the handoffs and what the observer sees count from then on (the audit counts all along).
    const warmUntil = performance.now() + options.timeoutS * 1000;
    while (crossers.some((c) => c.changes.length === 0) && performance.now() < warmUntil) await new Promise((resolve) => setTimeout(resolve, 100));
    for (const crosser of crossers) crosser.changes.length = 0;
    speeds.length = 0;
    maxStep = 0;

    const started = performance.now();
    const crossed = () => crossers.reduce((sum, c) => sum + c.changes.length, 0);
    while (crossed() < options.crossings && performance.now() - started < options.timeoutS * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const seconds = (performance.now() - started) / 1000;
    auditing = false;
    await auditor;
    clearInterval(frames);
    // Once more, at rest: every crosser in exactly one room.
    await audit.sample(ids);

    const delays = crossers.flatMap((c) => handoffDelays(c.samples, c.changes, BORDER)).sort((a, b) => a - b);
    speeds.sort((a, b) => a - b);
    return {
      processes: options.processes,
      placement,
      crossers: options.crossers,
      load: options.load,
      crossings: crossed(),
      seconds,
      auditSamples: audit.samples,
      lost: audit.lost,
      duplicated: audit.duplicated,
      handoffMs: { p50: ranked(delays, 50), p99: ranked(delays, 99), max: delays.at(-1) ?? Number.NaN, count: delays.length },
      observerMaxSpeedMps: speeds.at(-1) ?? Number.NaN,
      observerP99SpeedMps: ranked(speeds, 99),
      observerMaxStepM: maxStep,
      botsSkippedTicks: swarm.skippedTicks,
      tileOpenMs,
    };
  } finally {
    await swarm.leave();
    await observer?.leave();
    await Promise.all(relays.map((relay) => relay.stop()));
  }
}

const ranked = (sorted: readonly number[], p: number) => (sorted.length > 0 ? rank(sorted, p) : Number.NaN);

/** One relay, or several sharing a fresh Redis database and one secret. */
async function startRelays(count: number): Promise<ServerProcess[]> {
  const env = { SPAWN: `${SPAWN.x},${SPAWN.z}` };
  if (count === 1) return [await startServerProcess(RELAY_MAIN, env)];
  const redis = new Redis(REDIS_URL);
  try {
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
  const shared = { ...env, REDIS_URL, AUTH_SECRET: randomBytes(32).toString("base64url") };
  // A relay of a cluster is up when it answers: the spawn tile opens on one of them only.
  const started = await Promise.allSettled(Array.from({ length: count }, () => startServerProcess(RELAY_MAIN, shared, true)));
  const relays = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failed = started.find((result) => result.status === "rejected");
  if (failed) {
    // None may outlive the run: a stray relay would answer for its tiles on this Redis.
    await Promise.all(relays.map((relay) => relay.stop()));
    throw failed.reason;
  }
  return relays;
}
