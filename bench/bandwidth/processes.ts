import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../apps/relay/test/harness.ts";

/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`; 100 on Linux everywhere that matters). */
const CLOCK_TICKS_PER_S = 100;

/** A server running as its own process, so that its CPU time can be read apart from the bots'. */
export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** Stops it (SIGTERM, then SIGKILL) and removes its data directory. */
  stop(): Promise<void>;
}


/**
 * Whether the server answers `GET /api/health`, with a room open unless `anyRooms` (it listens a
 * moment before its first room opens; a relay in a cluster may hold none).
 */
async function isUp(url: string, anyRooms: boolean): Promise<boolean> {
  try {
    const response = await fetch(`${url}/api/health`);
    return response.ok && (anyRooms || (((await response.json()) as { rooms?: number }).rooms ?? 0) >= 1);
  } catch {
    return false;
  }
}

/**
 * Runs a TypeScript entry point in its own Node process (through tsx's loader, so that the pid is
 * the server's own), with PORT, HOST and a fresh DATA_DIR, and waits until `GET /api/health` reports
 * a room open (or, with `anyRooms`, answers at all).
 */
export async function startServerProcess(entry: string, env: Record<string, string> = {}, anyRooms = false): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), "tessera-bench-"));
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, CLIENT_DIR: join(dataDir, "no-client"), ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + 30_000;
  while (!(await isUp(url, anyRooms))) {
    if (child.exitCode !== null || performance.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${entry} did not start (exit ${child.exitCode}): ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      await stopProcess(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(killer);
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}
