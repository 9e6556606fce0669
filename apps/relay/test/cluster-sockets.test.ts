import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { WebSocketTransport } from "@colyseus/ws-transport";
import type { TilesResponse } from "@tessera/protocol";
import { serveRoomSockets, type RoomSockets } from "../src/cluster/room-sockets.ts";
import { livePeer, rawRequest, recordingServer, requireRedis, reserveSeat, startRelayProcess, upgradeHead, type RecordingServer, type RelayProcess } from "./cluster-harness.ts";
import { waitFor } from "./harness.ts";

// A database of its own, emptied first (see cluster.test.ts).
const REDIS_URL = "redis://127.0.0.1:6379/4";
const redis = await requireRedis(REDIS_URL, "the cluster socket tests");

const json = (body: string) => JSON.parse(body) as { error: string; message: string };

describe("room socket upgrades: the policy decides each, refusals are short JSON", () => {
  let server: Server;
  let sockets: RoomSockets;
  let port: number;
  const asked: { path: string; local: boolean }[] = [];

  beforeAll(async () => {
    server = createServer();
    sockets = serveRoomSockets(server, new WebSocketTransport({ noServer: true }), {
      refuse: (_req: IncomingMessage, url: URL, local: boolean) => {
        asked.push({ path: url.pathname, local });
        if (url.searchParams.has("deny")) return { status: 403, message: `denied: ${url.searchParams.get("deny")}` };
        if (url.searchParams.has("odd")) return { status: 200, message: "not a refusal status" };
        if (url.searchParams.has("throw")) throw new Error("a secret detail of the policy");
        return undefined;
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => sockets.close());

  it("answers a refusal with its status, a JSON body and Connection: close, then hangs up", async () => {
    const response = await rawRequest(port, upgradeHead("/someone/tile_0_0?deny=no%20seat"));
    expect(response.status).toBe(403);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(response.headers.connection).toBe("close");
    expect(Number(response.headers["content-length"])).toBe(Buffer.byteLength(response.body));
    expect(json(response.body)).toEqual({ error: "forbidden", message: "denied: no seat" });
    expect(response.elapsedMs).toBeLessThan(1000);
    expect(asked.at(-1)).toEqual({ path: "/someone/tile_0_0", local: false });
  });

  it("never lets a policy's throw or an odd status through, and shows no stack", async () => {
    const thrown = await rawRequest(port, upgradeHead("/someone/tile_0_0?throw"));
    expect(thrown.status).toBe(500);
    expect(json(thrown.body).error).toBe("internal");
    expect(thrown.body).not.toMatch(/secret detail|Error|at /);
    const odd = await rawRequest(port, upgradeHead("/someone/tile_0_0?odd"));
    expect(odd.status).toBe(403);
  });

  it("asks the policy about sockets for this process too (local), latency probes included", async () => {
    const before = asked.length;
    expect((await rawRequest(port, upgradeHead("/?deny=probe"))).status).toBe(403);
    expect(asked.slice(before)).toEqual([{ path: "/", local: true }]);
  });

  it("considers only WebSocket handshakes: anything else is a 400 the policy never sees", async () => {
    const before = asked.length;
    const heads = [
      upgradeHead("/someone/tile_0_0", { Upgrade: "h2c", "Sec-WebSocket-Key": undefined, "Sec-WebSocket-Version": undefined }),
      upgradeHead("/someone/tile_0_0", { "Sec-WebSocket-Key": undefined }),
      upgradeHead("/someone/tile_0_0", { "Sec-WebSocket-Key": "not a key" }),
      upgradeHead("/someone/tile_0_0", { "Sec-WebSocket-Version": "12" }),
      upgradeHead("/someone/tile_0_0").replace(/^GET/, "POST"),
    ];
    for (const head of heads) {
      const response = await rawRequest(port, head);
      expect(response.status).toBe(400);
      expect(response.headers.connection).toBe("close");
      expect(json(response.body).error).toBe("bad_request");
    }
    expect(asked.length).toBe(before);
  });
});

describe.skipIf(!redis)("room sockets piped to another process", () => {
  let a: RelayProcess;
  /** A seat signed by this world's relays, for URLs that name other processes. */
  let seat: string;
  let tile: string;
  const cleanups: (() => Promise<void>)[] = [];

  /** A fake process of this world: a live directory entry pointing at a server that records everything. */
  async function fakePeer(processId: string, onConnection?: Parameters<typeof recordingServer>[1]): Promise<RecordingServer> {
    const server = await recordingServer(0, onConnection);
    const entry = await livePeer(redis!, processId, { host: "127.0.0.1", port: server.port });
    cleanups.push(() => entry.stop(), () => server.close());
    return server;
  }

  const roomPath = (processId: string) => `/${processId}/${tile}?sessionId=${seat}`;

  beforeAll(async () => {
    await redis!.flushdb();
    a = await startRelayProcess(REDIS_URL, redis!);
    tile = ((await (await fetch(`${a.url}/api/tiles`)).json()) as TilesResponse).tiles[0]!.id;
    seat = (await reserveSeat(a, tile)).sessionId;
  });

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    await a?.stop();
    redis!.disconnect();
  });

  it("refuses a non-WebSocket upgrade naming another process, and nothing reaches it", async () => {
    const peer = await fakePeer("h2cpeer");
    const h2c = await rawRequest(a.port, upgradeHead(roomPath("h2cpeer"), {
      Connection: "Upgrade, HTTP2-Settings",
      Upgrade: "h2c",
      "HTTP2-Settings": "AAMAAABkAAQAAP__",
      "Sec-WebSocket-Key": undefined,
      "Sec-WebSocket-Version": undefined,
    }), { extra: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", timeoutMs: 3000 });
    expect(h2c.status).toBe(400);
    expect(json(h2c.body).error).toBe("bad_request");
    const keyless = await rawRequest(a.port, upgradeHead(roomPath("h2cpeer"), { "Sec-WebSocket-Key": undefined }), { timeoutMs: 3000 });
    expect(keyless.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(peer.connections).toEqual([]);
  });

  it("sends the peer the request head only until it answers; a silent peer gets the client a 502", async () => {
    const peer = await fakePeer("silentpeer");
    const response = await rawRequest(a.port, upgradeHead(roomPath("silentpeer")), { extra: "EXTRA-WITH-HEAD", later: "LATER-BYTES", laterMs: 300 });
    expect(response.status).toBe(502);
    expect(json(response.body)).toMatchObject({ error: "bad_gateway", message: expect.stringMatching(/did not answer/) as unknown });
    expect(response.elapsedMs).toBeGreaterThan(4000);
    expect(response.elapsedMs).toBeLessThan(10_000);
    expect(peer.connections.length).toBe(1);
    const got = peer.received();
    expect(got.startsWith(`GET ${roomPath("silentpeer")} HTTP/1.1\r\n`)).toBe(true);
    expect(got.indexOf("\r\n\r\n")).toBe(got.length - 4);
    expect(got).toMatch(/\r\nx-tessera-forwarded-by: /i);
    expect(got).not.toMatch(/EXTRA|LATER/);
  }, 20_000);

  it("passes a peer's refusal on, and forwards nothing after the head", async () => {
    const body = JSON.stringify({ error: "gone", message: "the seat lapsed" });
    const peer = await fakePeer("refusingpeer", (socket, data) => {
      socket.on("data", () => {
        if (!data().includes("\r\n\r\n")) return;
        socket.end(`HTTP/1.1 410 Gone\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
      });
    });
    const response = await rawRequest(a.port, upgradeHead(roomPath("refusingpeer")), { extra: "EXTRA-WITH-HEAD", timeoutMs: 8000 });
    expect(response.status).toBe(410);
    expect(JSON.parse(response.body)).toEqual({ error: "gone", message: "the seat lapsed" });
    expect(response.elapsedMs).toBeLessThan(3000);
    expect(peer.received()).not.toMatch(/EXTRA/);
  });

  it("pipes both ways once the peer answers 101: the client's early bytes go up only then", async () => {
    let beforeAnswer = "";
    const peer = await fakePeer("acceptingpeer", (socket, data) => {
      let answered = false;
      socket.on("data", () => {
        if (answered || !data().includes("\r\n\r\n")) return;
        answered = true;
        // Long enough for early client bytes to arrive, were they sent before the answer.
        setTimeout(() => {
          beforeAnswer = data().toString("latin1");
          socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: test\r\n\r\nPEER-FIRST");
        }, 400);
      });
    });
    const client: Socket = connect({ host: "127.0.0.1", port: a.port });
    await new Promise<void>((resolve) => client.once("connect", resolve));
    let down = "";
    client.on("data", (chunk: Buffer) => (down += chunk.toString("latin1")));
    try {
      client.write(`${upgradeHead(roomPath("acceptingpeer"))}\r\n\r\nEXTRA-WITH-HEAD`);
      setTimeout(() => client.write("EARLY-BYTES"), 150);
      await waitFor("the peer's 101 through the pipe", () => down.includes("PEER-FIRST"), 5000);
      expect(down.startsWith("HTTP/1.1 101 Switching Protocols\r\n")).toBe(true);
      expect(beforeAnswer).not.toMatch(/EXTRA|EARLY/);
      await waitFor("the client's early bytes at the peer", () => peer.received().includes("EXTRA-WITH-HEADEARLY-BYTES"), 3000);
      client.write("AFTER-101");
      await waitFor("later bytes at the peer", () => peer.received().endsWith("AFTER-101"), 3000);
    } finally {
      client.destroy();
    }
  });
});
