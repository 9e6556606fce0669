import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import sharp from "sharp";
import { GPU_FORMS, LIBRARY, compressedTextureUrl, compressedTierBytes, textureUrl, type TextureTier } from "@tessera/textures";
import type { HttpError, TextureUploadResponse } from "@tessera/protocol";
import { openSqliteStore, openWorldStore, type WorldStore } from "@tessera/store";
import type { Relay } from "../src/relay.ts";
import { CompressedForms, MAX_WAITING, encodeKtx2, type Ktx2Encoder } from "../src/textures/compressed-forms.ts";
import { basisTranscoder } from "../src/textures/gpu-transcode.ts";
import { LibraryTextures } from "../src/textures/library-textures.ts";
import { TierSource } from "../src/textures/tier-source.ts";
import { newSession, recordingLogger, startTestRelay, waitFor } from "./harness.ts";

let relay: Relay;
/** The relay's own store, opened beside it (SQLite in WAL mode takes both). */
let store: WorldStore;
const { log, lines } = recordingLogger();

beforeAll(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "tessera-compressed-"));
  relay = await startTestRelay({ dataDir }, undefined, { log });
  store = await openWorldStore({ dataDir });
});
afterAll(async () => {
  await relay?.stop();
  await store?.close();
});

/** Compressing takes seconds a tier (more on a busy machine), one tier at a time. */
const COMPRESSED_WITHIN_MS = 60_000;

/** The first bytes of every KTX2 file. */
const KTX2_IDENTIFIER = [0xab, 0x4b, 0x54, 0x58, 0x20, 0x32, 0x30, 0xbb, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * A `size` px square of gradients and checks (a texture's kind of picture: noise takes the encoder
 * several times as long), shifted by `seed`, each pixel's alpha `alpha`, as PNG.
 */
function pattern(size: number, seed: number, alpha = 255): Promise<Buffer> {
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) rgba.set([(((x + seed * 37) % size) * 255) / size, (y * 255) / size, ((x >> 5) + (y >> 5)) % 2 ? 200 : 40, alpha], (y * size + x) * 4);
  }
  return sharp(rgba, { raw: { width: size, height: size, channels: 4 } }).png().toBuffer();
}

async function upload(png: Buffer): Promise<TextureUploadResponse> {
  const { token } = await newSession(relay.url);
  const response = await fetch(`${relay.url}/api/textures`, { method: "POST", headers: { "content-type": "image/png", authorization: `Bearer ${token}` }, body: new Uint8Array(png) });
  expect(response.status).toBe(201);
  return (await response.json()) as TextureUploadResponse;
}

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${relay.url}${path}`, { headers });

/** A 404's error code, checking it may not be cached. */
async function refusal(response: Response): Promise<string> {
  expect(response.status).toBe(404);
  expect(response.headers.get("cache-control")).toBe("no-store");
  const body = (await response.json()) as HttpError;
  expect(body.message.length).toBeGreaterThan(10);
  return body.error;
}

/** Asks for a compressed tier every 250 ms (as a client told to retry would) until it is served. */
async function compressedOnceMade(id: string, tier: TextureTier): Promise<Response> {
  const deadline = performance.now() + COMPRESSED_WITHIN_MS;
  for (;;) {
    const response = await get(compressedTextureUrl(id, tier));
    if (response.status === 200) return response;
    expect(await refusal(response)).toBe("compressed_form_pending");
    if (performance.now() > deadline) throw new Error(`texture ${id} tier ${tier} was not compressed within ${COMPRESSED_WITHIN_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Checks a served compressed tier: its headers, and a KTX2 file of that size with every mipmap. */
async function expectKtx2(response: Response, id: string, tier: TextureTier): Promise<Uint8Array> {
  expect(response.headers.get("content-type")).toBe("image/ktx2");
  expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  expect(response.headers.get("etag")).toBe(`"${id}-${tier}-ktx2"`);
  expect(response.headers.get("x-texture-tier")).toBe(String(tier));
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect([...bytes.subarray(0, 12)]).toEqual(KTX2_IDENTIFIER);
  const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // pixelWidth, pixelHeight, levelCount; supercompression 1 is BasisLZ (ETC1S).
  expect([header.getUint32(20, true), header.getUint32(24, true), header.getUint32(40, true), header.getUint32(44, true)]).toEqual([tier, tier, Math.log2(tier) + 1, 1]);
  expect(Number(response.headers.get("content-length"))).toBe(bytes.length);
  return bytes;
}

describe("compressed texture tiers", () => {
  it("are made in the background for an opaque upload's 512 and 1024 px tiers, and served for good", async () => {
    const uploaded = await upload(await pattern(1024, 1));
    expect(uploaded.tiers).toEqual([32, 128, 512, 1024]);
    // Asked for at once: not made yet.
    const first = await get(compressedTextureUrl(uploaded.id, 512));
    expect(first.headers.get("retry-after")).toBe("5");
    expect(await refusal(first)).toBe("compressed_form_pending");

    for (const tier of [512, 1024] as const) {
      const bytes = await expectKtx2(await compressedOnceMade(uploaded.id, tier), uploaded.id, tier);
      expect([...(await store.compressedTier(uploaded.id, tier))!]).toEqual([...bytes]);
      const held = await get(compressedTextureUrl(uploaded.id, tier), { "if-none-match": `"${uploaded.id}-${tier}-ktx2"` });
      expect(held.status).toBe(304);
      expect(held.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect((await held.arrayBuffer()).byteLength).toBe(0);
      // The WebP tier's tag is not the compressed form's.
      expect((await get(compressedTextureUrl(uploaded.id, tier), { "if-none-match": `"${uploaded.id}-${tier}"` })).status).toBe(200);
      expect(lines.filter((line) => line.startsWith(`[relay] compressed texture ${uploaded.id} tier ${tier} to KTX2: ${bytes.length} bytes in `))).toHaveLength(1);
    }
    // Transcoded for GPUs: each mipmap level's 4 x 4 blocks in turn, every byte of them, cached for good too.
    for (const tier of [512, 1024] as const) {
      const forms = await Promise.all(
        GPU_FORMS.map(async (form) => {
          const response = await get(compressedTextureUrl(uploaded.id, tier, form));
          expect([response.status, response.headers.get("content-type"), response.headers.get("etag"), response.headers.get("x-texture-tier")]).toEqual([200, "application/octet-stream", `"${uploaded.id}-${tier}-${form}"`, String(tier)]);
          expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
          expect((await get(compressedTextureUrl(uploaded.id, tier, form), { "if-none-match": `"${uploaded.id}-${tier}-${form}"` })).status).toBe(304);
          // Gzipped on the wire (fetch unzips it), and plain to a client that takes no gzip.
          expect([response.headers.get("content-encoding"), response.headers.get("vary")]).toEqual(["gzip", "Accept-Encoding"]);
          expect(Number(response.headers.get("content-length"))).toBeLessThan(compressedTierBytes(tier));
          const bytes = new Uint8Array(await response.arrayBuffer());
          const plain = await get(compressedTextureUrl(uploaded.id, tier, form), { "accept-encoding": "identity" });
          expect([plain.headers.get("content-encoding"), Number(plain.headers.get("content-length"))]).toEqual([null, compressedTierBytes(tier)]);
          expect(Buffer.compare(new Uint8Array(await plain.arrayBuffer()), bytes)).toBe(0);
          return bytes;
        }),
      );
      for (const bytes of forms) expect(bytes.length).toBe(compressedTierBytes(tier));
      expect(Buffer.compare(forms[0]!, forms[1]!)).not.toBe(0);
    }
    // The WebP tiers are served as before.
    const webp = await get(textureUrl(uploaded.id, 1024));
    expect([webp.status, webp.headers.get("content-type"), webp.headers.get("etag")]).toEqual([200, "image/webp", `"${uploaded.id}-1024"`]);
  }, 2 * COMPRESSED_WITHIN_MS + 10_000);

  it("are none for a see-through texture, nor for tiers under 512 px", async () => {
    const see = await upload(await pattern(600, 2, 200));
    expect(see.tiers).toEqual([32, 128, 512, 1024]);
    for (const tier of [512, 1024] as const) expect(await refusal(await get(compressedTextureUrl(see.id, tier)))).toBe("no_compressed_form");

    const small = await upload(await pattern(100, 3));
    expect(small.tiers).toEqual([32, 128]);
    // 1024 px asked for, 128 px served: the tier choice of the WebP tiers.
    for (const tier of [128, 1024] as const) expect(await refusal(await get(compressedTextureUrl(small.id, tier)))).toBe("no_compressed_form");
    expect(await refusal(await get(`/textures/${small.id}/32.ktx2`))).toBe("no_compressed_form");
    // The background work skipped both: nothing was queued for them.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await store.compressedTier(see.id, 512)).toBeUndefined();
    expect(lines.some((line) => line.includes(see.id) || line.includes(small.id))).toBe(false);
  });

  it("answer as the WebP tiers do for a texture no one has and for what is not a texture URL", async () => {
    const id = (await upload(await pattern(64, 4))).id;
    expect(await refusal(await get(compressedTextureUrl("A".repeat(32), 512)))).toBe("not_found");
    for (const path of [`/textures/${id}/100.ktx2`, `/textures/${id}/0512.ktx2`, `/textures/${id}/.ktx2`, `/textures/${id}/512.ktx2.ktx2`, `/textures/${id}/512.png`, `/textures/${id}/512.bc7`, "/textures/short/512.ktx2"]) {
      const response = await get(path);
      expect({ path, error: await refusal(response) }).toEqual({ path, error: "not_found" });
    }
  });

  it("of a library texture are made on its first request", async () => {
    const entry = LIBRARY.find((texture) => texture.name === "stone")!;
    expect(await store.hasTexture(entry.id)).toBe(false);
    const first = await get(compressedTextureUrl(entry.id, 512));
    expect(await refusal(first)).toBe("compressed_form_pending");
    await expectKtx2(await compressedOnceMade(entry.id, 512), entry.id, 512);
    // Only the tier asked for.
    expect(await store.compressedTier(entry.id, 1024)).toBeUndefined();
  }, COMPRESSED_WITHIN_MS + 10_000);
});

describe("compressed forms, made in the background", () => {
  /** A store of its own holding `count` opaque textures with a 512 px tier (the same bytes under other ids), and what makes their forms. */
  async function setUp(count: number, encode: Ktx2Encoder) {
    const dir = await mkdtemp(join(tmpdir(), "tessera-forms-"));
    const own = await openSqliteStore(join(dir, "world.sqlite"));
    const webp = await sharp(await pattern(512, 5)).webp().toBuffer();
    const ids = Array.from({ length: count }, (_, i) => `form${i}`.padEnd(32, "_"));
    for (const id of ids) await own.putTexture({ id, width: 512, height: 512 }, [{ tier: 512, bytes: webp }]);
    const recorded = recordingLogger();
    const stopping = new AbortController();
    const forms = new CompressedForms(own, new TierSource(own, new LibraryTextures(own, recorded.log)), recorded.log, stopping.signal, encode);
    const done = async () => {
      stopping.abort();
      await own.close();
      await rm(dir, { recursive: true, force: true });
    };
    return { own, ids, forms, lines: recorded.lines, done };
  }
  const ktx2 = () => Promise.resolve(new Uint8Array([...KTX2_IDENTIFIER, 1, 2, 3]));

  it("makes a form once however often it is asked for, and stores it", async () => {
    let calls = 0;
    const { own, ids, forms, lines, done } = await setUp(1, (image) => {
      calls++;
      expect([image.width, image.height, image.rgba.length]).toEqual([512, 512, 512 * 512 * 4]);
      return ktx2();
    });
    expect(await Promise.all([forms.ensure(ids[0]!, 512), forms.ensure(ids[0]!, 512), forms.ensure(ids[0]!, 512)])).toEqual(["pending", "pending", "pending"]);
    await waitFor("the form to be stored", () => own.compressedTier(ids[0]!, 512));
    // Asked again once stored: looked for in the store, not made again.
    expect(await forms.ensure(ids[0]!, 512)).toBe("pending");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(calls).toBe(1);
    expect(lines.filter((line) => line.includes("to KTX2: 15 bytes in"))).toHaveLength(1);
    await done();
  });

  it(`keeps at most ${MAX_WAITING} tiers waiting, saying so once, and drops the rest until asked again`, async () => {
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { ids, forms, lines, done } = await setUp(MAX_WAITING + 3, () => held.then(ktx2));
    for (const id of ids) expect(await forms.ensure(id, 512)).toBe("pending");
    // One being made, MAX_WAITING waiting, two dropped: one line.
    expect(lines.filter((line) => line.includes(`${MAX_WAITING} texture tiers wait to be compressed`))).toHaveLength(1);
    release();
    await done();
  });

  it("remembers a failure, logged once, and does not try again at once", async () => {
    let calls = 0;
    const { own, ids, forms, lines, done } = await setUp(1, () => {
      calls++;
      return Promise.resolve(new Uint8Array([1, 2, 3]));
    });
    expect(await forms.ensure(ids[0]!, 512)).toBe("pending");
    await waitFor("the failure", () => lines.some((line) => line.includes(`could not compress texture ${ids[0]} tier 512`)));
    expect(lines.find((line) => line.includes("could not compress"))).toMatch(/not a KTX2 file/);
    expect(await forms.ensure(ids[0]!, 512)).toBe("failed");
    expect(calls).toBe(1);
    expect(await own.compressedTier(ids[0]!, 512)).toBeUndefined();
    await done();
  });
});

/** The transcoder's output format RGBA32 (`cTFRGBA32`). */
const RGBA32 = 13;

describe("the KTX2 encoder", () => {
  it("flips the picture: row 0 of what the client transcodes is the picture's bottom, as with its WebP tiers", async () => {
    // Red on top, blue below.
    const size = 64;
    const rgba = new Uint8Array(size * size * 4);
    for (let i = 0; i < size * size; i++) rgba.set(i < (size * size) / 2 ? [255, 0, 0, 255] : [0, 0, 255, 255], i * 4);
    const ktx2 = await encodeKtx2({ width: size, height: size, rgba }, new AbortController().signal);
    const basis = await basisTranscoder();
    const file = new basis.KTX2File(ktx2);
    try {
      expect(file.startTranscoding()).toBe(1);
      const pixels = new Uint8Array(file.getImageTranscodedSizeInBytes(0, 0, 0, RGBA32));
      expect(file.transcodeImage(pixels, 0, 0, 0, RGBA32, 0, -1, -1)).toBe(1);
      const blue = ([r, , b]: Uint8Array) => b! > 200 && r! < 50;
      expect([blue(pixels.subarray(0, 4)), blue(pixels.subarray(pixels.length - 4))]).toEqual([true, false]);
    } finally {
      file.close();
      file.delete();
    }
  }, 30_000);
});
