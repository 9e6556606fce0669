import { afterAll, beforeAll, describe, expect, it } from "vitest";
import sharp from "sharp";
import { textureUrl } from "@tessera/textures";
import type { SessionResponse, TextureUploadResponse } from "@tessera/protocol";
import { openWorldStore, type WorldStore } from "@tessera/store";
import { TEST_DATABASE_URL, requirePostgres, testSchemas } from "@tessera/store/testing";
import { requireRedis, startRelayProcess, type RelayProcess } from "./cluster-harness.ts";

// A Redis database of its own, emptied first (see cluster.test.ts), and a PostgreSQL schema of its own.
const REDIS_URL = "redis://127.0.0.1:6379/12";
const redis = await requireRedis(REDIS_URL, "the cluster texture tests");
const postgres = await requirePostgres("the cluster texture tests");
const schemas = testSchemas(postgres);

async function upload(url: string, bytes: Buffer, type: string): Promise<{ status: number; body: TextureUploadResponse }> {
  const { token } = (await (await fetch(`${url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as SessionResponse;
  const response = await fetch(`${url}/api/textures`, { method: "POST", headers: { "content-type": type, authorization: `Bearer ${token}` }, body: new Uint8Array(bytes) });
  return { status: response.status, body: (await response.json()) as TextureUploadResponse };
}

describe.skipIf(!redis || !postgres)("textures on two relays sharing PostgreSQL", () => {
  let a: RelayProcess;
  let b: RelayProcess;
  let store: WorldStore;

  beforeAll(async () => {
    await redis!.flushdb();
    const env = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schemas.next() };
    [a, b] = await Promise.all([startRelayProcess(REDIS_URL, redis!, env), startRelayProcess(REDIS_URL, redis!, env)]);
    store = await openWorldStore({ dataDir: "", databaseUrl: env.DATABASE_URL, schema: env.DATABASE_SCHEMA });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await store?.close();
    await schemas.dropAll();
    await postgres?.end();
    redis?.disconnect();
  });

  it("serves a texture uploaded through one relay from the other, and stores it once", async () => {
    const rgb = Buffer.alloc(150 * 90 * 3);
    for (let i = 0; i < 150 * 90; i++) rgb.set([i % 251, (i * 3) % 256, 77], i * 3);
    const picture = sharp(rgb, { raw: { width: 150, height: 90, channels: 3 } });
    const uploaded = await upload(a.url, await picture.clone().png().toBuffer(), "image/png");
    expect(uploaded.status).toBe(201);

    const [fromA, fromB] = await Promise.all([a, b].map((relay) => fetch(`${relay.url}${textureUrl(uploaded.body.id, 512)}`)));
    for (const response of [fromA!, fromB!]) {
      expect(response.status).toBe(200);
      expect(response.headers.get("etag")).toBe(`"${uploaded.body.id}-512"`);
    }
    expect(Buffer.from(await fromB!.arrayBuffer()).equals(Buffer.from(await fromA!.arrayBuffer()))).toBe(true);

    // The same picture through the other relay, as lossless WebP: stored already.
    const again = await upload(b.url, await picture.clone().webp({ lossless: true }).toBuffer(), "image/webp");
    expect(again).toEqual({ status: 200, body: uploaded.body });
    expect(await store.textureCount()).toBe(1);
  });
});
