import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { summary, type BotResult, type Summary } from "@tessera/bots";
import { processCpuSeconds, startServerProcess } from "./processes.ts";
import { OBSERVER, type SwarmOptions, type SwarmReport } from "./swarm-report.ts";

/** Which server the bots play on: the Tessera relay, or the plain Colyseus baseline. */
export type Side = "ours" | "baseline";

export interface ScenarioOptions {
  side: Side;
  /** Walking bots; one observer joins besides them. */
  bots: number;
  /** Seconds measured, after the ramp and the settling time. */
  durationS: number;
  /** Connections started per second. */
  perSecond: number;
  /** Seconds between the last bot getting in and the start of measuring. */
  settleS: number;
  /** Walking bots that predict their avatar and track the others, as a browser does (ours only; the rest leave both out to spare the CPU). */
  predicting: number;
  seed: number;
}

/** Tick durations a server reports for its busiest room, ms. */
export interface TickMs {
  p50: number;
  p99: number;
  max: number;
}

export interface ScenarioResult {
  side: Side;
  bots: number;
  connected: number;
  failed: number;
  measuredS: number;
  /** Over the walking bots. */
  kbpsDown: Summary | undefined;
  kbpsUp: Summary | undefined;
  updatesPerS: Summary | undefined;
  movedMPerS: Summary | undefined;
  /** Over the bots that predict (ours). */
  predictionP99Cm: Summary | undefined;
  observer: BotResult | undefined;
  /** From `GET /api/tiles` once the server's 900-tick window holds only steady state; null when the server does not report it. */
  tickMs: TickMs | null;
  /** The server process's CPU over the measured time, % of one core. */
  serverCpuPercent: number;
  /** This (bots) process's CPU over the measured time, % of one core; near 100 it is the bottleneck. */
  botsCpuPercent: number;
  /** Input ticks the bots' timer skipped while measuring because this process fell behind. */
  skippedTicks: number;
}

const RELAY_MAIN = fileURLToPath(new URL("../../apps/relay/src/main.ts", import.meta.url));
const BASELINE_MAIN = fileURLToPath(new URL("./baseline-server.ts", import.meta.url));
const SWARM = fileURLToPath(new URL("./swarm.ts", import.meta.url));
/** Servers summarise their last 900 ticks: 30 s at 30 Hz. */
const TICK_WINDOW_S = 30;
/** The load runs at this niceness: the server under test keeps the machine it needs. */
const LOAD_NICENESS = 10;

const tilesSchema = z.object({
  tiles: z.array(z.object({ id: z.string(), players: z.number(), tickMs: z.object({ p50: z.number(), p99: z.number(), max: z.number() }) })),
});

/** The tick times of the server's busiest room, or null when it has no `GET /api/tiles`. */
async function tickTimes(url: string): Promise<TickMs | null> {
  const response = await fetch(`${url}/api/tiles`);
  if (!response.ok) return null;
  const parsed = tilesSchema.safeParse(await response.json());
  if (!parsed.success) return null;
  const busiest = parsed.data.tiles.sort((a, b) => b.players - a.players)[0];
  return busiest?.tickMs ?? null;
}

const sleep = (s: number) => new Promise((resolve) => setTimeout(resolve, s * 1000));

/** The load's process, once it has measured: its report, and how to let its bots go. */
interface Swarm {
  report: SwarmReport;
  finish: () => Promise<void>;
}

/**
 * Runs the load (swarm.ts) in a process of its own at a lower CPU priority; `measuring` and `done`
 * call back when it starts and stops measuring, so the server's CPU covers the same window. Its bots
 * stay on until {@link Swarm.finish}.
 */
function runSwarm(options: SwarmOptions, measuring: () => void, done: () => void): Promise<Swarm> {
  const child = spawn("nice", ["-n", String(LOAD_NICENESS), process.execPath, "--import", "tsx", SWARM, JSON.stringify(options)], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const finish = async () => {
    child.stdin.end();
    await exited;
  };
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    lines.on("line", (line) => {
      if (line === "measuring") measuring();
      else if (line === "done") done();
      else if (line.startsWith("{")) resolve({ report: JSON.parse(line) as SwarmReport, finish });
    });
    void exited.then((code) => reject(new Error(`the bots' process exited with ${code} before it reported`)));
  });
}

/**
 * Starts the side's server in its own process and the load in another (an observer standing in the
 * middle of the tile and `bots` walkers), then measures for the duration: each bot's downstream,
 * the server's tick times and CPU, and the load's CPU.
 */
export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const server = await startServerProcess(options.side === "ours" ? RELAY_MAIN : BASELINE_MAIN);
  try {
    let serverCpu = { started: 0, stopped: 0 };
    const { report, finish } = await runSwarm(
      { ...options, url: server.url },
      () => (serverCpu = { started: processCpuSeconds(server.pid), stopped: 0 }),
      () => (serverCpu.stopped = processCpuSeconds(server.pid)),
    );
    const { results, measuredS: wallS } = report;
    const serverCpuPercent = ((serverCpu.stopped - serverCpu.started) / wallS) * 100;
    // The server's tick figures cover its last 30 s: the bots stay on until they cover only them.
    if (options.durationS < TICK_WINDOW_S) await sleep(TICK_WINDOW_S - options.durationS);
    const tickMs = await tickTimes(server.url);
    await finish();

    const walkers = results.filter((result) => result.name !== OBSERVER);
    const over = (figure: (result: BotResult) => number | null) => summary(walkers.map(figure).filter((value): value is number => value !== null));
    return {
      side: options.side,
      bots: options.bots,
      connected: walkers.length,
      failed: report.failed,
      measuredS: wallS,
      kbpsDown: over((result) => result.kbpsDown),
      kbpsUp: over((result) => result.kbpsUp),
      updatesPerS: over((result) => result.snapshots / result.seconds),
      movedMPerS: over((result) => result.movedM / result.seconds),
      predictionP99Cm: over((result) => result.predictionP99Cm),
      observer: results.find((result) => result.name === OBSERVER),
      tickMs,
      serverCpuPercent,
      botsCpuPercent: report.botsCpuPercent,
      skippedTicks: report.skippedTicks,
    };
  } finally {
    await server.stop();
  }
}
