import { describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { WorldClient } from "@tessera/sdk";
import { waitFor } from "./harness.ts";

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts the relay as its own process, as `npm start` does, and waits until it answers. */
async function startRelayProcess(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir },
    stdio: "ignore",
  });
  const deadline = performance.now() + 20_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
    if (ok) return child;
    if (performance.now() > deadline) throw new Error(`the relay on port ${port} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("relay restart", () => {
  it("brings players back by themselves, as the same player, after the relay crashes and restarts", async () => {
    const port = await freePort();
    const dataDir = await mkdtemp(join(tmpdir(), "tessera-restart-"));
    let relay = await startRelayProcess(port, dataDir);
    const client = await WorldClient.connect({ endpoint: `http://127.0.0.1:${port}`, name: "Survivor" });
    try {
      await waitFor("a first snapshot", () => client.ownAvatar);
      const statuses: string[] = [];
      client.subscribe(() => statuses.push(client.status));

      relay.kill("SIGKILL");
      await waitFor("the client to notice", () => client.status === "reconnecting", 10_000);
      relay = await startRelayProcess(port, dataDir);

      await waitFor("the client to be back", () => client.status === "connected", 30_000);
      await waitFor("a snapshot from the new relay", () => client.ownAvatar && client.ownAvatar.receivedAt > performance.now() - 500);
      // The same identity: the restarted relay kept its secret, so the token still holds.
      const health = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as { players: number };
      expect(health.players).toBe(1);
      expect(statuses).not.toContain("offline");
    } finally {
      await client.leave();
      relay.kill("SIGKILL");
    }
  }, 60_000);
});
