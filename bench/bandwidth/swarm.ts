import { BotSwarm, Hold, Walker, botSeed, centreOf, connectWorldBot, walkArea, type Bot, type Steering } from "@tessera/bots";
import { defaultWorldConfig } from "@tessera/protocol";
import { connectBaselineBot } from "./baseline-link.ts";
import { OBSERVER, swarmOptionsSchema, type SwarmReport } from "./swarm-report.ts";

/**
 * The load: an observer standing in the middle of the tile and `bots` walkers, ramped in, settled,
 * then measured. Runs in a process of its own at a lower CPU priority (see scenario.ts), so that on
 * a small machine the load does not starve the server it measures. Prints `measuring` when it starts
 * and `done` when it stops measuring, then its results as one line of JSON; the bots stay on (the
 * server's figures cover them) until its standard input closes.
 */
const sleep = (s: number) => new Promise((resolve) => setTimeout(resolve, s * 1000));

const options = swarmOptionsSchema.parse(JSON.parse(process.argv[2] ?? "{}"));
const world = defaultWorldConfig();
const area = walkArea(world);
/** Bots watch the tiles within this many metres: the tile they walk in and, near its edges, its neighbours. */
const VIEW_RADIUS = 8;
/** `browserLike` bots predict their avatar and track the others as a page does; the rest leave both out to spare this process. */
const connect = (name: string, steering: Steering, browserLike: boolean): Promise<Bot> =>
  options.side === "ours"
    ? connectWorldBot({ endpoint: options.url, name, predict: browserLike, others: browserLike, viewRadius: VIEW_RADIUS }, steering)
    : connectBaselineBot(options.url, world.spawn, name, steering);
const swarm = new BotSwarm();
swarm.add(await connect(OBSERVER, new Hold(centreOf(area)), true));
const failures = await swarm.ramp(options.bots, options.perSecond, (index) => connect(`Bot-${index + 1}`, new Walker(area, botSeed(options.seed, index)), index < options.predicting));
await sleep(options.settleS);
swarm.startMeasuring();
const started = { at: performance.now(), cpu: process.cpuUsage(), skipped: swarm.skippedTicks };
console.log("measuring");
await sleep(options.durationS);
const results = swarm.results();
const measuredS = (performance.now() - started.at) / 1000;
const cpu = process.cpuUsage(started.cpu);
console.log("done");
const report: SwarmReport = {
  results,
  failed: failures.length,
  measuredS,
  botsCpuPercent: ((cpu.user + cpu.system) / 1e6 / measuredS) * 100,
  skippedTicks: swarm.skippedTicks - started.skipped,
};
console.log(JSON.stringify(report));
process.stdin.resume();
await new Promise((resolve) => process.stdin.once("end", resolve));
await swarm.leave();
process.exit(0);
