import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@colyseus/sdk";
import { WebSocket } from "ws";
import { RelayMessage, type OpenTileResponse, type SessionResponse, type TilesResponse } from "@tessera/protocol";
import { requireRedis, startRelayProcess, type RelayProcess } from "./cluster-harness.ts";
import { waitFor } from "./harness.ts";

// A database of its own, emptied first: other test files and a running world keep theirs (the
// relays' pub/sub channels are named after the database too: cluster/world-presence.ts).
const REDIS_URL = "redis://127.0.0.1:6379/5";
const redis = await requireRedis(REDIS_URL, "the cluster tests");

async function open(relay: RelayProcess, id: string): Promise<OpenTileResponse> {
  const response = await fetch(`${relay.url}/api/tiles/${id}/open`, { method: "POST" });
  expect(response.status).toBe(200);
  return (await response.json()) as OpenTileResponse;
}

async function tiles(relay: RelayProcess): Promise<TilesResponse["tiles"]> {
  return ((await (await fetch(`${relay.url}/api/tiles`)).json()) as TilesResponse).tiles;
}

describe.skipIf(!redis)("relays sharing one Redis", () => {
  let a: RelayProcess;
  let b: RelayProcess;

  /** Rooms each process runs, by process id (its own count, from /api/health). */
  async function roomsByProcess(): Promise<Map<string, number>> {
    const [healthA, healthB] = await Promise.all([a.health(), b.health()]);
    return new Map([[a.processId, healthA.rooms], [b.processId, healthB.rooms]]);
  }

  beforeAll(async () => {
    await redis!.flushdb();
    // Started together, both open the spawn tile at once: a first creation race.
    [a, b] = await Promise.all([startRelayProcess(REDIS_URL, redis!), startRelayProcess(REDIS_URL, redis!)]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    expect(await redis!.hlen("tessera:processes")).toBe(0);
    redis!.disconnect();
  });

  it("opens each new tile on the process with the fewest rooms", async () => {
    expect([...(await roomsByProcess()).values()].sort()).toEqual([0, 1]);
    for (const id of ["tile_0_3", "tile_1_3", "tile_2_3", "tile_3_3"]) {
      const before = await roomsByProcess();
      const { process } = await open(a, id);
      expect(before.get(process)).toBe(Math.min(...before.values()));
      const after = await roomsByProcess();
      // The spawn tile and three more: two on each.
      if (id === "tile_2_3") expect([...after.values()]).toEqual([2, 2]);
    }
  });

  it("opens a tile once when both relays are asked for it at the same time", async () => {
    const before = await roomsByProcess();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => open(i % 2 === 0 ? a : b, "tile_0_0")));
    const owners = new Set(answers.map((answer) => answer.process));
    expect(owners.size).toBe(1);
    const [owner] = owners;
    for (const relay of [a, b]) expect((await tiles(relay)).filter((tile) => tile.id === "tile_0_0")).toMatchObject([{ process: owner }]);
    const after = await roomsByProcess();
    for (const [processId, rooms] of after) expect(rooms).toBe(before.get(processId)! + (processId === owner ? 1 : 0));
  });

  it("joins through one relay a tile that runs on the other, frame limit included", async () => {
    let id = "";
    for (const candidate of ["tile_0_1", "tile_1_1", "tile_2_1", "tile_3_1"]) {
      if ((await open(a, candidate)).process === b.processId) {
        id = candidate;
        break;
      }
    }
    expect(id).not.toBe("");
    const session = (await (await fetch(`${a.url}/api/session`, { method: "POST" })).json()) as SessionResponse;
    const client = new Client(a.url);
    client.auth.token = session.token;
    const room = await client.joinById(id, { name: "Proxied" });
    let snapshots = 0;
    room.onMessage(RelayMessage.Snapshot, () => snapshots++);
    room.onMessage(RelayMessage.Prims, () => undefined);
    await waitFor("snapshots from the other relay", () => snapshots >= 5);
    expect((await b.health()).players).toBe(1);
    expect((await a.health()).players).toBe(0);

    // The owner enforces the frame limit; its close code comes back through the pipe.
    const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
    room.send(RelayMessage.Snapshot, new Uint8Array(65 * 1024));
    expect(await left).toBe(1009);
  });

  it("refuses a socket for a relay that is gone, even where its old address now answers", async () => {
    // A relay that crashed leaves its address behind; here it points at a live relay, itself.
    await redis!.hset("tessera:processes", "gone", JSON.stringify({ host: "127.0.0.1", port: a.port }));
    // A real seat (a relay signed it), so that only the directory decides.
    const { token } = (await (await fetch(`${a.url}/api/session`, { method: "POST" })).json()) as SessionResponse;
    const seat = (await (await fetch(`${a.url}/matchmake/joinById/tile_0_0`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: "{}" })).json()) as { sessionId: string };
    for (const owner of ["gone", "unknown"]) {
      const status = await new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(`ws://127.0.0.1:${a.port}/${owner}/tile_0_0?sessionId=${seat.sessionId}`);
        socket.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
        socket.once("open", () => reject(new Error("the socket opened")));
      });
      expect(status).toBe(404);
    }
    await redis!.hdel("tessera:processes", "gone");
  });

  it("keeps the listings of a relay that misses a health check but lives on (colyseus#968)", async () => {
    const onB = (await tiles(a)).filter((tile) => tile.process === b.processId).map((tile) => tile.id);
    expect(onB.length).toBeGreaterThan(0);
    b.child.kill("SIGSTOP");
    try {
      // A seat on a frozen relay times out; core then health-checks it, which fails too.
      const { token } = (await (await fetch(`${a.url}/api/session`, { method: "POST" })).json()) as SessionResponse;
      const response = await fetch(`${a.url}/matchmake/joinById/${onB[0]}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: "{}" });
      expect(response.ok).toBe(false);
      expect(await response.text()).toMatch(/not available/);
      expect((await tiles(a)).filter((tile) => tile.process === b.processId).map((tile) => tile.id)).toEqual(onB);
    } finally {
      b.child.kill("SIGCONT");
    }
  });
});
