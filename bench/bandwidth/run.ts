import { cpus } from "node:os";
import { z } from "zod";
import { readBenchOptions, whole } from "../options.ts";
import { printTable, writeResults, type Row } from "@tessera/bots";
import { runScenario, type ScenarioResult } from "./scenario.ts";

/**
 * `npm run bench:bandwidth [-- --counts 50,200,500 --duration 20]`: for each count, that many
 * walking bots and an observer in one tile, on the Tessera relay and on a plain Colyseus room (every
 * avatar a float32 schema object, every change patched to everyone). Measures downstream per client,
 * server tick times and CPU in steady state, prints tables with the ratios and writes
 * bench/results/bandwidth.json.
 */
const TARGETS = { bots: 200, maxMedianKbps: 100, minRatio: 5, maxTickP99Ms: 25 } as const;

const USAGE = "usage: npm run bench:bandwidth -- [--counts 50,200,500] [--duration 20] [--ramp 50] [--settle 3] [--predicting 4] [--seed 1] [--out bench/results/bandwidth.json]";

const optionsSchema = z.object({
  counts: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must look like "50,200,500"')
    .transform((value) => value.split(",").map(Number))
    .pipe(z.array(z.number().min(1).max(2000)))
    .default([50, 200, 500]),
  duration: whole(1, 3600).default(20),
  ramp: whole(1, 1000).default(50),
  settle: whole(0, 600).default(3),
  predicting: whole(0, 2000).default(4),
  seed: whole(0, 0xffff_ffff).default(1),
  out: z.string().min(1).default("bench/results/bandwidth.json"),
});

const ratio = (baseline: number | undefined, ours: number | undefined) => (baseline !== undefined && ours ? baseline / ours : "-");
const figure = (value: number | undefined) => value ?? "-";

function bandwidthRows(ours: ScenarioResult, baseline: ScenarioResult): Row[] {
  const row = (run: ScenarioResult): Row => ({
    bots: run.bots,
    side: run.side,
    connected: `${run.connected}/${run.bots}`,
    kbpsMedian: figure(run.kbpsDown?.median),
    kbpsP95: figure(run.kbpsDown?.p95),
    observerKbps: figure(run.observer?.kbpsDown),
    kbpsUpMedian: figure(run.kbpsUp?.median),
    updatesPerS: figure(run.updatesPerS?.median),
    movedMPerS: figure(run.movedMPerS?.median),
  });
  return [
    row(ours),
    row(baseline),
    {
      bots: ours.bots,
      side: "baseline/ours",
      connected: "",
      kbpsMedian: ratio(baseline.kbpsDown?.median, ours.kbpsDown?.median),
      kbpsP95: ratio(baseline.kbpsDown?.p95, ours.kbpsDown?.p95),
      observerKbps: ratio(baseline.observer?.kbpsDown, ours.observer?.kbpsDown),
      kbpsUpMedian: ratio(baseline.kbpsUp?.median, ours.kbpsUp?.median),
      updatesPerS: "",
      movedMPerS: "",
    },
  ];
}

function serverRow(run: ScenarioResult): Row {
  return {
    bots: run.bots,
    side: run.side,
    tickP50Ms: run.tickMs?.p50 ?? "n/a",
    tickP99Ms: run.tickMs?.p99 ?? "n/a",
    tickMaxMs: run.tickMs?.max ?? "n/a",
    serverCpuPct: run.serverCpuPercent,
    botsCpuPct: run.botsCpuPercent,
    skippedTicks: run.skippedTicks,
    predP99Cm: figure(run.predictionP99Cm?.median),
  };
}

/** How the run at the target count fares against each target; undefined when that count was not run. */
function targets(pairs: readonly [ScenarioResult, ScenarioResult][]) {
  const pair = pairs.find(([ours]) => ours.bots === TARGETS.bots);
  if (!pair) return undefined;
  const [ours, baseline] = pair;
  const median = ours.kbpsDown?.median ?? Number.NaN;
  const times = baseline.kbpsDown && ours.kbpsDown ? baseline.kbpsDown.median / ours.kbpsDown.median : Number.NaN;
  return {
    [`median kbps <= ${TARGETS.maxMedianKbps} at ${TARGETS.bots} bots`]: { value: median, met: median <= TARGETS.maxMedianKbps },
    [`baseline/ours >= ${TARGETS.minRatio}`]: { value: times, met: times >= TARGETS.minRatio },
    [`relay tick p99 < ${TARGETS.maxTickP99Ms} ms at ${TARGETS.bots} bots`]: { value: ours.tickMs?.p99 ?? null, met: ours.tickMs ? ours.tickMs.p99 < TARGETS.maxTickP99Ms : null },
  };
}

const options = readBenchOptions(optionsSchema, USAGE);
console.log(`${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), Node ${process.version}; ${options.duration} s measured per run after the ramp (${options.ramp} bots/s) and ${options.settle} s to settle`);
const pairs: [ScenarioResult, ScenarioResult][] = [];
for (const bots of options.counts) {
  const runs = [];
  for (const side of ["ours", "baseline"] as const) {
    console.log(`${side}: ${bots} bots + observer...`);
    runs.push(await runScenario({ side, bots, durationS: options.duration, perSecond: options.ramp, settleS: options.settle, predicting: options.predicting, seed: options.seed }));
  }
  pairs.push(runs as [ScenarioResult, ScenarioResult]);
}

printTable("Downstream per client, kbps (walking bots; the observer stands in the middle)", pairs.flatMap(([ours, baseline]) => bandwidthRows(ours, baseline)));
printTable("Server tick (its last 900 ticks, snapshots or patches included) and CPU (% of one core)", pairs.flatMap((pair) => pair.map(serverRow)));
const verdict = targets(pairs);
if (verdict) printTable("Targets", Object.entries(verdict).map(([target, { value, met }]) => ({ target, value: value ?? "n/a", met: met === null ? "n/a" : met ? "yes" : "NO" })));
if (pairs.some((pair) => pair.some((run) => run.skippedTicks > 0))) {
  console.log("\nskippedTicks > 0: the bots' process could not keep 30 Hz (it is saturated); its bots sent fewer inputs than a browser would.");
}
await writeResults(options.out, { date: new Date().toISOString(), machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, options, targets: verdict, runs: pairs.flat() });
