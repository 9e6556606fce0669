import type { SessionResponse, TextureUploadResponse } from "@tessera/protocol";
import { COMPRESSED_TIERS, TEXTURE_TIERS, compressedTextureUrl, textureUrl, type TextureTier } from "@tessera/textures";
import { DEFAULT_UPLOAD_LIMITS } from "../../apps/relay/src/textures/upload-policy.ts";

/** Uploads a player may make at once: the benchmark takes a new player (session) for each so many. */
const UPLOADS_PER_PLAYER = DEFAULT_UPLOAD_LIMITS.burst;
/** Players uploading at once: the relay makes tiers from this many uploads at a time. */
const PLAYERS_AT_ONCE = DEFAULT_UPLOAD_LIMITS.atOnce;

/** A new guest session's token (sessions from this machine are not rate-limited). */
export async function newSession(origin: string): Promise<string> {
  const response = await fetch(`${origin}/api/session`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
  if (!response.ok) throw new Error(`POST /api/session: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as SessionResponse).token;
}

async function upload(origin: string, token: string, png: Buffer): Promise<TextureUploadResponse> {
  const response = await fetch(`${origin}/api/textures`, {
    method: "POST",
    headers: { "Content-Type": "image/png", Authorization: `Bearer ${token}` },
    body: new Uint8Array(png),
  });
  if (!response.ok) throw new Error(`POST /api/textures (${png.length} bytes): HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as TextureUploadResponse;
}

/**
 * Uploads PNG textures through `POST /api/textures`, a fresh player for each
 * {@link UPLOADS_PER_PLAYER} (within the per-player burst), {@link PLAYERS_AT_ONCE} players at a
 * time; answers in the order given. Throws if two images came out as one texture.
 */
export async function uploadTextures(origin: string, images: readonly Buffer[]): Promise<TextureUploadResponse[]> {
  const answers: TextureUploadResponse[] = new Array<TextureUploadResponse>(images.length);
  const groups: number[][] = [];
  for (let i = 0; i < images.length; i += UPLOADS_PER_PLAYER) groups.push(Array.from({ length: Math.min(UPLOADS_PER_PLAYER, images.length - i) }, (_, j) => i + j));
  let next = 0;
  const player = async () => {
    while (next < groups.length) {
      const group = groups[next++]!;
      const token = await newSession(origin);
      for (const i of group) answers[i] = await upload(origin, token, images[i]!);
    }
  };
  await Promise.all(Array.from({ length: PLAYERS_AT_ONCE }, player));
  const distinct = new Set(answers.map((answer) => answer.id));
  if (distinct.size !== images.length) throw new Error(`${images.length} images uploaded came out as ${distinct.size} textures: make them differ`);
  return answers;
}

/** Bytes of each tier image the relay serves for a texture. */
export type TierSizes = Record<TextureTier, number>;

/**
 * Fetches every tier of every texture once, as the relay serves them: their sizes, for the report,
 * and the relay's tier cache warm, so that every run is served from memory alike.
 */
export async function tierSizes(origin: string, ids: readonly string[]): Promise<Map<string, TierSizes>> {
  const sizes = new Map<string, TierSizes>();
  for (const id of ids) {
    const entry = {} as TierSizes;
    for (const tier of TEXTURE_TIERS) {
      const response = await fetch(`${origin}${textureUrl(id, tier)}`);
      if (!response.ok) throw new Error(`GET ${textureUrl(id, tier)}: HTTP ${response.status}`);
      const served = Number(response.headers.get("X-Texture-Tier") ?? tier);
      if (served !== tier) throw new Error(`GET ${textureUrl(id, tier)} served tier ${served}: a ${1024} px upload should have every tier`);
      entry[tier] = (await response.arrayBuffer()).byteLength;
    }
    sizes.set(id, entry);
  }
  return sizes;
}

/** Bytes of each compressed form (KTX2) the relay serves for a texture, by tier; 0 where it has none. */
export type CompressedSizes = Partial<Record<TextureTier, number>>;

/**
 * Waits until the relay has made the compressed form of every texture's large tiers (in the
 * background, after each upload), asking for each as a page would, and answers their sizes; throws
 * after `timeoutS`. The runs that use them then find them all there, as a world does later on.
 */
export async function compressedSizes(origin: string, ids: readonly string[], timeoutS: number): Promise<Map<string, CompressedSizes>> {
  const sizes = new Map<string, CompressedSizes>();
  const deadline = performance.now() + timeoutS * 1000;
  for (const id of ids) {
    const entry: CompressedSizes = {};
    for (const tier of COMPRESSED_TIERS) {
      for (;;) {
        const response = await fetch(`${origin}${compressedTextureUrl(id, tier)}`);
        if (response.ok) {
          entry[tier] = (await response.arrayBuffer()).byteLength;
          break;
        }
        const { error } = (await response.json()) as { error: string };
        if (error === "no_compressed_form") {
          entry[tier] = 0;
          break;
        }
        if (error !== "compressed_form_pending") throw new Error(`GET ${compressedTextureUrl(id, tier)}: HTTP ${response.status} ${error}`);
        if (performance.now() > deadline) throw new Error(`the relay had not made every compressed form after ${timeoutS} s`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    sizes.set(id, entry);
  }
  return sizes;
}
