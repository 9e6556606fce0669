import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TilesResponse } from "@tessera/protocol";
import { DIRECTORY_KEY, rawRequest, recordingServer, requireRedis, reserveSeat, startRelayProcess, upgradeHead, type RecordingServer, type RelayProcess } from "./cluster-harness.ts";
import { waitFor } from "./harness.ts";

// A database of its own, emptied first (see cluster.test.ts).
const REDIS_URL = "redis://127.0.0.1:6379/3";
const redis = await requireRedis(REDIS_URL, "the cluster directory tests");

/** Redis's clock, ms: the one directory beats are stamped with. */
async function redisNow(): Promise<number> {
  const [seconds, micros] = await redis!.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

async function entry(processId: string): Promise<{ host: string; port: number; beat?: number } | undefined> {
  const raw = await redis!.hget(DIRECTORY_KEY, processId);
  return raw ? (JSON.parse(raw) as { host: string; port: number; beat?: number }) : undefined;
}

describe.skipIf(!redis)("the process directory", () => {
  let a: RelayProcess;
  let b: RelayProcess;
  let seat: string;
  let tile: string;
  const servers: RecordingServer[] = [];

  const roomSocket = (processId: string) => rawRequest(a.port, upgradeHead(`/${processId}/${tile}?sessionId=${seat}`), { extra: "CLIENT-BYTES", timeoutMs: 8000 });

  beforeAll(async () => {
    await redis!.flushdb();
    [a, b] = await Promise.all([startRelayProcess(REDIS_URL, redis!), startRelayProcess(REDIS_URL, redis!)]);
    tile = ((await (await fetch(`${a.url}/api/tiles`)).json()) as TilesResponse).tiles[0]!.id;
    seat = (await reserveSeat(a, tile)).sessionId;
  });

  afterAll(async () => {
    for (const server of servers) await server.close();
    await Promise.all([a?.stop(), b?.stop()]);
    // A stopped and removed its entry; B's, killed, was pruned.
    expect(await redis!.hgetall(DIRECTORY_KEY)).toEqual({});
    redis!.disconnect();
  });

  it("stamps each relay's entry with Redis's clock, beat after beat", async () => {
    const first = await entry(a.processId);
    expect(first).toMatchObject({ host: "127.0.0.1", port: a.port });
    expect(Math.abs((await redisNow()) - first!.beat!)).toBeLessThan(2500);
    await waitFor("a second beat", async () => ((await entry(a.processId))?.beat ?? 0) > first!.beat!, 4000);
  });

  it("prunes entries that stopped beating, and pipes nothing to them meanwhile", async () => {
    const listener = await recordingServer();
    servers.push(listener);
    const address = { host: "127.0.0.1", port: listener.port };
    // A relay silent for four beats, one that never beat (an older relay's entry), and one silent for
    // seven seconds that no relay has pruned yet when a socket names it.
    await redis!.hset(DIRECTORY_KEY, "silent", JSON.stringify({ ...address, beat: (await redisNow()) - 8000 }));
    await redis!.hset(DIRECTORY_KEY, "beatless", JSON.stringify(address));
    await redis!.hset(DIRECTORY_KEY, "stale", JSON.stringify({ ...address, beat: (await redisNow()) - 7000 }));
    const response = await roomSocket("stale");
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({ error: "not_found" });
    expect(response.headers.connection).toBe("close");
    await waitFor("the dead entries to be pruned", async () => {
      const ids = Object.keys(await redis!.hgetall(DIRECTORY_KEY));
      return !ids.some((id) => ["silent", "beatless", "stale"].includes(id));
    }, 5000);
    expect(listener.connections).toEqual([]);
    // The living stay.
    expect(Object.keys(await redis!.hgetall(DIRECTORY_KEY)).sort()).toEqual([a.processId, b.processId].sort());
  });

  it("forgets a relay killed with SIGKILL within a few seconds, and never pipes a socket to its old address", async () => {
    const killedAt = performance.now();
    b.child.kill("SIGKILL");
    await b.exited;
    // Whatever listens on B's old port now (here: a server that records every byte) must get nothing.
    const squatter = await recordingServer(b.port);
    servers.push(squatter);
    await waitFor("B's entry to go", async () => (await entry(b.processId)) === undefined, 12_000);
    // Three beats (6 s) of silence and at most one more until A's next beat prunes it.
    expect(performance.now() - killedAt).toBeLessThan(10_000);
    const response = await roomSocket(b.processId);
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toEqual({ error: "not_found", message: `no relay ${b.processId} in this world` });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(squatter.connections).toEqual([]);
    // A lives on, in the directory too.
    expect(await entry(a.processId)).toMatchObject({ port: a.port });
  }, 30_000);
});
