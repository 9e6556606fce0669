import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { StringDecoder } from "node:string_decoder";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import { plainFetch } from "./http-client.ts";
import { freePort } from "../harness.ts";

/** The relay's entry point: this working tree's, or another checkout's with FUZZ_RELAY_MAIN=/path/to/apps/relay/src/main.ts. */
export const RELAY_MAIN = process.env.FUZZ_RELAY_MAIN || fileURLToPath(new URL("../../src/main.ts", import.meta.url));
const BYSTANDER = fileURLToPath(new URL("./bystander.ts", import.meta.url));

/** A line the relay printed, with when it arrived (ms, `performance.now()` of this process). */
export interface LogLine {
  at: number;
  stream: "stdout" | "stderr";
  text: string;
}

/** A stack frame as V8 prints it: `    at fn (file:line:col)` or `    at file:line:col`. */
export const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/;


/** Resident set size of a process, bytes, from /proc (Linux); undefined once it is gone. */
export function rssBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time a process has used, seconds (user + system, from /proc; clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Time a process's main thread has spent waiting for a CPU (run queue), ms, from /proc. */
export function runQueueMs(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[1]) / 1e6;
  } catch {
    return undefined;
  }
}

/** Collects a child's stdout and stderr line by line, stamped as they arrive. */
function collectLines(child: ChildProcess, lines: LogLine[], onLine?: (line: LogLine) => void): void {
  for (const stream of ["stdout", "stderr"] as const) {
    const source = child[stream];
    if (!source) continue;
    createInterface({ input: source, crlfDelay: Infinity }).on("line", (text) => {
      const line = { at: performance.now(), stream, text };
      lines.push(line);
      onLine?.(line);
    });
  }
}

/**
 * Follows a file as a process writes it, line by line, each stamped when it was read. The relay's
 * stdout and stderr go to files, not pipes: Node writes to a pipe synchronously, so a reader that
 * lags (this busy process) would stall the relay's event loop; a file never does.
 */
class LogFile {
  private readonly fd: number;
  private position = 0;
  private partial = "";
  private readonly buffer = Buffer.alloc(1 << 20);
  /** Keeps a character split between two reads whole. */
  private readonly decoder = new StringDecoder("utf8");
  readonly path: string;

  constructor(path: string) {
    this.path = path;
    this.fd = openSync(path, "a+");
  }

  /** The writer's end, for `spawn`'s stdio. */
  get writeFd(): number {
    return this.fd;
  }

  read(stream: "stdout" | "stderr", into: LogLine[]): void {
    const at = performance.now();
    for (;;) {
      const n = readSync(this.fd, this.buffer, 0, this.buffer.length, this.position);
      if (n <= 0) return;
      this.position += n;
      const text = this.partial + this.decoder.write(this.buffer.subarray(0, n));
      const parts = text.split("\n");
      this.partial = parts.pop() ?? "";
      for (const part of parts) into.push({ at, stream, text: part.replace(/\r$/, "") });
    }
  }

  /** Whatever is left, unterminated line included. */
  flush(stream: "stdout" | "stderr", into: LogLine[]): void {
    this.read(stream, into);
    if (this.partial) into.push({ at: performance.now(), stream, text: this.partial });
    this.partial = "";
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * The relay as its own process, as `npm start` runs it (`node --import tsx apps/relay/src/main.ts`,
 * plus an inspector on a loopback port), with every line it prints.
 */
export interface RelayProcess {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** Everything it printed so far, in order (read every 50 ms; `read()` catches up at once). */
  lines: LogLine[];
  /** Where its stdout and stderr are. */
  logFiles: [string, string];
  read(): void;
  /**
   * Has the relay collect its garbage (two full GCs, through its inspector), then says how much of
   * its heap is in use and its RSS, bytes; undefined if that cannot be done.
   */
  settledMemory(): Promise<{ heapUsed: number; rss: number } | undefined>;
  /** Exit code or signal once it has exited. */
  exited: () => string | undefined;
  stop(): Promise<void>;
}

/** Calls a few methods of a process's inspector (Chrome DevTools protocol) over its WebSocket. */
async function inspectorCalls<T>(url: string, calls: (call: (method: string) => Promise<unknown>) => Promise<T>): Promise<T> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  let id = 0;
  const call = (method: string) =>
    new Promise<unknown>((resolve, reject) => {
      const mine = ++id;
      const timer = setTimeout(() => reject(new Error(`${method}: no answer from the inspector in 30 s`)), 30_000);
      const onMessage = (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
        if (message.id !== mine) return;
        ws.off("message", onMessage);
        clearTimeout(timer);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message.result);
      };
      ws.on("message", onMessage);
      ws.send(JSON.stringify({ id: mine, method }));
    });
  try {
    return await calls(call);
  } finally {
    ws.close();
  }
}

export async function startRelay(env: Record<string, string> = {}): Promise<RelayProcess> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), "tessera-fuzz-"));
  const out = new LogFile(join(dataDir, "relay.stdout.log"));
  const err = new LogFile(join(dataDir, "relay.stderr.log"));
  // The inspector (on a port of its own, loopback only) is there for one thing: making the relay
  // collect its garbage before its memory is measured, so that what is measured is what it keeps.
  const child = spawn(process.execPath, ["--inspect=127.0.0.1:0", "--import", "tsx", RELAY_MAIN], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, CLIENT_DIR: join(dataDir, "no-client"), ...env },
    stdio: ["ignore", out.writeFd, err.writeFd],
  });
  const lines: LogLine[] = [];
  const read = () => {
    out.read("stdout", lines);
    err.read("stderr", lines);
  };
  const follow = setInterval(read, 50);
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exit = `exit ${code ?? signal}`;
      clearInterval(follow);
      out.flush("stdout", lines);
      err.flush("stderr", lines);
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + 30_000;
  for (;;) {
    if (exit) {
      await exited;
      throw new Error(`the relay ${exit} while starting:\n${lines.map((l) => l.text).join("\n")}`);
    }
    const ok = await plainFetch(`${url}/api/health`, { fresh: true, timeoutMs: 1000 }).then((r) => r.ok, () => false);
    if (ok) break;
    if (performance.now() > deadline) throw new Error(`the relay on port ${port} did not start in 30 s:\n${lines.map((l) => l.text).join("\n")}`);
    await sleep(100);
  }
  return {
    url,
    port,
    pid: child.pid!,
    child,
    lines,
    logFiles: [out.path, err.path],
    read,
    settledMemory: async () => {
      read();
      const inspector = lines.map((l) => /Debugger listening on (ws:\/\/\S+)/.exec(l.text)?.[1]).find(Boolean);
      if (!inspector || exit) return undefined;
      try {
        const heapUsed = await inspectorCalls(inspector, async (call) => {
          await call("HeapProfiler.collectGarbage");
          await call("HeapProfiler.collectGarbage");
          return ((await call("Runtime.getHeapUsage")) as { usedSize: number }).usedSize;
        });
        // Let the allocator hand back what the collections freed.
        await sleep(500);
        const rss = rssBytes(child.pid!);
        return rss === undefined ? undefined : { heapUsed, rss };
      } catch {
        return undefined;
      }
    },
    exited: () => exit,
    stop: async () => {
      if (!exit) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      out.close();
      err.close();
    },
  };
}

/** One report of the bystander (see bystander.ts). */
export interface BystanderSample {
  /** `Date.now()` in the bystander when it was taken. */
  t: number;
  /** `client.net.snapshots`: every snapshot of every tile the client joined. */
  snapshots: number;
  /** Snapshots that carried the own avatar (its authority tile's, 15 a second). */
  own: number;
  /** Longest time without a snapshot that ended (or is still running) since the previous report, ms. */
  gapMs: number;
  /** The same for the snapshots that carry the own avatar. */
  ownGapMs: number;
  status: string;
  /** Health checks answered (or failed) so far. */
  probes: number;
  /** Slowest health check since the previous report (one still waiting counts for as long as it has waited), ms. */
  healthMs: number;
  /** Health checks that failed since the previous report. */
  healthErrors: string[];
}

/** A normal client in its own process, standing in the spawn tile and reporting what it receives. */
export interface Bystander {
  pid: number;
  samples: BystanderSample[];
  lines: LogLine[];
  exited: () => string | undefined;
  stop(): Promise<void>;
}

export async function startBystander(endpoint: string, healthTimeoutMs: number): Promise<Bystander> {
  const child = spawn(process.execPath, ["--import", "tsx", BYSTANDER, endpoint, String(healthTimeoutMs)], { stdio: ["ignore", "pipe", "pipe"] });
  const samples: BystanderSample[] = [];
  const lines: LogLine[] = [];
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exit = `exit ${code ?? signal}`;
      resolve();
    }),
  );
  let settle: (error?: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())));
  const output = () => lines.map((l) => l.text).join("\n");
  collectLines(child, lines, (line) => {
    if (line.stream !== "stdout" || !line.text.startsWith("{")) return;
    const sample = JSON.parse(line.text) as BystanderSample;
    samples.push(sample);
    if (sample.own > 0) settle();
  });
  const timer = setTimeout(() => settle(new Error(`the bystander got no snapshot of its own avatar in 30 s:\n${output()}`)), 30_000);
  void exited.then(() => settle(new Error(`the bystander ${exit} while connecting:\n${output()}`)));
  try {
    await ready;
  } finally {
    clearTimeout(timer);
  }
  return {
    pid: child.pid!,
    samples,
    lines,
    exited: () => exit,
    stop: async () => {
      if (exit) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
