import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorldClient } from "@tessera/sdk";
import type { Relay } from "../src/relay.ts";
import { jsonBody, open, rawExchange } from "./raw-http.ts";
import { newSession, recordingLogger, startTestRelay, waitFor } from "./harness.ts";

const SPAWN_TILE = "tile_2_2";

/** Counts a connected client's snapshots over `ms`: the world goes on ticking for it. */
async function snapshotsDuring(client: WorldClient, ms: number, during: () => Promise<unknown>): Promise<{ snapshots: number; result: unknown }> {
  const before = client.net.snapshots;
  const [result] = await Promise.all([during(), new Promise((resolve) => setTimeout(resolve, ms))]);
  return { snapshots: client.net.snapshots - before, result };
}

describe("request bodies", () => {
  let relay: Relay;
  let bystander: WorldClient;
  const { log, lines } = recordingLogger();

  beforeAll(async () => {
    relay = await startTestRelay({}, undefined, { log });
    bystander = await WorldClient.connect({ endpoint: relay.url, name: "Bystander", viewRadius: 8 });
    await waitFor("the bystander's first snapshot", () => bystander.ownAvatar);
  });
  afterAll(async () => {
    await bystander.leave();
    await relay.stop();
  });

  it("refuses an 8 MiB matchmaker body at once, without reading it, while the world ticks on", async () => {
    const big = JSON.stringify({ name: "x".repeat(8 * 1024 * 1024) });
    const { token } = await newSession(relay.url);
    const started = performance.now();
    const { snapshots, result } = await snapshotsDuring(bystander, 1000, () =>
      fetch(`${relay.url}/matchmake/joinById/${SPAWN_TILE}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: big }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as unknown,
      })),
    );
    expect(result).toEqual({ status: 413, body: { error: "payload_too_large", message: "request body too large (at most 2048 bytes)" } });
    expect(performance.now() - started).toBeLessThan(3000);
    // 15 snapshots a second: the relay never stalled.
    expect(snapshots).toBeGreaterThanOrEqual(10);
  });

  it("refuses a body that lies about its length, or streams past the limit, as the bytes come", async () => {
    const { port } = relay;
    // Declares 100 bytes, sends 10 KiB chunked: counted as it streams and cut off.
    const chunk = "x".repeat(1024);
    const chunked = await rawExchange(port, [
      "POST /api/session HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
      ...Array.from({ length: 10 }, () => `400\r\n${chunk}\r\n`),
    ]);
    expect(chunked.status).toBe(413);
    expect(jsonBody(chunked.text)).toMatchObject({ error: "payload_too_large" });
    expect(chunked.closedAfterMs).toBeDefined();

    const declared = await rawExchange(port, ["POST /matchmake/joinById/tile_2_2 HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 134217728\r\n\r\n{"]);
    expect(declared.status).toBe(413);
    expect(declared.closedAfterMs).toBeLessThan(1000);
  });

  it("refuses a body on a route that takes none", async () => {
    const health = await rawExchange(relay.port, ["GET /api/health HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"]);
    expect(health.status).toBe(413);
    expect(jsonBody(health.text)).toEqual({ error: "payload_too_large", message: "GET /api/health takes no request body" });
    const junk = await fetch(`${relay.url}/api/session`, { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" });
    expect(junk.status).toBe(415);
  });

  it("logs each refusal as one short line, and a flood of them as a few", async () => {
    lines.length = 0;
    await Promise.all(Array.from({ length: 200 }, () => fetch(`${relay.url}/api/health`, { method: "POST", body: "x" }).then((response) => response.arrayBuffer())));
    const refused = lines.filter((line) => line.includes("refused:"));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThanOrEqual(12);
    for (const line of lines) {
      expect(line).not.toMatch(/\n|\s+at .+:\d+:\d+/);
      expect(line.length).toBeLessThan(300);
    }
    expect(refused.some((line) => /more refused since the last line/.test(line)) || refused.length < 12).toBe(true);
  });
});

describe("slow and greedy clients", () => {
  let relay: Relay;

  beforeAll(async () => {
    relay = await startTestRelay({ maxConnectionsPerAddress: 8, maxConnections: 16 }, undefined, { edge: { exemptLoopback: false, headersTimeoutMs: 1000, requestTimeoutMs: 2000 } });
  });
  afterAll(async () => {
    await relay.stop();
  });

  it("closes a request whose headers never finish", async () => {
    const slow = await rawExchange(relay.port, ["GET /api/health HTTP/1.1\r\n", "Host: a\r\n", "X-Slow: 1\r\n"], { gapMs: 200, waitMs: 6000 });
    expect(slow.closedAfterMs).toBeDefined();
    expect(slow.closedAfterMs!).toBeLessThan(4000);
  });

  it("closes a request whose body never finishes", async () => {
    const slow = await rawExchange(relay.port, ["POST /api/session HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"], { waitMs: 6000 });
    expect(slow.closedAfterMs).toBeDefined();
    expect(slow.closedAfterMs!).toBeLessThan(5000);
  });

  it("caps the connections from one address, and takes new ones as old ones close", async () => {
    const sockets = await Promise.all(Array.from({ length: 8 }, () => open(relay.port)));
    try {
      const ninth = await rawExchange(relay.port, ["GET /api/health HTTP/1.1\r\nHost: a\r\n\r\n"]);
      expect(ninth.status).toBe(429);
      expect(jsonBody(ninth.text)).toEqual({ error: "too_many_connections", message: "at most 8 connections from one address" });
      sockets.pop()!.destroy();
      await waitFor("a connection to be taken again", async () => (await rawExchange(relay.port, ["GET /api/health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"])).status === 200);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });
});

describe("connections in total", () => {
  let relay: Relay;

  beforeAll(async () => {
    relay = await startTestRelay({ maxConnectionsPerAddress: 1000, maxConnections: 16 });
  });
  afterAll(async () => {
    await relay.stop();
  });

  it("caps them, this machine's included, and says the relay is busy", async () => {
    const sockets = await Promise.all(Array.from({ length: 16 }, () => open(relay.port)));
    try {
      const more = await rawExchange(relay.port, ["GET /api/health HTTP/1.1\r\nHost: a\r\n\r\n"]);
      expect(more.status).toBe(503);
      expect(jsonBody(more.text)).toMatchObject({ error: "busy" });
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });
});

describe("origins and headers", () => {
  let relay: Relay;

  beforeAll(async () => {
    relay = await startTestRelay({ allowedOrigins: ["https://friend.example"] });
  });
  afterAll(async () => {
    await relay.stop();
  });

  it("serves the page's own origin, and an allowed one with CORS, and refuses others", async () => {
    const own = await fetch(`${relay.url}/api/world`, { headers: { origin: relay.url.replace("localhost", "localhost") } });
    expect(own.status).toBe(200);
    expect(own.headers.get("access-control-allow-origin")).toBeNull();

    const friend = await fetch(`${relay.url}/api/world`, { headers: { origin: "https://friend.example" } });
    expect(friend.status).toBe(200);
    expect(friend.headers.get("access-control-allow-origin")).toBe("https://friend.example");

    const preflight = await fetch(`${relay.url}/matchmake/joinById/${SPAWN_TILE}`, { method: "OPTIONS", headers: { origin: "https://friend.example", "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://friend.example");

    const evil = await fetch(`${relay.url}/api/session`, { method: "POST", headers: { origin: "https://evil.example", "content-type": "application/json" }, body: "{}" });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({ error: "forbidden_origin" });
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("sets the security headers on every answer", async () => {
    for (const path of ["/api/health", "/", "/no/such/thing", "/matchmake/create/tile"]) {
      const response = await fetch(`${relay.url}${path}`);
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
      expect(response.headers.get("referrer-policy"), path).toBe("no-referrer");
      expect(response.headers.get("content-security-policy"), path).toMatch(/frame-ancestors 'none'/);
      expect(response.headers.get("content-security-policy"), path).toMatch(/script-src 'self' 'wasm-unsafe-eval'/);
    }
  });
});
