import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { presetShape, type Vec3 } from "@tessera/prims";
import { EDIT_LIMITS, GHOST_STRIP } from "@tessera/protocol";
import { EditError, WorldClient } from "@tessera/sdk";
import { processCpuSeconds, startServerProcess, type ServerProcess } from "../bandwidth/processes.ts";
import type { BenchPostgres } from "./postgres.ts";
import { sleep, summarize, type Summary } from "./summary.ts";
import { VisibilityProbe } from "./visibility.ts";

const RELAY_MAIN = fileURLToPath(new URL("../../apps/relay/src/main.ts", import.meta.url));
/**
 * Where the editors' prims stand: in the spawn tile, tile_2_2 (x and z in [128, 192)), clear of its
 * border strips, so that an edit is this tile's business only (no neighbour refreshes its copies).
 */
const AREA = { x: 128 + GHOST_STRIP + 1, z: 128 + GHOST_STRIP + 1, width: 64 - 2 * (GHOST_STRIP + 1) };
/** Streaming starts with this much unmeasured, so that the measured part is the steady state. */
const WARM_UP_S = 1;
/** The modest rate: one client, this many edits a second, so that the latency is not queueing. */
export const MODEST_EDITS_PER_S = 5;
/** How long changes still on their way may take to show once the senders stop, ms. */
const SETTLE_MS = 3000;

export interface RelayOptions {
  seconds: number;
  clients: number;
  ops: number;
}

/** One phase on one relay: what was acknowledged, and how soon an observer showed it. */
export interface RelayRun {
  engine: "sqlite" | "postgres";
  phase: "streaming" | "modest";
  /** Clients sending, each at `editsPerClientPerS`, each edit moving `opsPerEdit` of its own prims. */
  clients: number;
  editsPerClientPerS: number;
  opsPerEdit: number;
  /** From the first edit sent to the last one answered, s. */
  seconds: number;
  sent: number;
  /** Edits (batches) acknowledged, per second of the phase. */
  editsPerS: number;
  /** Prims changed by acknowledged edits, per second. */
  opsPerS: number;
  /** Ops per second the clients sent (streaming: the most the edit rate limit lets them, {@link EDIT_LIMITS}.batchesPerSecond edits a second each). */
  offeredOpsPerS: number;
  /** Refusals by code. */
  refused: Record<string, number>;
  /** From `edit()` called to it resolving (the relay committed and acknowledged it), at the sender, ms. */
  ackMs: Summary;
  /** From `edit()` called to the observer's PrimSet showing the change, per prim changed, ms. */
  visibleMs: Summary;
  /** Changes acknowledged that the observer had not shown {@link SETTLE_MS} after the phase. */
  unseen: number;
  /** The relay process's CPU over the phase, in cores (1 = one core all the time). */
  relayCpu: number;
  /** The 99th percentile of the clients' process's event-loop delay, ms: a busy client delays what it shows. */
  clientLoopP99Ms: number;
}

/** A client editing prims of its own: the prims, where each stands, and how many moves it sent. */
interface Editor {
  client: WorldClient;
  ids: number[];
  homes: Vec3[];
  moves: number;
}

/** What a phase's sends came to. */
interface Tally {
  sent: number;
  acks: number[];
  refused: Record<string, number>;
  inFlight: Set<Promise<void>>;
}

/** Where a prim goes on its editor's `step`-th move: up and down by millimetres over its home. */
const positionAt = (home: Vec3, step: number): Vec3 => ({ x: home.x, y: home.y + (step % 1000) / 1000, z: home.z });

/** Sends the editor's next move of every one of its prims, as one edit; the probe awaits each change when given. */
function sendMove(editor: Editor, tally: Tally, probe: VisibilityProbe | undefined): void {
  const step = ++editor.moves;
  const sentAt = performance.now();
  const moves = editor.ids.map((id, k) => ({ id, position: positionAt(editor.homes[k]!, step) }));
  for (const { id, position } of moves) probe?.expect(id, position, sentAt);
  tally.sent++;
  const done = editor.client.edit(moves.map(({ id, position }) => ({ op: "change", id, to: { position } }))).then(
    () => void tally.acks.push(performance.now() - sentAt),
    (error: unknown) => {
      const code = error instanceof EditError ? error.code : String(error);
      tally.refused[code] = (tally.refused[code] ?? 0) + 1;
      for (const { id, position } of moves) probe?.forget(id, position);
    },
  );
  tally.inFlight.add(done);
  void done.finally(() => tally.inFlight.delete(done));
}

/**
 * Each editor sends moves at `perSecond` until `seconds` are up, the editors spread over the
 * interval; one that falls behind skips rather than bursting. Resolves once every edit is settled.
 */
async function stream(editors: readonly Editor[], perSecond: number, seconds: number, probe: VisibilityProbe | undefined): Promise<Tally> {
  const tally: Tally = { sent: 0, acks: [], refused: {}, inFlight: new Set() };
  const interval = 1000 / perSecond;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    editors.map(async (editor, i) => {
      let next = start + (interval * i) / editors.length;
      await sleep(next - start);
      while (next < end) {
        sendMove(editor, tally, probe);
        next += interval;
        const now = performance.now();
        if (next < now - interval) next = now;
        await sleep(next - now);
      }
    }),
  );
  while (tally.inFlight.size > 0) await Promise.allSettled([...tally.inFlight]);
  return tally;
}

/** A measured phase: the editors stream for `seconds` while the observer's probe times every change. */
async function phase(
  relay: ServerProcess,
  observer: WorldClient,
  editors: readonly Editor[],
  perSecond: number,
  options: RelayOptions,
): Promise<Omit<RelayRun, "engine" | "phase">> {
  const probe = new VisibilityProbe(observer);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const cpuBefore = processCpuSeconds(relay.pid);
  const started = performance.now();
  const tally = await stream(editors, perSecond, options.seconds, probe);
  // Until the last edit was answered: a relay that falls behind answers after the senders stopped.
  const seconds = (performance.now() - started) / 1000;
  const relayCpu = (processCpuSeconds(relay.pid) - cpuBefore) / seconds;
  loop.disable();
  const settleBy = performance.now() + SETTLE_MS;
  while (probe.waiting > 0 && performance.now() < settleBy) await sleep(20);
  const { visibleMs, unseen } = probe.finish();
  const editsPerS = tally.acks.length / seconds;
  return {
    clients: editors.length,
    editsPerClientPerS: perSecond,
    opsPerEdit: options.ops,
    seconds,
    sent: tally.sent,
    editsPerS,
    opsPerS: editsPerS * options.ops,
    offeredOpsPerS: editors.length * perSecond * options.ops,
    refused: tally.refused,
    ackMs: summarize(tally.acks),
    visibleMs,
    unseen,
    relayCpu,
    clientLoopP99Ms: loop.percentile(99) / 1e6,
  };
}

/** A client at the spawn point that watches the spawn tile and its neighbours, neither predicting nor tracking avatars. */
async function connect(url: string, name: string): Promise<WorldClient> {
  const client = await WorldClient.connect({ endpoint: url, name, viewRadius: 8, predict: false, others: false });
  for (const deadline = performance.now() + 20_000; !client.loaded; await sleep(20)) {
    if (performance.now() > deadline) throw new Error(`${name} did not load the tiles around the spawn point`);
  }
  return client;
}

/** Editor `index` makes its `ops` prims in one edit. */
async function makeEditor(client: WorldClient, index: number, ops: number): Promise<Editor> {
  const homes = Array.from({ length: ops }, (_, k) => {
    const slot = index * ops + k;
    return { x: AREA.x + (slot % AREA.width), y: 1, z: AREA.z + (Math.floor(slot / AREA.width) % AREA.width) };
  });
  const { created } = await client.edit(homes.map((position) => ({ op: "create", prim: { position, shape: presetShape("box") } })));
  return { client, ids: created, homes, moves: 0 };
}

/**
 * A real relay in its own process (its own CPU, as in production) on SQLite, or on PostgreSQL in a
 * schema of its own; in this process an observer and `clients` editors, each with `ops` prims of its
 * own in the spawn tile. Streaming: every editor moves all its prims in one edit, as often as the
 * rate limit allows, for `seconds` after a warm-up. Modest: one editor, {@link MODEST_EDITS_PER_S}
 * edits a second. Both time every change from `edit()` to the observer showing it.
 */
export async function measureRelay(engine: RelayRun["engine"], postgres: BenchPostgres | undefined, options: RelayOptions): Promise<RelayRun[]> {
  const env: Record<string, string> = { MAX_CONNECTIONS_PER_ADDRESS: "10000" };
  if (engine === "postgres") Object.assign(env, { DATABASE_URL: postgres!.url, DATABASE_SCHEMA: postgres!.schema() });
  const relay = await startServerProcess(RELAY_MAIN, env);
  const clients: WorldClient[] = [];
  try {
    const joined = (client: WorldClient) => (clients.push(client), client);
    const observer = joined(await connect(relay.url, "Observer"));
    const editorClients = await Promise.all(Array.from({ length: options.clients }, (_, i) => connect(relay.url, `Editor-${i + 1}`).then(joined)));
    const editors = await Promise.all(editorClients.map((client, i) => makeEditor(client, i, options.ops)));
    const ids = editors.flatMap((editor) => editor.ids);
    for (const deadline = performance.now() + 10_000; !ids.every((id) => observer.prims.get(id)); await sleep(20)) {
      if (performance.now() > deadline) throw new Error("the observer did not see the editors' prims");
    }

    await stream(editors, EDIT_LIMITS.batchesPerSecond, WARM_UP_S, undefined);
    const streaming = await phase(relay, observer, editors, EDIT_LIMITS.batchesPerSecond, options);
    const modest = await phase(relay, observer, editors.slice(0, 1), MODEST_EDITS_PER_S, options);
    return [
      { engine, phase: "streaming", ...streaming },
      { engine, phase: "modest", ...modest },
    ];
  } finally {
    await Promise.all(clients.map((client) => client.leave()));
    await relay.stop();
  }
}
