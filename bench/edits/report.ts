import type { Row } from "@tessera/bots";
import { EDIT_LIMITS, SNAPSHOT_RATE } from "@tessera/protocol";
import type { RelayRun } from "./relay-throughput.ts";
import type { StoreRun } from "./store-throughput.ts";

/** The targets: acknowledged edits a second on SQLite through one relay, and edit-to-visible p99 within two snapshot intervals. */
export const TARGETS = { sqliteEditsPerS: 5000, visibleP99Ms: 2 * (1000 / SNAPSHOT_RATE) };

const round = (value: number, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : "-");
const engineName = (engine: StoreRun["engine"]) => (engine === "sqlite" ? "SQLite" : "PostgreSQL");
const thousands = (value: number) => Math.round(value).toLocaleString("en-US");

export function storeRows(runs: readonly StoreRun[]): Row[] {
  return runs.map((run) => ({
    engine: engineName(run.engine),
    commits: run.mode,
    sync: run.sync,
    writers: run.writers,
    edits: run.edits,
    editsPerS: Math.round(run.editsPerS),
    editsPerCommit: round(run.edits / run.transactions),
    ackP50Ms: round(run.ackMs.p50, 2),
    ackP99Ms: round(run.ackMs.p99, 2),
    vsNaive: `${round(run.vsNaive)}x`,
  }));
}

const phaseName = (run: RelayRun) => `${run.phase}: ${run.clients} x ${run.editsPerClientPerS}/s x ${run.opsPerEdit} ops`;

export function relayRows(runs: readonly RelayRun[]): Row[] {
  return runs.map((run) => ({
    engine: engineName(run.engine),
    phase: phaseName(run),
    sent: run.sent,
    editsPerS: round(run.editsPerS),
    opsPerS: Math.round(run.opsPerS),
    offeredOpsPerS: run.offeredOpsPerS,
    refused: Object.entries(run.refused).map(([code, count]) => `${code} ${count}`).join(", ") || 0,
    ackP50Ms: round(run.ackMs.p50),
    ackP99Ms: round(run.ackMs.p99),
    relayCores: round(run.relayCpu, 2),
  }));
}

export function latencyRows(runs: readonly RelayRun[]): Row[] {
  return runs.map((run) => ({
    engine: engineName(run.engine),
    phase: phaseName(run),
    changes: run.visibleMs.count,
    visibleP50Ms: round(run.visibleMs.p50),
    visibleP99Ms: round(run.visibleMs.p99),
    visibleMaxMs: round(run.visibleMs.max),
    unseen: run.unseen,
    p99InTarget: run.visibleMs.p99 <= TARGETS.visibleP99Ms ? "yes" : "no",
    clientLoopP99Ms: round(run.clientLoopP99Ms),
  }));
}

/** One line per target, saying whether it was met and, when not, what held it back. */
export function targetLines(runs: readonly RelayRun[]): string[] {
  const lines: string[] = [];
  const streaming = runs.find((run) => run.engine === "sqlite" && run.phase === "streaming");
  if (streaming) {
    const { editsPerS, opsPerS, offeredOpsPerS, clients, opsPerEdit } = streaming;
    const met = (value: number) => (value >= TARGETS.sqliteEditsPerS ? "met" : "not met");
    const limit =
      offeredOpsPerS < TARGETS.sqliteEditsPerS
        ? `the edit rate limit (${EDIT_LIMITS.batchesPerSecond} edits/s a client) caps ${clients} clients x ${opsPerEdit} ops at ${thousands(offeredOpsPerS)} ops/s: raise --clients or --ops`
        : `the clients offered ${thousands(offeredOpsPerS)} ops/s; the relay used ${round(streaming.relayCpu, 2)} cores, this process's event loop p99 ${round(streaming.clientLoopP99Ms)} ms`;
    lines.push(
      `${thousands(TARGETS.sqliteEditsPerS)} acknowledged edits/s on SQLite through one relay: ${thousands(editsPerS)} edits/s (${met(editsPerS)}), ` +
        `${thousands(opsPerS)} ops (prims changed)/s (${met(opsPerS)}); ${limit}.`,
    );
  }
  for (const run of runs) {
    const within = run.visibleMs.p99 <= TARGETS.visibleP99Ms ? "met" : "not met";
    lines.push(`edit-to-visible p99 within ${round(TARGETS.visibleP99Ms)} ms (two snapshot intervals), ${engineName(run.engine)} ${run.phase}: ${round(run.visibleMs.p99)} ms (${within}).`);
  }
  return lines;
}
