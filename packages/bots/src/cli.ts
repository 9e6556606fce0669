import { printTable, writeResults } from "./report.ts";
import { UsageError, readBotsOptions, type BotsCliOptions } from "./cli-options.ts";
import { summarize } from "./results.ts";
import { BotSwarm } from "./swarm.ts";
import { botRows, summaryRows } from "./table.ts";
import { NoRelayError, fetchWorld, joinWorldBots } from "./world-bot.ts";

/** Per-bot rows are printed up to this many bots; beyond it only the summary. */
const MAX_ROWS = 30;
/** Measuring starts this long after the last bot got in: its tile's prims have loaded by then. */
const SETTLE_S = 2;

const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/**
 * `npm run bots -- --count N --duration S [...]`: walking bots against a running relay. Ramps them
 * in, lets them settle, measures for the duration, prints tables and writes JSON (flags: cli-options.ts).
 */
async function main(options: BotsCliOptions): Promise<void> {
  const world = await fetchWorld(options.endpoint);
  const swarm = new BotSwarm();
  console.log(`relay ${world.version} at ${options.endpoint}: ${world.grid.width} x ${world.grid.depth} tiles of ${world.tileSize} m`);
  console.log(`connecting ${options.count} bots, ${options.ramp} a second${options.predict ? "" : ", without prediction"}`);
  const failures = await joinWorldBots(swarm, {
    endpoint: options.endpoint,
    count: options.count,
    predict: options.predict,
    lag: options.lag,
    seed: options.seed,
    perSecond: options.ramp,
    ...(options.area ? { area: options.area } : {}),
  });
  for (const failure of failures.slice(0, 5)) console.error(`a bot could not connect: ${failure.message}`);
  if (swarm.bots.length === 0) throw new Error(`no bot could connect to ${options.endpoint}`);

  console.log(`${swarm.bots.length} bots in${failures.length ? ` (${failures.length} failed)` : ""}; measuring for ${options.durationS} s after ${SETTLE_S} s to settle`);
  await sleep(SETTLE_S);
  swarm.startMeasuring();
  const skippedBefore = swarm.skippedTicks;
  await sleep(options.durationS);
  const results = swarm.results();
  const skippedTicks = swarm.skippedTicks - skippedBefore;
  await swarm.leave();

  if (results.length <= MAX_ROWS) printTable(`${results.length} bots, ${options.durationS} s`, botRows(results));
  printTable(`Over ${results.length} bots`, summaryRows(results));
  if (skippedTicks > 0) console.log(`\nthis process fell behind while measuring: ${skippedTicks} input ticks skipped`);
  await writeResults(options.out, {
    date: new Date().toISOString(),
    options,
    connected: results.length,
    failed: failures.length,
    skippedTicks,
    summary: summarize(results),
    bots: results,
  });
}

try {
  await main(readBotsOptions(process.argv.slice(2)));
  process.exit(0);
} catch (error) {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exit(2);
  }
  if (error instanceof NoRelayError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
