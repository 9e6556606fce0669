/**
 * The fuzz run's observer, in its own process (so that the fuzzer's work never delays what it
 * measures): a normal player that enters the world at the spawn point with `WorldClient.connect` and
 * stands there, and a health check (GET /api/health on a new connection every 500 ms). Every 500 ms
 * it prints one JSON line (a BystanderSample, see processes.ts).
 *
 * `snapshots` is the client's own count (`client.net.snapshots`: every tile it joined, the watched
 * ones included), watched every 10 ms for gaps. `own` counts the snapshots that carry the own
 * avatar, i.e. those of the tile that holds it (15 a second), exactly: the room sockets are `ws`
 * sockets with a listener that timestamps each such frame as it arrives.
 *
 *   node --import tsx apps/relay/test/fuzz/bystander.ts http://127.0.0.1:2567 [health timeout ms]
 */
import { WebSocket as NodeWebSocket, type ClientOptions } from "ws";
import { request, type ClientRequestArgs } from "node:http";
import { RelayMessage, decodeSnapshot } from "@tessera/protocol";

const POLL_MS = 10;
const REPORT_MS = 500;
const HEALTH_EVERY_MS = 500;

const endpoint = process.argv[2];
if (!endpoint) {
  console.error("usage: bystander.ts <relay url> [health timeout ms]");
  process.exit(2);
}
const healthTimeoutMs = Number(process.argv[3] ?? 5000);

let probes = 0;
let probeStartedAt: number | undefined;
let healthWorstMs = 0;
let healthErrors: string[] = [];

/** GET /api/health on a new connection, unless the last one is still waiting for its answer. */
function probeHealth(): void {
  if (probeStartedAt !== undefined) return;
  const started = performance.now();
  probeStartedAt = started;
  const done = (error?: string) => {
    if (probeStartedAt !== started) return;
    probeStartedAt = undefined;
    probes++;
    healthWorstMs = Math.max(healthWorstMs, performance.now() - started);
    if (error) healthErrors.push(error);
  };
  const req = request(`${endpoint}/api/health`, { agent: false, timeout: healthTimeoutMs }, (res) => {
    res.resume();
    res.on("end", () => done(res.statusCode === 200 ? undefined : `status ${res.statusCode}`));
    res.on("error", (error) => done(error.message));
  });
  req.on("timeout", () => req.destroy(new Error(`no answer in ${healthTimeoutMs} ms`)));
  req.on("error", (error) => done(error.message));
  req.end();
}

/** `ROOM_DATA_BYTES`, then the type "snap" as the Colyseus schema encodes a short string (set once the SDK is loaded). */
let snapHeader = new Uint8Array();
let own = 0;
let lastOwnAt = 0;
let ownGapMs = 0;

function onFrame(data: Uint8Array): void {
  if (snapHeader.length === 0 || data.length <= snapHeader.length || snapHeader.some((byte, i) => data[i] !== byte)) return;
  if (decodeSnapshot(data.subarray(snapHeader.length)).own === undefined) return;
  const now = performance.now();
  if (own > 0) ownGapMs = Math.max(ownGapMs, now - lastOwnAt);
  lastOwnAt = now;
  own++;
}

/** The SDK opens its room sockets with the global WebSocket when there is one (Node 20 has none). */
class CountingWebSocket extends NodeWebSocket {
  constructor(address: string | URL, options?: ClientOptions | ClientRequestArgs) {
    super(address, options);
    // The SDK sets binaryType "arraybuffer" once the socket is made.
    this.on("message", (data: ArrayBuffer | Buffer, isBinary: boolean) => {
      if (isBinary) onFrame(data instanceof ArrayBuffer ? new Uint8Array(data) : data);
    });
  }
}
globalThis.WebSocket = CountingWebSocket as unknown as typeof globalThis.WebSocket;
// Imported only now: the Colyseus SDK picks its WebSocket class when it loads.
const { WorldClient } = await import("@tessera/sdk");
const { Protocol } = await import("@colyseus/sdk");
snapHeader = Uint8Array.from([Protocol.ROOM_DATA_BYTES, 0xa0 | RelayMessage.Snapshot.length, ...Buffer.from(RelayMessage.Snapshot)]);

const client = await WorldClient.connect({ endpoint, name: "Bystander" });
let snapshots = client.net.snapshots;
let lastSnapshotAt = performance.now();
let gapMs = 0;

const poll = setInterval(() => {
  const count = client.net.snapshots;
  if (count === snapshots) return;
  const now = performance.now();
  gapMs = Math.max(gapMs, now - lastSnapshotAt);
  lastSnapshotAt = now;
  snapshots = count;
}, POLL_MS);

const health = setInterval(probeHealth, HEALTH_EVERY_MS);

const report = setInterval(() => {
  const now = performance.now();
  // A gap still running counts too: the next report carries its full length.
  const sample = {
    t: Date.now(),
    snapshots,
    own,
    gapMs: Math.round(Math.max(gapMs, now - lastSnapshotAt)),
    ownGapMs: Math.round(own > 0 ? Math.max(ownGapMs, now - lastOwnAt) : 0),
    status: client.status,
    probes,
    healthMs: Math.round(Math.max(healthWorstMs, probeStartedAt === undefined ? 0 : now - probeStartedAt)),
    healthErrors,
  };
  console.log(JSON.stringify(sample));
  gapMs = 0;
  ownGapMs = 0;
  healthWorstMs = 0;
  healthErrors = [];
}, REPORT_MS);

process.once("SIGTERM", () => {
  clearInterval(poll);
  clearInterval(report);
  clearInterval(health);
  setTimeout(() => process.exit(0), 1000).unref();
  void client.leave().finally(() => process.exit(0));
});
