import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

interface Member {
  child: ChildProcess;
  exited: Promise<void>;
}

/**
 * Relay processes run side by side, one per port, each printing under its port's name. A member
 * that exits unless asked to is reported once through `onUnexpectedExit`.
 */
export class RelayGroup {
  private readonly members = new Map<number, Member>();
  private stopping = false;
  private readonly onUnexpectedExit: (port: number, how: string) => void;

  constructor(onUnexpectedExit: (port: number, how: string) => void) {
    this.onUnexpectedExit = onUnexpectedExit;
  }

  /** Starts `tsx apps/relay/src/main.ts <args> --port <port>` (the last --port wins) for each port. */
  start(ports: readonly number[], args: readonly string[], env: NodeJS.ProcessEnv): void {
    for (const port of ports) {
      const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args, "--port", String(port)], {
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      createInterface({ input: child.stdout }).on("line", (line) => console.log(`[relay ${port}] ${line}`));
      createInterface({ input: child.stderr }).on("line", (line) => console.error(`[relay ${port}] ${line}`));
      const exited = new Promise<void>((resolve) =>
        child.once("exit", (code, signal) => {
          this.members.delete(port);
          if (!this.stopping) this.onUnexpectedExit(port, signal ?? `code ${code}`);
          resolve();
        }),
      );
      this.members.set(port, { child, exited });
      console.log(`[relay ${port}] started, pid ${child.pid}`);
    }
  }

  /** Resolves once every member answers `GET /api/health` with 200 at `host`. */
  async ready(host: string, timeoutMs = 60_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    await Promise.all(
      [...this.members.keys()].map(async (port) => {
        for (;;) {
          if (!this.members.has(port)) throw new Error(`the relay on port ${port} exited while starting`);
          const ok = await fetch(`http://${host}:${port}/api/health`).then((response) => response.ok, () => false);
          if (ok) return;
          if (performance.now() > deadline) throw new Error(`the relay on port ${port} did not start within ${timeoutMs / 1000} s`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }),
    );
  }

  /** Asks every member to shut down gracefully (SIGTERM) and waits; one that takes over 10 s is killed. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.members.values()].map(async ({ child, exited }) => {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}
