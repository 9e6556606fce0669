import { describe, expect, it } from "vitest";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Keys, type AvatarsResponse } from "@tessera/protocol";
import { WorldClient } from "@tessera/sdk";
import { freePort, startRelayProcess, waitFor, walk } from "./harness.ts";

/** Where the relay last put a client's avatar. */
const at = (client: WorldClient) => ({ x: client.ownAvatar!.x, z: client.ownAvatar!.z });

describe("relay restart", () => {
  it("brings every player back by itself within 2 s of the relay answering again, as the same player, where it stood", async () => {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const dataDir = await mkdtemp(join(tmpdir(), "tessera-restart-"));
    let relay = await startRelayProcess(port, dataDir);
    const clients = await Promise.all(["North", "East", "West"].map((name) => WorldClient.connect({ endpoint, name, viewRadius: 8 })));
    try {
      // Each walks its own way, off the spawn point.
      const yaws = [0, Math.PI / 2, -Math.PI / 2];
      await Promise.all(clients.map((client, i) => waitFor("a first snapshot", () => client.ownAvatar).then(() => walk(client, Keys.Forward | Keys.Run, 45, yaws[i]))));
      const ids = clients.map((client) => client.playerId);
      // The relay vouches for where they stand every couple of seconds; by then each has come to rest
      // (a run stops over a few ticks, and a loaded machine delivers the last snapshots late).
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const before = clients.map(at);
      for (const position of before) expect(Math.hypot(position.x - 128, position.z - 128)).toBeGreaterThan(5);
      const statuses = clients.map((client) => {
        const seen: string[] = [];
        client.subscribe(() => seen.push(client.status));
        return seen;
      });

      relay.child.kill("SIGKILL");
      await waitFor("every client to notice", () => clients.every((client) => client.status === "reconnecting"), 10_000);
      // Away for a while: the clients keep trying, and say so.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      for (const client of clients) {
        expect(client.reconnect?.attempt ?? 0).toBeGreaterThan(0);
        expect(client.reconnect?.lastError).toBeTruthy();
      }
      relay = await startRelayProcess(port, dataDir);

      const backAfter = await Promise.all(
        clients.map(async (client) => {
          await waitFor("the client to be back", () => client.status === "connected" && client.ownAvatar && client.ownAvatar.receivedAt > relay.answeredAt, 10_000);
          return client.ownAvatar!.receivedAt - relay.answeredAt;
        }),
      );
      for (const ms of backAfter) expect(ms).toBeLessThan(2000);
      clients.forEach((client, i) => {
        expect(client.playerId).toBe(ids[i]);
        expect(Math.hypot(at(client).x - before[i]!.x, at(client).z - before[i]!.z)).toBeLessThan(0.5);
        expect(statuses[i]).not.toContain("offline");
      });
      // The same identities (the restarted relay kept its secret, so the tokens still hold), one avatar each.
      const { avatars } = (await (await fetch(`${endpoint}/api/avatars`)).json()) as AvatarsResponse;
      expect(avatars.map((avatar) => avatar.id).sort()).toEqual([...ids].sort());
      console.log(`back after the relay answered again: ${backAfter.map((ms) => `${Math.round(ms)} ms`).join(", ")}`);
    } finally {
      await Promise.all(clients.map((client) => client.leave()));
      relay.child.kill("SIGKILL");
    }
  }, 90_000);
});
