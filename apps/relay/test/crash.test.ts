import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { presetShape } from "@tessera/prims";
import { EditError, WorldClient } from "@tessera/sdk";
import { openWorldStore } from "@tessera/store";
import { freePort, startRelayProcess, waitFor } from "./harness.ts";

/** Edits a client keeps in flight at once. */
const IN_FLIGHT = 8;

describe("a relay killed while a client streams edits", () => {
  it("has every edit it acknowledged when it starts again", async () => {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const dataDir = await mkdtemp(join(tmpdir(), "tessera-crash-"));
    let relay = await startRelayProcess(port, dataDir);
    const builder = await WorldClient.connect({ endpoint, name: "Builder", viewRadius: 8, predict: false });
    await waitFor("the tiles to load", () => builder.loaded);

    const acknowledged: number[] = [];
    let sent = 0;
    let refused = 0;
    let streaming = true;
    const stream = async (lane: number) => {
      for (let i = 0; streaming; i++) {
        sent++;
        // Rows of small prims, six an edit, each lane its own row in the spawn tile.
        const create = (k: number) => ({
          op: "create",
          prim: { position: { x: 129 + ((6 * i + k) % 60), y: 0.5 + Math.floor((6 * i + k) / 60) * 0.2, z: 129 + lane }, shape: presetShape("box"), scale: { x: 0.5, y: 0.2, z: 0.5 } },
        });
        try {
          const { created } = await builder.edit([0, 1, 2, 3, 4, 5].map(create));
          acknowledged.push(...created);
        } catch (error) {
          if (!(error instanceof EditError)) throw error;
          refused++;
          // The relay is gone (or the client is too quick for it): wait a little.
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const lanes = Array.from({ length: IN_FLIGHT }, (_, lane) => stream(lane));
    await waitFor("a few hundred acknowledged prims", () => acknowledged.length >= 600, 15_000);
    relay.child.kill("SIGKILL");
    await new Promise((resolve) => relay.child.once("exit", resolve));
    const atKill = acknowledged.length;
    streaming = false;
    await Promise.all(lanes);
    // Nothing can be acknowledged by a dead relay.
    expect(acknowledged.length).toBe(atKill);
    await builder.leave();

    relay = await startRelayProcess(port, dataDir);
    try {
      const store = await openWorldStore({ dataDir });
      try {
        const saved = new Set((await store.tileContents("tile_2_2")).prims.map((prim) => prim.id));
        const lost = acknowledged.filter((id) => !saved.has(id));
        console.info(`crash test: ${sent} edits sent, ${acknowledged.length} prims acknowledged before the kill, ${refused} refused, ${lost.length} acknowledged ones missing after the restart`);
        expect(lost).toEqual([]);
        // And a client of the restarted relay sees them.
        const looker = await WorldClient.connect({ endpoint, name: "Looker", viewRadius: 8, predict: false });
        await waitFor("the tiles to load", () => looker.loaded);
        expect(acknowledged.every((id) => looker.prims.get(id))).toBe(true);
        await looker.leave();
      } finally {
        await store.close();
      }
    } finally {
      relay.child.kill("SIGKILL");
    }
  }, 60_000);
});
