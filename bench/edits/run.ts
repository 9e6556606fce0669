import { cpus } from "node:os";
import { z } from "zod";
import { printTable, writeResults } from "@tessera/bots";
import { EDIT_LIMITS, SNAPSHOT_RATE } from "@tessera/protocol";
import { readBenchOptions, whole } from "../options.ts";
import { openBenchPostgres } from "./postgres.ts";
import { measureRelay, MODEST_EDITS_PER_S, type RelayRun } from "./relay-throughput.ts";
import { TARGETS, latencyRows, relayRows, storeRows, targetLines } from "./report.ts";
import { measureStoreThroughput } from "./store-throughput.ts";

/**
 * `npm run bench:edits [-- --seconds 5 --clients 8 --ops 20 --writers 64 --engines sqlite,postgres]`:
 * durable edits, on SQLite and PostgreSQL side by side. The stores alone: acknowledged edits a
 * second grouped as the relay groups them against one transaction per edit with full sync. Then a
 * real relay: clients streaming edits as fast as the rate limit allows, acknowledged edits and ops
 * a second, and the time from `edit()` to another client showing the change, while streaming and at
 * a modest rate. Prints tables and writes bench/results/edits.json. Without PostgreSQL its rows are
 * skipped, saying why.
 */
const USAGE =
  "usage: npm run bench:edits -- [--seconds 5] [--clients 8] [--ops 20] [--writers 64] [--engines sqlite,postgres] [--out bench/results/edits.json]";

/** The demo world fills the spawn tile with 2000 of its 5000 prims: the editors' prims must fit in the rest (and in their area, 54 m square). */
const MAX_EDITOR_PRIMS = 2500;

const optionsSchema = z
  .object({
    seconds: whole(1, 600).default(5),
    clients: whole(1, 100).default(8),
    ops: whole(1, EDIT_LIMITS.opsPerBatch).default(20),
    writers: whole(1, 2000).default(64),
    engines: z
      .string()
      .regex(/^(sqlite|postgres)(,(sqlite|postgres))*$/, 'must look like "sqlite,postgres"')
      .transform((value) => [...new Set(value.split(","))] as ("sqlite" | "postgres")[])
      .default(["sqlite", "postgres"]),
    out: z.string().min(1).default("bench/results/edits.json"),
  })
  .refine((options) => options.clients * options.ops <= MAX_EDITOR_PRIMS, {
    path: ["ops"],
    message: `clients x ops (the editors' prims, all in the spawn tile) must be at most ${MAX_EDITOR_PRIMS}`,
  });

const options = readBenchOptions(optionsSchema, USAGE);
console.log(
  `${cpus().length} CPUs, Node ${process.version}; stores: ${options.writers} writers for ${options.seconds} s a run; ` +
    `relay: ${options.clients} clients x ${EDIT_LIMITS.batchesPerSecond} edits/s x ${options.ops} ops, then 1 client x ${MODEST_EDITS_PER_S} edits/s, ${options.seconds} s each`,
);
const postgres = options.engines.includes("postgres") ? await openBenchPostgres() : undefined;
try {
  const store = await measureStoreThroughput(options.engines, postgres, options);
  const relay: RelayRun[] = [];
  for (const engine of options.engines) {
    if (engine === "postgres" && !postgres) continue;
    console.log(`relay on ${engine === "sqlite" ? "SQLite" : "PostgreSQL"}...`);
    relay.push(...(await measureRelay(engine, postgres, options)));
  }

  if (store.length > 0) {
    printTable(
      `Store throughput, no relay (each edit one prim created or moved and its edit_log row; each writer waits for its edit's acknowledgement; ` +
        `grouped: the relay's EditCommits; vsNaive: edits/s against one transaction per edit with full sync)`,
      storeRows(store),
    );
  }
  if (relay.length > 0) {
    printTable(
      `Through a real relay (its own process): acknowledged edits (batches) and ops (prims changed) a second; streaming offers as many as the rate limit allows ` +
        `(${EDIT_LIMITS.batchesPerSecond} edits/s a client); ack: edit() to its acknowledgement`,
      relayRows(relay),
    );
    printTable(
      `Edit-to-visible at an observer in the tile (edit() called to the observer's PrimSet showing the prim there), per prim changed; ` +
        `snapshot interval ${(1000 / SNAPSHOT_RATE).toFixed(1)} ms, target p99 within ${TARGETS.visibleP99Ms.toFixed(1)} ms`,
      latencyRows(relay),
    );
    console.log(`\nTargets:\n${targetLines(relay).map((line) => `- ${line}`).join("\n")}`);
  }
  await writeResults(options.out, {
    options,
    machine: { cpus: cpus().length, node: process.version },
    postgres: postgres ? { synchronousCommit: postgres.synchronousCommit } : options.engines.includes("postgres") ? "skipped: no PostgreSQL answered" : "not run",
    targets: TARGETS,
    store,
    relay,
  });
} finally {
  await postgres?.close();
}
