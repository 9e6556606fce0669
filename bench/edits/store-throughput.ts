import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPostgresStore, openSqliteStore, type EditRecord, type WorldStore } from "@tessera/store";
import { EditCommits } from "../../apps/relay/src/world/edit-commits.ts";
import { PRIMS_PER_WRITER, WriterEdits } from "./edit-records.ts";
import { withSynchronousCommit, type BenchPostgres } from "./postgres.ts";
import { SqliteFullSync } from "./sqlite-full-sync.ts";
import { summarize, type Summary } from "./summary.ts";

/** How a run commits: grouped as the relay does (ours), or one transaction per edit. */
export type CommitMode = "grouped (ours)" | "one per edit" | "one per edit (naive)";

/** One engine and way of committing, driven by writers that each wait for their edit's acknowledgement before the next. */
export interface StoreRun {
  engine: "sqlite" | "postgres";
  mode: CommitMode;
  /** What makes a commit durable. */
  sync: string;
  writers: number;
  seconds: number;
  /** Edits committed and acknowledged. */
  edits: number;
  editsPerS: number;
  /** Transactions committed (groups, or edits). */
  transactions: number;
  /** From an edit's submission to its acknowledgement, ms. */
  ackMs: Summary;
  /** Edits per second against the naive way's, on the same engine. */
  vsNaive: number;
}

export interface StoreOptions {
  seconds: number;
  writers: number;
}

/** Commits one edit; resolves once it is committed. */
type Committer = (edit: EditRecord) => Promise<void>;

/**
 * Drives `commit` with `writers` writers for `seconds`: each submits an edit (one prim created or
 * moved), waits for its acknowledgement, and submits the next, as a relay's players do.
 */
async function drive(store: WorldStore, commit: Committer, options: StoreOptions): Promise<{ edits: number; seconds: number; ackMs: Summary }> {
  const writers: WriterEdits[] = [];
  for (let i = 0; i < options.writers; i++) writers.push(new WriterEdits(i, await store.allocatePrimIds(PRIMS_PER_WRITER)));
  const acks: number[] = [];
  const started = performance.now();
  const end = started + options.seconds * 1000;
  await Promise.all(
    writers.map(async (writer) => {
      while (performance.now() < end) {
        const submitted = performance.now();
        await commit(writer.next());
        acks.push(performance.now() - submitted);
      }
    }),
  );
  return { edits: acks.length, seconds: (performance.now() - started) / 1000, ackMs: summarize(acks) };
}

/** A run of `commit` on `store`, closed afterwards; `transactions` tells how many it committed. */
async function measure(
  engine: StoreRun["engine"],
  mode: CommitMode,
  sync: string,
  store: WorldStore,
  commit: Committer,
  transactions: (edits: number) => number,
  options: StoreOptions,
): Promise<Omit<StoreRun, "vsNaive">> {
  try {
    const { edits, seconds, ackMs } = await drive(store, commit, options);
    return { engine, mode, sync, writers: options.writers, seconds, edits, editsPerS: edits / seconds, transactions: transactions(edits), ackMs };
  } finally {
    await store.close();
  }
}

/** Grouped the way the relay groups: its own EditCommits in front of the store. */
async function grouped(engine: StoreRun["engine"], sync: string, store: WorldStore, options: StoreOptions) {
  const commits = new EditCommits(store);
  return measure(engine, "grouped (ours)", sync, store, (edit) => commits.submit(edit), () => commits.groups, options);
}

/** SQLite: ours (WAL, synchronous=NORMAL, grouped), the store one edit per commit, and the naive way (one per commit, synchronous=FULL); each on a fresh file. */
async function sqliteRuns(options: StoreOptions): Promise<Omit<StoreRun, "vsNaive">[]> {
  const dir = await mkdtemp(join(tmpdir(), "tessera-bench-edits-"));
  const file = (name: string) => join(dir, name, "world.sqlite");
  try {
    const ours = await grouped("sqlite", "WAL, NORMAL", await openSqliteStore(file("grouped")), options);
    const perEdit = await openSqliteStore(file("per-edit"));
    const onePerEdit = await measure("sqlite", "one per edit", "WAL, NORMAL", perEdit, (edit) => perEdit.commit([edit]), (edits) => edits, options);
    // The store makes the schema and hands out the ids; the baseline writes through a connection of its own.
    const naiveStore = await openSqliteStore(file("naive"));
    const fullSync = new SqliteFullSync(file("naive"));
    try {
      const naive = await measure("sqlite", "one per edit (naive)", "WAL, FULL", naiveStore, (edit) => fullSync.commit(edit), (edits) => edits, options);
      return [ours, onePerEdit, naive];
    } finally {
      fullSync.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * PostgreSQL: ours (grouped) and the naive way (the store's commit for every edit on its own, as
 * the writers submit them, at most its pool's 10 connections at once), each in a fresh schema,
 * every commit with `synchronous_commit = on`.
 */
async function postgresRuns(postgres: BenchPostgres, options: StoreOptions): Promise<Omit<StoreRun, "vsNaive">[]> {
  const url = withSynchronousCommit(postgres.url);
  const sync = "synchronous_commit=on";
  const ours = await grouped("postgres", sync, await openPostgresStore(url, { schema: postgres.schema() }), options);
  const naiveStore = await openPostgresStore(url, { schema: postgres.schema() });
  const naive = await measure("postgres", "one per edit (naive)", sync, naiveStore, (edit) => naiveStore.commit([edit]), (edits) => edits, options);
  return [ours, naive];
}

/**
 * Sustained acknowledged edits per second of the stores alone (no relay), on each engine asked for
 * (PostgreSQL when `postgres` is given), grouped against one transaction per edit.
 */
export async function measureStoreThroughput(engines: readonly StoreRun["engine"][], postgres: BenchPostgres | undefined, options: StoreOptions): Promise<StoreRun[]> {
  const results: StoreRun[] = [];
  for (const engine of engines) {
    if (engine === "postgres" && !postgres) continue;
    console.log(`store throughput on ${engine === "sqlite" ? "SQLite" : "PostgreSQL"}...`);
    const runs = engine === "sqlite" ? await sqliteRuns(options) : await postgresRuns(postgres!, options);
    const naive = runs.find((run) => run.mode === "one per edit (naive)")!;
    results.push(...runs.map((run) => ({ ...run, vsNaive: run.editsPerS / naive.editsPerS })));
  }
  return results;
}
