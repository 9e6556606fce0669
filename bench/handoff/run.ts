import { cpus } from "node:os";
import { z } from "zod";
import { readBenchOptions, whole } from "../options.ts";
import { printTable, writeResults, type Row } from "@tessera/bots";
import { runScenario, type ScenarioResult } from "./scenario.ts";

/**
 * `npm run bench:handoff [-- --crossings 1000 --crossers 20 --load 40 --processes 1,2]`: crossers run
 * back and forth across the border between two tiles, among walking bots, on one relay and on two
 * relays sharing Redis (the two tiles on different processes). Audits that every crosser is always
 * in exactly one room; after a warm-up (every crosser across once) times each handoff (the crossing to the first update from the new
 * authority), and watches the crossers as a client would for the largest jump; prints a table and
 * writes bench/results/handoff.json.
 */
const USAGE = "usage: npm run bench:handoff -- [--crossings 1000] [--crossers 20] [--load 40] [--processes 1,2] [--timeout 600] [--out bench/results/handoff.json]";

const optionsSchema = z.object({
  crossings: whole(1, 100_000).default(1000),
  crossers: whole(1, 500).default(20),
  load: whole(0, 2000).default(40),
  processes: z
    .string()
    .regex(/^[12](,[12])*$/, 'must look like "1,2" (one relay, two relays)')
    .transform((value) => value.split(",").map(Number))
    .default([1, 2]),
  timeout: whole(10, 7200).default(600),
  out: z.string().min(1).default("bench/results/handoff.json"),
});

const round = (value: number, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : "-");

function rows(results: readonly ScenarioResult[]): Row[] {
  return results.map((run) => ({
    relays: run.processes,
    tilesOn: new Set(Object.values(run.placement)).size === 2 ? "2 processes" : "1 process",
    crossings: run.crossings,
    seconds: round(run.seconds),
    auditSamples: run.auditSamples,
    lost: run.lost,
    duplicated: run.duplicated,
    handoffP50Ms: round(run.handoffMs.p50),
    handoffP99Ms: round(run.handoffMs.p99),
    handoffMaxMs: round(run.handoffMs.max),
    seenMaxSpeedMps: round(run.observerMaxSpeedMps, 2),
    seenP99SpeedMps: round(run.observerP99SpeedMps, 2),
    seenMaxStepM: round(run.observerMaxStepM, 3),
    tileOpenMs: round(run.tileOpenMs, 0),
  }));
}

const options = readBenchOptions(optionsSchema, USAGE);
console.log(`${cpus().length} CPUs, Node ${process.version}; ${options.crossers} crossers running across a border among ${options.load} walkers, until ${options.crossings} crossings`);
const results: ScenarioResult[] = [];
for (const processes of options.processes) {
  console.log(`${processes} relay${processes > 1 ? "s" : ""}...`);
  results.push(await runScenario({ processes, crossers: options.crossers, load: options.load, crossings: options.crossings, timeoutS: options.timeout }));
}
printTable("Handoffs (lost and duplicated: audit samples in which a crosser was in no room, or in two; seen: the crossers as an observer shows them, frame to frame; a run is 6.5 m/s)", rows(results));
await writeResults(options.out, { options, results });
