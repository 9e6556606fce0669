import express, { type ErrorRequestHandler, type Request, type Response } from "express";
import { LIBRARY, TEXTURE_ID, TEXTURE_TIERS } from "@tessera/textures";
import type { HttpError, TextureLibraryResponse, TextureUploadResponse } from "@tessera/protocol";
import type { WorldStore } from "@tessera/store";
import type { GuestTokens } from "../auth/signer.ts";
import { Refusal } from "../http/edge.ts";
import type { Logger } from "../log.ts";
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
}

/** A tier's URL names its content: browsers and CDNs may keep the answer for a year without asking again. */
const IMMUTABLE = "public, max-age=31536000, immutable";

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
const URL_SHAPE = `a texture URL is /textures/<id>/<tier>, the tier one of ${TEXTURE_TIERS.join(", ")}`;

const notFound = (res: Response, message: string) => {
  const body: HttpError = { error: "not_found", message };
  res.status(404).setHeader("Cache-Control", "no-store").json(body);
};

/**
 * Textures over HTTP: `POST /api/textures` takes an image (validated, made into tiers, stored once by
 * content), `GET /api/textures/library` lists the default library, and `GET /textures/<id>/<tier>`
 * serves a tier under a URL that never changes what it names. Mounted before the API's catch-all.
 */
export function textureRouter(deps: TextureRouteDeps): express.Router {
  const { store, tokens, log } = deps;
  const limits = { ...DEFAULT_UPLOAD_LIMITS, ...deps.limits };
  const policy = new UploadPolicy(store, limits);
  const slots = new WorkSlots(limits.atOnce);
  const source = new TierSource(store, new LibraryTextures(store, log));
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

  router.get("/textures/:id/:tier", async (req: Request<{ id: string; tier: string }>, res) => {
    const { id } = req.params;
    const tier = TEXTURE_TIERS.find((candidate) => String(candidate) === req.params.tier);
    if (!TEXTURE_ID.test(id) || tier === undefined) return notFound(res, URL_SHAPE);
    const served = await source.read(id, tier);
    if (!served) return notFound(res, `no texture ${id}: upload it with POST /api/textures`);
    const etag = `"${id}-${served.tier}"`;
    res.setHeader("Cache-Control", IMMUTABLE);
    res.setHeader("ETag", etag);
    res.setHeader("X-Texture-Tier", String(served.tier));
    if (matches(req.headers["if-none-match"], etag)) {
      res.status(304).end();
      return;
    }
    res.setHeader("Content-Type", "image/webp");
    res.setHeader("Content-Length", served.bytes.length);
    res.status(200).end(served.bytes);
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
