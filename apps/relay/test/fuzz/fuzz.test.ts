/**
 * Fuzzes a real relay over every HTTP route and every room message type, and checks that whatever it
 * is sent:
 *
 *  1. it stays up and keeps answering GET /api/health;
 *  2. its log (stdout and stderr) holds no stack trace;
 *  3. its memory stays bounded: RSS after the run settles is less than 150 MB above where it started,
 *     and no request body is read past 1 MiB (a request with a bigger one is answered or cut off);
 *  4. a bystander, a normal client standing in the spawn tile since before the fuzzing began, keeps
 *     getting its snapshots at their rate: no gap over 1 s, and 14-16 a second from its tile.
 *
 * A refused case (HTTP 4xx, an `error` message back, a closed socket) is fine; only those must hold.
 *
 * Who runs where: the relay is its own process, started as `npm start` starts it, its stdout and
 * stderr going to files that are read as they grow (see processes.ts). The bystander and the health
 * checks run in a process of their own (bystander.ts). This process generates and sends the cases,
 * at a lower priority than both, so that its own work is not what they measure. The cases are in
 * cases.ts (categories in engine.ts), the ways they are sent in exec-http.ts and exec-ws.ts.
 *
 *   npx vitest run apps/relay/test/fuzz                        # 12,000 cases: ~40 s of fuzzing, ~80 s in all
 *   FUZZ_CASES=200000 npx vitest run apps/relay/test/fuzz      # a long run (~7 min of fuzzing)
 *   FUZZ_SEED=123 npx vitest run apps/relay/test/fuzz          # the cases of seed 123 again (printed by every run)
 *   FUZZ_SEED=123 FUZZ_REPLAY=ws-frame#417,http#12 npx vitest run apps/relay/test/fuzz   # those cases alone
 *   FUZZ_ONLY=ws-frame,ws-message npx vitest run apps/relay/test/fuzz                   # some categories
 *   FUZZ_REPLAY_BUDGET_S=300 ...                               # longer search for the case behind each stack trace
 *   FUZZ_CASES=0 FUZZ_BASELINE_S=30 npx vitest run apps/relay/test/fuzz  # no fuzzing: the bystander's baseline
 *   FUZZ_RELAY_MAIN=/other/checkout/apps/relay/src/main.ts ...            # fuzz another checkout's relay
 */
import { loadavg, setPriority } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Target } from "./context.ts";
import { CATEGORIES, caseAt, runCategories, runOne, splitCases, type CaseRecord, type CategoryStats } from "./engine.ts";
import { OVERSIZE_LIMIT } from "./exec-http.ts";
import { plainFetch } from "./http-client.ts";
import { distinct, stackTraces, type StackTrace } from "./logs.ts";
import { cpuSeconds, rssBytes, runQueueMs, sleep, startBystander, startRelay, type Bystander, type BystanderSample, type RelayProcess } from "./processes.ts";

// ---------------------------------------------------------------------------------------------
// Bounds

/**
 * RSS may grow this much over the run, measured once the relay has settled: its dropped sessions'
 * reconnection windows (20 s) are over and it has collected its garbage (through its inspector), so
 * that what is measured is what it keeps, not what V8 has yet to collect (a healthy relay's RSS
 * grows 15-30 MB over 12,000 cases that way; uncollected, 40-200 MB depending on when V8 gets to it).
 */
const RSS_GROWTH_LIMIT = 150 * 1024 * 1024;
/**
 * Longest time the bystander may go without a snapshot. Snapshots come every 67 ms. Measured on this
 * 2-core machine while other test suites kept it busy (load average 3-15): idle, the longest gap in
 * 30 s is 85-210 ms; under the full fuzz load, 125-330 ms on a relay that handles it, up to 550 ms on
 * one that prints 25,000 log lines meanwhile. 1 s is three times the worst of those: a relay that
 * leaves a player without news for a second has stopped serving it, whatever the cause. A failure
 * says how long the relay and the bystander waited for a CPU around the gap (see `contention`).
 */
const GAP_LIMIT_MS = 1000;
/** Snapshots a second from the tile that holds the bystander's avatar (the relay sends 15). */
const OWN_RATE_MIN = 14;
const OWN_RATE_MAX = 16;
/**
 * Health checks (made by the bystander's process, every 500 ms, each on a new connection) must be
 * answered with 200 within 5 s: idle they take 2-5 ms, under the fuzz load up to a few hundred.
 */
const HEALTH_TIMEOUT_MS = 5000;
/** At most this long is spent replaying cases alone to find which one prints each kind of stack trace. */
const REPLAY_BUDGET_MS = Number(process.env.FUZZ_REPLAY_BUDGET_S ?? 60) * 1000;
/** How often this process samples the relay's memory and CPU waits. */
const MONITOR_EVERY_MS = 500;

// ---------------------------------------------------------------------------------------------
// Settings

const TOTAL = process.env.FUZZ_CASES === undefined ? 12_000 : Number(process.env.FUZZ_CASES);
const SEED = process.env.FUZZ_SEED === undefined ? (Math.random() * 2 ** 31) | 0 : Number(process.env.FUZZ_SEED);
const REPLAY = (process.env.FUZZ_REPLAY ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const ONLY = (process.env.FUZZ_ONLY ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const BASELINE_S = Number(process.env.FUZZ_BASELINE_S ?? 20);
if (!Number.isInteger(TOTAL) || TOTAL < 0) throw new Error(`FUZZ_CASES must be a whole number, not ${process.env.FUZZ_CASES}`);
if (!Number.isInteger(SEED)) throw new Error(`FUZZ_SEED must be an integer, not ${process.env.FUZZ_SEED}`);

const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const replayHint = (id: string) => `FUZZ_SEED=${SEED} FUZZ_REPLAY=${id} npx vitest run apps/relay/test/fuzz`;

// ---------------------------------------------------------------------------------------------
// The run

/** What this process sees of the machine every 500 ms. */
interface MonitorSample {
  /** Date.now() */
  wall: number;
  /** Since the previous sample, ms. */
  intervalMs: number;
  /** Time the relay's and the bystander's main threads waited for a CPU (run queue) in the interval, ms. */
  relayWaitMs: number;
  bystanderWaitMs: number;
  /** One-minute load average. */
  load: number;
}

interface RunResult {
  stats: CategoryStats[];
  records: CaseRecord[];
  fuzzStart: number;
  fuzzEnd: number;
  fuzzStartWall: number;
  fuzzEndWall: number;
  rssBefore: number;
  rssPeak: number;
  rssAfter: number | undefined;
  /** The relay's heap in use, after collecting its garbage, before and after. */
  heap: [number, number];
  settledMs: number;
  /** How long opening each tile took, before the fuzzing. */
  tileOpenMs: number[];
  /** CPU seconds used during the fuzzing by the relay and by this process. */
  cpu: [number, number];
  /** Connected clients (GET /api/health `players`) before the fuzzing and after settling. */
  players: [number, number];
  monitor: MonitorSample[];
  /** When the relay was last looked at (after settling), Date.now(). */
  endWall: number;
  /** Lines printed before any replay (the run's own). */
  linesOfRun: number;
  crash: string | undefined;
  bystanderExit: string | undefined;
  replays: Map<string, string>;
}

let relay: RelayProcess | undefined;
let bystander: Bystander | undefined;
let result: RunResult | undefined;

const total = REPLAY.length > 0 ? REPLAY.length : TOTAL;
const runTimeoutMs = Math.max(300_000, 150_000 + total * 25);

async function getJson<T>(url: string): Promise<T> {
  const response = await plainFetch(url, { fresh: true, timeoutMs: 5000 });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return (await response.json()) as T;
}

async function prepareTarget(r: RelayProcess): Promise<Target> {
  const { tiles } = await getJson<{ tiles: { id: string; process: string }[] }>(`${r.url}/api/tiles`);
  const processId = tiles[0]?.process;
  if (!processId) throw new Error("GET /api/tiles lists no tile: cannot learn the relay's process id");
  const tokens = await Promise.all(
    Array.from({ length: 64 }, async (_, i) => {
      const response = await plainFetch(`${r.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: `Pool-${i}` }) });
      if (response.status !== 201) throw new Error(`POST /api/session: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { token: string }).token;
    }),
  );
  return { url: r.url, host: "127.0.0.1", port: r.port, processId, tokens, reconnectionTokens: [] };
}

/**
 * Opens every tile of the grid, one at a time, and says how long each took. A tile's first opening
 * builds its world (physics, prims) in one go, which holds the relay's event loop for a while; the
 * fuzzer opens tiles all the time, so they are all opened before the bystander's clock starts.
 */
async function openAllTiles(r: RelayProcess): Promise<number[]> {
  const { grid } = await getJson<{ grid: { width: number; depth: number } }>(`${r.url}/api/world`);
  const times: number[] = [];
  for (let tx = 0; tx < grid.width; tx++) {
    for (let tz = 0; tz < grid.depth; tz++) {
      const start = performance.now();
      const response = await plainFetch(`${r.url}/api/tiles/tile_${tx}_${tz}/open`, { method: "POST", timeoutMs: 30_000 });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`POST /api/tiles/tile_${tx}_${tz}/open: ${response.status}`);
      times.push(performance.now() - start);
    }
  }
  return times;
}

/** The cases named in FUZZ_REPLAY (`category#index`), one at a time. */
async function runReplays(target: Target, records: CaseRecord[]): Promise<CategoryStats[]> {
  const stats = new Map<string, CategoryStats>();
  for (const id of REPLAY) {
    const match = /^([\w-]+)#(\d+)$/.exec(id);
    const category = CATEGORIES.find((c) => c.name === match?.[1]);
    if (!match || !category) throw new Error(`FUZZ_REPLAY: ${id} is not <category>#<index> (categories: ${CATEGORIES.map((c) => c.name).join(", ")})`);
    const index = Number(match[2]);
    const c = caseAt(category, SEED, index);
    console.log(`replaying ${id}:`, describeCase(c));
    const s = stats.get(category.name) ?? { name: category.name, cases: 0, refused: 0, accepted: 0, skipped: 0, errors: 0, durationMs: 0, caseMs: 0, violations: [], laneErrors: [], skipNotes: [] };
    stats.set(category.name, s);
    const start = performance.now();
    const outcome = await runOne(category, c, target);
    await sleep(300);
    records.push({ category: category.name, index, start, end: performance.now(), outcome });
    s.cases++;
    s.durationMs += performance.now() - start;
    if (outcome.refused) s.refused++;
    else s.accepted++;
    if (outcome.violation) s.violations.push({ index, message: outcome.violation });
  }
  return [...stats.values()];
}

/** A case as text, cut to a readable length. */
function describeCase(c: unknown): string {
  const text = JSON.stringify(c, (_key, value: unknown) => {
    if (typeof value === "bigint") return `${value}n`;
    if (value instanceof Uint8Array) return `<${value.length} bytes: ${Buffer.from(value.subarray(0, 24)).toString("hex")}${value.length > 24 ? "..." : ""}>`;
    if (typeof value === "string" && value.length > 120) return `${value.slice(0, 60)}...<${value.length} chars>`;
    if (typeof value === "number" && !Number.isFinite(value)) return String(value);
    if (value instanceof Map) return { Map: [...value.entries()].slice(0, 8) };
    if (value instanceof Set) return { Set: [...value.values()].slice(0, 8) };
    return value;
  });
  return text === undefined ? String(c) : text.length > 600 ? `${text.slice(0, 600)}...` : text;
}

/** How far a case was from a line's arrival: 0 if it was running, else how long before (or, less likely, after). */
const distance = (r: CaseRecord, at: number) => (r.end < at ? at - r.end : r.start > at ? 4 * (r.start - at) : 0);

/**
 * Cases running when a line arrived, nearest first, taking the categories in turn (lines reach this
 * busy, lower-priority process a little late: up to 3 s is allowed for).
 */
function suspects(records: readonly CaseRecord[], at: number): CaseRecord[] {
  const near = records
    .filter((r) => r.start <= at + 5 && r.end >= at - 3000)
    .sort((a, b) => distance(a, at) - distance(b, at));
  const byCategory = new Map<string, CaseRecord[]>();
  for (const r of near) byCategory.set(r.category, [...(byCategory.get(r.category) ?? []), r]);
  const turns: CaseRecord[] = [];
  for (let i = 0; turns.length < near.length; i++) for (const list of byCategory.values()) if (list[i]) turns.push(list[i]!);
  return turns;
}

/**
 * For each kind of stack trace, replays the cases that were running when it first appeared, one at
 * a time on the now quiet relay, until one prints it again: that case is the one to look at. Every
 * replay counts for every kind it prints, so one pass settles several kinds.
 */
async function findCulprits(r: RelayProcess, target: Target, records: readonly CaseRecord[], traces: readonly StackTrace[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const budgetEnd = performance.now() + REPLAY_BUDGET_MS;
  const kinds = distinct(traces).sort((a, b) => b.count - a.count);
  const wanted = new Set(kinds.map((k) => k.signature));
  const tried = new Set<string>();
  let replays = 0;
  for (const group of kinds) {
    if (found.has(group.signature)) continue;
    for (const candidate of suspects(records, group.first.at).slice(0, 48)) {
      if (performance.now() > budgetEnd || r.exited()) break;
      const id = `${candidate.category}#${candidate.index}`;
      if (tried.has(id)) continue;
      tried.add(id);
      const category = CATEGORIES.find((c) => c.name === candidate.category)!;
      r.read();
      const from = r.lines.length;
      await runOne(category, caseAt(category, SEED, candidate.index), target).catch(() => undefined);
      await sleep(150);
      r.read();
      replays++;
      for (const trace of stackTraces(r.lines.slice(from))) {
        if (wanted.has(trace.signature) && !found.has(trace.signature)) {
          found.set(trace.signature, `reproduced alone by ${id}: ${describeCase(caseAt(category, SEED, candidate.index)).slice(0, 400)}\n  (${replayHint(id)})`);
        }
      }
      if (found.has(group.signature)) break;
    }
  }
  for (const group of kinds) {
    if (!found.has(group.signature)) found.set(group.signature, "not reproduced alone by a case running at the time (it may take several at once, or the search ran out of time)");
  }
  console.log(`culprit search: ${replays} cases replayed alone, ${[...found.values()].filter((v) => v.startsWith("reproduced")).length} of ${kinds.length} kinds reproduced`);
  return found;
}

beforeAll(async () => {
  relay = await startRelay();
  const r = relay;
  const target = await prepareTarget(r);
  const tileOpenMs = await openAllTiles(r);
  bystander = await startBystander(r.url, HEALTH_TIMEOUT_MS);
  // The fuzzer works at a lower priority than the relay and the bystander (started already, at the
  // normal one): on a 2-core machine its own work must not be what delays snapshots.
  try {
    setPriority(5);
  } catch {
    // Not allowed here: measured as is.
  }
  await sleep(2000);
  const { players: playersBefore } = await getJson<{ players: number }>(`${r.url}/api/health`);
  const memoryBefore = (await r.settledMemory()) ?? { heapUsed: NaN, rss: rssBytes(r.pid) ?? 0 };
  let rssPeak = rssBytes(r.pid) ?? 0;
  const monitor: MonitorSample[] = [];
  let monitoring = true;
  const b = bystander;
  const monitorLoop = (async () => {
    let last = { wall: Date.now(), relay: runQueueMs(r.pid) ?? 0, bystander: runQueueMs(b.pid) ?? 0 };
    while (monitoring && !r.exited()) {
      await sleep(MONITOR_EVERY_MS);
      const now = { wall: Date.now(), relay: runQueueMs(r.pid) ?? last.relay, bystander: runQueueMs(b.pid) ?? last.bystander };
      monitor.push({ wall: now.wall, intervalMs: now.wall - last.wall, relayWaitMs: now.relay - last.relay, bystanderWaitMs: now.bystander - last.bystander, load: loadavg()[0] ?? 0 });
      last = now;
      rssPeak = Math.max(rssPeak, rssBytes(r.pid) ?? 0);
    }
  })();

  const records: CaseRecord[] = [];
  const relayCpuBefore = cpuSeconds(r.pid) ?? 0;
  const driverCpuBefore = process.cpuUsage();
  const fuzzStart = performance.now();
  const fuzzStartWall = Date.now();
  let stats: CategoryStats[];
  if (REPLAY.length > 0) stats = await runReplays(target, records);
  else if (TOTAL === 0) {
    await sleep(BASELINE_S * 1000);
    stats = [];
  } else stats = await runCategories({ target, seed: SEED, counts: splitCases(TOTAL, ONLY), records, stop: () => r.exited() !== undefined });
  const fuzzEnd = performance.now();
  const fuzzEndWall = Date.now();
  const relayCpu = (cpuSeconds(r.pid) ?? relayCpuBefore) - relayCpuBefore;
  const driverCpuUsage = process.cpuUsage(driverCpuBefore);
  const driverCpu = (driverCpuUsage.user + driverCpuUsage.system) / 1e6;

  // Settle: fuzz sessions dropped without leaving are held for their reconnection window (20 s).
  const settleStart = performance.now();
  while (!r.exited() && performance.now() - settleStart < 30_000) {
    const players = await getJson<{ players: number }>(`${r.url}/api/health`).then((h) => h.players, () => Infinity);
    if (players <= playersBefore) break;
    await sleep(500);
  }
  await sleep(1000);
  const memoryAfter = await r.settledMemory();
  monitoring = false;
  await monitorLoop;
  const endWall = Date.now();
  const settledMs = performance.now() - settleStart;
  const { players: playersAfter } = await getJson<{ players: number }>(`${r.url}/api/health`).catch(() => ({ players: NaN }));
  r.read();
  const linesOfRun = r.lines.length;
  const traces = stackTraces(r.lines);
  const replays = traces.length > 0 && !r.exited() && REPLAY.length === 0 ? await findCulprits(r, target, records, traces) : new Map<string, string>();
  result = {
    stats,
    records,
    fuzzStart,
    fuzzEnd,
    fuzzStartWall,
    fuzzEndWall,
    rssBefore: memoryBefore.rss,
    rssPeak,
    rssAfter: memoryAfter?.rss,
    heap: [memoryBefore.heapUsed, memoryAfter?.heapUsed ?? NaN],
    settledMs,
    tileOpenMs,
    cpu: [relayCpu, driverCpu],
    players: [playersBefore, playersAfter],
    monitor,
    endWall,
    linesOfRun,
    crash: r.exited(),
    bystanderExit: bystander.exited(),
    replays,
  };
  console.log(report(result, r, bystander));
}, runTimeoutMs);

afterAll(async () => {
  await bystander?.stop();
  await relay?.stop();
});

// ---------------------------------------------------------------------------------------------
// What the bystander saw

interface BystanderFigures {
  samples: BystanderSample[];
  ownRate: number;
  allRate: number;
  maxGapMs: number;
  maxOwnGapMs: number;
  worstAt: number | undefined;
  statuses: string[];
}

function bystanderFigures(run: RunResult, b: Bystander): BystanderFigures {
  // Every report whose interval overlaps the fuzzing (the one after it ends carries the last gap).
  const samples = b.samples.filter((s) => s.t >= run.fuzzStartWall && s.t <= run.fuzzEndWall + 500);
  const first = b.samples.filter((s) => s.t <= run.fuzzStartWall).at(-1) ?? samples[0];
  const last = samples.filter((s) => s.t <= run.fuzzEndWall).at(-1) ?? samples.at(-1);
  const seconds = first && last ? (last.t - first.t) / 1000 : 0;
  let worst: BystanderSample | undefined;
  for (const s of samples) if (!worst || s.gapMs > worst.gapMs) worst = s;
  return {
    samples,
    ownRate: first && last && seconds > 0 ? (last.own - first.own) / seconds : 0,
    allRate: first && last && seconds > 0 ? (last.snapshots - first.snapshots) / seconds : 0,
    maxGapMs: Math.max(0, ...samples.map((s) => s.gapMs)),
    maxOwnGapMs: Math.max(0, ...samples.map((s) => s.ownGapMs)),
    worstAt: worst ? (worst.t - run.fuzzStartWall) / 1000 : undefined,
    statuses: [...new Set(samples.map((s) => s.status))],
  };
}

/** The health checks made from the fuzzing's start until the relay had settled. */
function healthFigures(run: RunResult, b: Bystander): { probes: number; slowestMs: number; failures: { at: number; error: string }[] } {
  const samples = b.samples.filter((s) => s.t >= run.fuzzStartWall && s.t <= run.endWall + 500);
  const before = b.samples.filter((s) => s.t < run.fuzzStartWall).at(-1)?.probes ?? 0;
  return {
    probes: (samples.at(-1)?.probes ?? before) - before,
    slowestMs: Math.max(0, ...samples.map((s) => s.healthMs)),
    failures: samples.flatMap((s) => s.healthErrors.map((error) => ({ at: (s.t - run.fuzzStartWall) / 1000, error }))),
  };
}

/** CPU contention around the fuzzing: the load average and how long the processes waited for a CPU. */
function contention(samples: readonly MonitorSample[]): string {
  if (samples.length === 0) return "-";
  const worst = (pick: (m: MonitorSample) => number) => Math.max(0, ...samples.map((m) => pick(m) / Math.max(1, m.intervalMs)));
  return (
    `load average ${Math.min(...samples.map((m) => m.load)).toFixed(1)}-${Math.max(...samples.map((m) => m.load)).toFixed(1)}; at worst the relay waited for a CPU ` +
    `${(worst((m) => m.relayWaitMs) * 100).toFixed(0)}% of a 0.5 s interval, the bystander ${(worst((m) => m.bystanderWaitMs) * 100).toFixed(0)}%`
  );
}

// ---------------------------------------------------------------------------------------------
// The table

function report(run: RunResult, r: RelayProcess, b: Bystander): string {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const rows = [`${"category".padEnd(14)}${pad("cases", 8)}${pad("refused", 9)}${pad("accepted", 10)}${pad("skipped", 9)}${pad("setup-err", 11)}${pad("duration", 10)}${pad("ms/case", 9)}`];
  const sum = { cases: 0, refused: 0, accepted: 0, skipped: 0, errors: 0 };
  for (const s of run.stats) {
    const perCase = s.cases + s.skipped > 0 ? s.caseMs / (s.cases + s.skipped) : 0;
    rows.push(`${s.name.padEnd(14)}${pad(s.cases, 8)}${pad(s.refused, 9)}${pad(s.accepted, 10)}${pad(s.skipped, 9)}${pad(s.errors, 11)}${pad(`${(s.durationMs / 1000).toFixed(1)} s`, 10)}${pad(perCase.toFixed(0), 9)}`);
    sum.cases += s.cases;
    sum.refused += s.refused;
    sum.accepted += s.accepted;
    sum.skipped += s.skipped;
    sum.errors += s.errors;
  }
  rows.push(`${"total".padEnd(14)}${pad(sum.cases, 8)}${pad(sum.refused, 9)}${pad(sum.accepted, 10)}${pad(sum.skipped, 9)}${pad(sum.errors, 11)}${pad(`${((run.fuzzEnd - run.fuzzStart) / 1000).toFixed(1)} s`, 10)}`);
  const f = bystanderFigures(run, b);
  const traces = stackTraces(r.lines.slice(0, run.linesOfRun));
  const h = healthFigures(run, b);
  const lines = [
    "",
    `Relay fuzz, seed ${SEED}${REPLAY.length ? `, replaying ${REPLAY.join(", ")}` : ""} (same cases again: FUZZ_SEED=${SEED})`,
    ...rows,
    `relay RSS: before ${MB(run.rssBefore)}, peak ${MB(run.rssPeak)}, after settling ${run.rssAfter === undefined ? "-" : MB(run.rssAfter)} ` +
      `(${run.rssAfter === undefined ? "-" : `${run.rssAfter >= run.rssBefore ? "+" : ""}${MB(run.rssAfter - run.rssBefore)}`}; bound +${MB(RSS_GROWTH_LIMIT)}); ` +
      `heap in use ${MB(run.heap[0])} -> ${MB(run.heap[1])}; settled in ${(run.settledMs / 1000).toFixed(1)} s, players ${run.players[0]} -> ${run.players[1]}`,
    `bystander: ${f.ownRate.toFixed(2)} snapshots/s from its tile (bound ${OWN_RATE_MIN}-${OWN_RATE_MAX}), ${f.allRate.toFixed(2)}/s from all joined tiles; ` +
      `largest gap ${f.maxGapMs} ms (its tile's ${f.maxOwnGapMs} ms; bound ${GAP_LIMIT_MS} ms)${f.worstAt === undefined ? "" : ` at +${f.worstAt.toFixed(1)} s`}; status ${f.statuses.join("/") || "-"}`,
    `tiles: all ${run.tileOpenMs.length} opened before the fuzzing, ${Math.round(run.tileOpenMs.reduce((a, b) => a + b, 0))} ms in all, slowest ${Math.round(Math.max(0, ...run.tileOpenMs))} ms`,
    `CPU during the fuzzing: relay ${run.cpu[0].toFixed(1)} s, fuzzer ${run.cpu[1].toFixed(1)} s (of ${((run.fuzzEnd - run.fuzzStart) / 1000).toFixed(1)} s)`,
    `CPU contention: ${contention(run.monitor)}`,
    `health: ${h.probes} checks, ${h.failures.length} failed, slowest ${h.slowestMs} ms (bound ${HEALTH_TIMEOUT_MS} ms)`,
    ...run.stats.flatMap((s) => s.laneErrors.map((e) => `setup error: ${e}`)),
    ...run.stats.flatMap((s) => s.skipNotes.map((note) => `skipped (${s.name}): ${note}`)),
    `relay log: ${run.linesOfRun} lines, ${traces.length} stack traces (${distinct(traces).length} kinds)${run.crash ? `; relay ${run.crash}` : ""} (${r.logFiles.join(", ")})`,
  ];
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// The invariants

describe(`relay fuzz (${REPLAY.length ? `replay ${REPLAY.join(",")}` : `${TOTAL} cases`}, seed ${SEED})`, () => {
  it("stays up and keeps answering GET /api/health", () => {
    const run = result!;
    const r = relay!;
    const problems: string[] = [];
    if (run.crash) {
      const inFlight = run.records.filter((c) => c.end >= run.fuzzEnd - 2000).slice(-10);
      problems.push(
        `the relay ${run.crash} during the run. Its last lines:\n${r.lines.slice(-40).map((l) => `  | ${l.text}`).join("\n")}\n` +
          `cases that ended last:\n${inFlight.map((c) => `  ${c.category}#${c.index} (${replayHint(`${c.category}#${c.index}`)})`).join("\n")}`,
      );
    }
    const h = healthFigures(run, bystander!);
    if (h.failures.length > 0) {
      problems.push(
        `${h.failures.length} of ${h.probes} health checks failed (each must answer 200 within ${HEALTH_TIMEOUT_MS} ms):\n` +
          h.failures.slice(0, 10).map((f) => `  by +${f.at.toFixed(1)} s: ${f.error}`).join("\n"),
      );
    }
    if (h.probes === 0 && !run.bystanderExit) problems.push("no health check was made during the run");
    if (problems.length > 0) expect.fail(problems.join("\n\n"));
  });

  it("logs no stack trace", () => {
    const run = result!;
    const r = relay!;
    const traces = stackTraces(r.lines.slice(0, run.linesOfRun));
    if (traces.length === 0) return;
    const kinds = distinct(traces).sort((a, b) => b.count - a.count);
    const message = kinds
      .slice(0, 30)
      .map((group) => {
        const suspected = suspects(run.records, group.first.at).slice(0, 5).map((c) => `${c.category}#${c.index}`);
        return (
          `${group.count} x ${group.first.head.slice(0, 300)}\n${group.first.frames.slice(0, 5).map((l) => `  |${l}`).join("\n")}${group.first.frames.length > 5 ? "\n  |   ..." : ""}\n` +
          `  first at +${((group.first.at - run.fuzzStart) / 1000).toFixed(1)} s; running then: ${suspected.join(", ") || "none"}\n` +
          `  ${run.replays.get(group.signature) ?? ""}`
        );
      })
      .join("\n\n");
    const more = kinds.length > 30 ? `\n\n... and ${kinds.length - 30} more kinds (${kinds.slice(30).reduce((sum, k) => sum + k.count, 0)} traces)` : "";
    expect.fail(`the relay logged ${traces.length} stack traces, ${kinds.length} kinds (seed ${SEED}; full log: ${r.logFiles.join(", ")}):\n\n${message}${more}`);
  });

  it(`keeps its memory bounded (RSS +${MB(RSS_GROWTH_LIMIT)} at most; no request body read past ${OVERSIZE_LIMIT / 1024 / 1024} MiB)`, () => {
    const run = result!;
    const problems: string[] = [];
    if (run.rssAfter === undefined || !Number.isFinite(run.rssAfter)) problems.push("the relay's RSS could not be read after the run (it is gone)");
    else if (run.rssAfter - run.rssBefore >= RSS_GROWTH_LIMIT) {
      problems.push(
        `RSS grew by ${MB(run.rssAfter - run.rssBefore)} (${MB(run.rssBefore)} -> ${MB(run.rssAfter)} after settling and collecting garbage; peak ${MB(run.rssPeak)}; ` +
          `heap in use ${MB(run.heap[0])} -> ${MB(run.heap[1])}), bound ${MB(RSS_GROWTH_LIMIT)}`,
      );
    }
    const unbounded = run.stats.flatMap((s) => s.violations.map((v) => ({ id: `${s.name}#${v.index}`, message: v.message })));
    if (unbounded.length > 0) {
      problems.push(
        `${unbounded.length} request(s) with bodies over ${OVERSIZE_LIMIT / 1024 / 1024} MiB were read on without an answer:\n` +
          unbounded.slice(0, 12).map((v) => `  ${v.id}: ${v.message}\n    (${replayHint(v.id)})`).join("\n"),
      );
    }
    if (problems.length > 0) expect.fail(problems.join("\n\n"));
  });

  it(`keeps a bystander's snapshots coming (${OWN_RATE_MIN}-${OWN_RATE_MAX}/s from its tile, no gap over ${GAP_LIMIT_MS} ms)`, () => {
    const run = result!;
    const f = bystanderFigures(run, bystander!);
    const problems: string[] = [];
    if (run.bystanderExit) problems.push(`the bystander's process ${run.bystanderExit}:\n${bystander!.lines.slice(-20).map((l) => `  ${l.text}`).join("\n")}`);
    if (f.samples.length === 0) problems.push("the bystander reported nothing during the run");
    if (f.maxGapMs > GAP_LIMIT_MS || f.maxOwnGapMs > GAP_LIMIT_MS) {
      const gaps = f.samples.filter((s) => s.gapMs > GAP_LIMIT_MS || s.ownGapMs > GAP_LIMIT_MS);
      problems.push(
        `the bystander went ${Math.max(f.maxGapMs, f.maxOwnGapMs)} ms without a snapshot (bound ${GAP_LIMIT_MS} ms):\n` +
          gaps
            .slice(0, 10)
            .map((s) => {
              // What else was going on: how long the relay and the bystander waited for a CPU around then.
              const around = run.monitor.filter((m) => m.wall >= s.t - 1500 && m.wall <= s.t + 500);
              const wait = (pick: (m: MonitorSample) => number) => Math.round(around.reduce((sum, m) => sum + pick(m), 0));
              return (
                `  gap ${s.gapMs} ms (its tile ${s.ownGapMs} ms) ending by +${((s.t - run.fuzzStartWall) / 1000).toFixed(1)} s; ` +
                `in the 2 s around it the relay waited ${wait((m) => m.relayWaitMs)} ms for a CPU, the bystander ${wait((m) => m.bystanderWaitMs)} ms; load ${(around[0]?.load ?? 0).toFixed(1)}`
              );
            })
            .join("\n"),
      );
    }
    if (f.ownRate < OWN_RATE_MIN || f.ownRate > OWN_RATE_MAX) problems.push(`the bystander got ${f.ownRate.toFixed(2)} snapshots/s from its tile (bound ${OWN_RATE_MIN}-${OWN_RATE_MAX})`);
    const away = f.statuses.filter((s) => s !== "connected");
    if (away.length > 0) problems.push(`the bystander was ${away.join(", ")} during the run`);
    if (problems.length > 0) expect.fail(problems.join("\n\n"));
  });

  it(`ran its cases${REPLAY.length || TOTAL < 10_000 ? "" : " (at least 10,000)"}`, () => {
    const run = result!;
    const ran = run.stats.reduce((sum, s) => sum + s.cases, 0);
    const setupErrors = run.stats.flatMap((s) => s.laneErrors);
    // All but a few: the SDK cannot encode every value (skipped), and a lane may fail to set up a session now and then.
    const planned = REPLAY.length > 0 ? REPLAY.length : TOTAL === 0 ? 0 : [...splitCases(TOTAL, ONLY).values()].reduce((a, b) => a + b, 0);
    const expected = REPLAY.length > 0 ? planned : Math.max(TOTAL >= 10_000 ? 10_000 : 0, Math.floor(planned * 0.95));
    expect(ran, `${ran} cases ran; the fuzzer's own setup failed ${run.stats.reduce((sum, s) => sum + s.errors, 0)} times:\n${setupErrors.join("\n")}`).toBeGreaterThanOrEqual(run.crash ? 0 : expected);
  });
});

