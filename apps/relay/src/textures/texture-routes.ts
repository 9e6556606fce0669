import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import express, { type ErrorRequestHandler, type Request, type Response } from "express";
import { COMPRESSED_TIERS, GPU_FORMS, LIBRARY, TEXTURE_ID, TEXTURE_TIERS, textureUrl, type GpuForm, type TextureTier } from "@tessera/textures";
import type { HttpError, TextureLibraryResponse, TextureUploadResponse } from "@tessera/protocol";
import type { TextureTierImage, WorldStore } from "@tessera/store";
import type { GuestTokens } from "../auth/signer.ts";
import { Refusal } from "../http/edge.ts";
import type { Logger } from "../log.ts";
import { CompressedForms } from "./compressed-forms.ts";
import { checkImage } from "./image-check.ts";
import { LibraryTextures } from "./library-textures.ts";
import { makeTiers } from "./texture-tiers.ts";
import { TierSource } from "./tier-source.ts";
import { DEFAULT_UPLOAD_LIMITS, UploadPolicy, type UploadLimits } from "./upload-policy.ts";
import { WorkSlots } from "./work-slots.ts";

export interface TextureRouteDeps {
  store: WorldStore;
  tokens: GuestTokens;
  log: Logger;
  /** Rates and quotas ({@link DEFAULT_UPLOAD_LIMITS} by default). */
  limits?: Partial<UploadLimits>;
  /** Aborts when the relay stops: compressed forms still to make are dropped. */
  signal?: AbortSignal;
}

const gunzipped = promisify(gunzip);

/** A tier's URL names its content: browsers and CDNs may keep the answer for a year without asking again. */
const IMMUTABLE = "public, max-age=31536000, immutable";

/** When to ask again for a compressed form being made (s): a tier takes a few seconds to compress. */
const RETRY_PENDING_S = 5;

/** The player a request's `Authorization: Bearer <token>` proves, or a {@link Refusal}. */
function playerOf(req: Request, tokens: GuestTokens): string {
  const token = /^Bearer ([\x21-\x7e]{1,256})$/.exec(req.headers.authorization ?? "")?.[1];
  const check = tokens.check(token);
  if (!check.ok) throw new Refusal(check.problem === "revoked" ? 403 : 401, check.problem === "invalid" ? "unauthorized" : check.problem, check.message);
  return check.playerId;
}

/** Whether an If-None-Match header names `etag` (or any: `*`); weak and strong tags compare alike, as RFC 9110 says for it. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(",").some((tag) => {
    const trimmed = tag.trim();
    return trimmed === "*" || trimmed.replace(/^W\//, "") === etag;
  });
}

/** What a texture URL looks like, for a request that is not one. */
const URL_SHAPE = `a texture URL is /textures/<id>/<tier> (WebP) or /textures/<id>/<tier>.<form> (compressed: ${["ktx2", ...GPU_FORMS].join(", ")}), the tier one of ${TEXTURE_TIERS.join(", ")}`;

/** What a compressed form's URL serves: the KTX2 file, or its levels in a GPU's block format. */
const FORM_TYPES: Record<GpuForm | "ktx2", string> = { ktx2: "image/ktx2", bc1: "application/octet-stream", etc2: "application/octet-stream" };
const isForm = (form: string): form is GpuForm | "ktx2" => Object.hasOwn(FORM_TYPES, form);

/** A 404 no one may keep: what it says changes (a texture is uploaded, a compressed form made). */
const notFound = (res: Response, message: string, error = "not_found") => {
  const body: HttpError = { error, message };
  res.status(404).setHeader("Cache-Control", "no-store").json(body);
};

const noTexture = (id: string) => `no texture ${id}: upload it with POST /api/textures`;

/** The texture and tier a texture URL names; undefined for what is not one. */
function named(params: { id: string; tier: string }): { id: string; tier: TextureTier } | undefined {
  const tier = TEXTURE_TIERS.find((candidate) => String(candidate) === params.tier);
  return TEXTURE_ID.test(params.id) && tier !== undefined ? { id: params.id, tier } : undefined;
}

/**
 * Answers `image` under an immutable URL: cacheable for good, `etag` strong, 304 when the client
 * holds it. A `gzipped` image goes as it is to a client that takes gzip, unzipped to one that does not.
 */
async function sendImmutable(req: Request, res: Response, image: TextureTierImage, etag: string, contentType: string, gzipped = false): Promise<void> {
  res.setHeader("Cache-Control", IMMUTABLE);
  res.setHeader("ETag", etag);
  res.setHeader("X-Texture-Tier", String(image.tier));
  if (gzipped) res.setHeader("Vary", "Accept-Encoding");
  if (matches(req.headers["if-none-match"], etag)) {
    res.status(304).end();
    return;
  }
  let { bytes } = image;
  if (gzipped && req.acceptsEncodings("gzip") === "gzip") res.setHeader("Content-Encoding", "gzip");
  else if (gzipped) bytes = await gunzipped(bytes);
  res.setHeader("Content-Type", contentType);
  res.setHeader("Content-Length", bytes.length);
  res.status(200).end(bytes);
}

/**
 * Textures over HTTP: `POST /api/textures` takes an image (validated, made into tiers, stored once by
 * content), `GET /api/textures/library` lists the default library, `GET /textures/<id>/<tier>`
 * serves a tier under a URL that never changes what it names, and `GET /textures/<id>/<tier>.ktx2`
 * its GPU-compressed form once made (`.bc1`, `.etc2`: transcoded for a GPU). Mounted before the API's catch-all.
 */
export function textureRouter(deps: TextureRouteDeps): express.Router {
  const { store, tokens, log } = deps;
  const limits = { ...DEFAULT_UPLOAD_LIMITS, ...deps.limits };
  const policy = new UploadPolicy(store, limits);
  const slots = new WorkSlots(limits.atOnce);
  const source = new TierSource(store, new LibraryTextures(store, log));
  const compressed = new CompressedForms(store, source, log, deps.signal ?? new AbortController().signal);
  const router = express.Router();

  // The body is the image's bytes (a Buffer, read and bounded at the HTTP edge).
  router.post("/api/textures", async (req: Request, res) => {
    let player: string | undefined;
    try {
      player = playerOf(req, tokens);
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      await policy.admit(player, bytes.length, performance.now());
      const made = await slots.run(async () => makeTiers(await checkImage(bytes, req.headers["content-type"])));
      const { id, width, height } = made;
      const added = await store.putTexture({ id, width, height }, made.tiers, { player, bytes: bytes.length });
      const body: TextureUploadResponse = { id, width, height, tiers: made.tiers.map(({ tier }) => tier) };
      res.status(added ? 201 : 200).json(body);
      // In the background, after the answer (compressing takes seconds a tier), the smaller tier first.
      void (async () => {
        for (const { tier } of made.tiers) if (COMPRESSED_TIERS.includes(tier)) await compressed.ensure(id, tier);
      })();
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      log.refusal(`POST /api/textures from ${player ?? req.ip ?? "?"}: ${error.message}`);
      res.status(error.status).json(error.body);
    }
  });

  router.get("/api/textures/library", (_req, res) => {
    const body: TextureLibraryResponse = { textures: [...LIBRARY] };
    res.json(body);
  });

  // Before the WebP route, which would take "512.ktx2" for its tier (and refuse it).
  router.get("/textures/:id/:tier.:form", async (req: Request<{ id: string; tier: string; form: string }>, res) => {
    const asked = named(req.params);
    const { form } = req.params;
    if (!asked || !isForm(form)) return notFound(res, URL_SHAPE);
    const { id } = asked;
    // The tier the WebP route serves for this URL: a texture's compressed tiers are its WebP tiers.
    const served = await source.read(id, asked.tier);
    if (!served) return notFound(res, noTexture(id));
    const none = (why: string) => notFound(res, `texture ${id} has no compressed form at ${served.tier} px (${why}): use its WebP tier, ${textureUrl(id, asked.tier)}`, "no_compressed_form");
    const tier = COMPRESSED_TIERS.find((candidate) => candidate === served.tier);
    if (tier === undefined) return none(`only tiers of ${COMPRESSED_TIERS.join(" and ")} px have one`);
    const made = await (form === "ktx2" ? source.compressed(id, tier) : source.gpuForm(id, tier, form));
    if (made) return sendImmutable(req, res, made, `"${id}-${tier}-${form}"`, FORM_TYPES[form], form !== "ktx2");
    const state = await compressed.ensure(id, tier);
    if (state === "see-through") return none("it is see-through, and only opaque textures have one");
    if (state === "failed") return none("it could not be made");
    res.setHeader("Retry-After", String(RETRY_PENDING_S));
    notFound(res, `the compressed form of texture ${id} at ${served.tier} px is being made: ask again in ${RETRY_PENDING_S} s, or use its WebP tier meanwhile`, "compressed_form_pending");
  });

  router.get("/textures/:id/:tier", async (req: Request<{ id: string; tier: string }>, res) => {
    const asked = named(req.params);
    if (!asked) return notFound(res, URL_SHAPE);
    const served = await source.read(asked.id, asked.tier);
    if (!served) return notFound(res, noTexture(asked.id));
    await sendImmutable(req, res, served, `"${asked.id}-${served.tier}"`, "image/webp");
  });

  router.use("/textures", (_req, res) => notFound(res, URL_SHAPE));

  const onError: ErrorRequestHandler = (error: { stack?: string; message?: string }, req, res, _next) => {
    log.error(`${req.method} ${req.originalUrl}: ${error.stack ?? error.message}`);
    const body: HttpError = { error: "internal", message: "internal error" };
    res.status(500).setHeader("Cache-Control", "no-store").json(body);
  };
  router.use(onError);
  return router;
}
