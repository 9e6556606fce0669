import { createHash, timingSafeEqual } from "node:crypto";
import express, { type ErrorRequestHandler, type Request } from "express";
import {
  SNAPSHOT_RATE,
  TICK_RATE,
  formatIssues,
  parseTileId,
  revokeRequestSchema,
  sessionRequestSchema,
  type AvatarsResponse,
  type HealthResponse,
  type HttpError,
  type OpenTileResponse,
  type RenewResponse,
  type SessionResponse,
  type TileCoord,
  type TileReport,
  type TilesResponse,
  type WorldConfig,
  type WorldInfo,
} from "@tessera/protocol";
import { randomGuestName } from "../auth/guest-names.ts";
import type { Revocations } from "../auth/revocations.ts";
import type { GuestTokens } from "../auth/signer.ts";
import type { Logger } from "../log.ts";
import { BucketsByKey } from "../tiles/rate-limiter.ts";

export interface ApiDeps {
  version: string;
  world: WorldConfig;
  tokens: GuestTokens;
  startedAt: number;
  /** Rooms and connected players on this relay. */
  load: () => { rooms: number; players: number };
  /** Whether the relay has opened what clients join first; until then every request gets 503. */
  ready: () => boolean;
  /** Clients join every tile within this many metres of their avatar. */
  viewRadius: number;
  /** Every open tile of the world. */
  tiles: () => Promise<TileReport[]>;
  /** The avatars held by this process's tile rooms. */
  avatars: () => AvatarsResponse;
  /** Opens a tile's room unless it is open; rejects with a RangeError for a tile off the grid. */
  openTile: (tile: TileCoord) => Promise<{ id: string; processId: string }>;
  revocations: Revocations;
  log: Logger;
  /** The operator API's bearer token; without it there is no operator API. */
  adminToken?: string;
}

/**
 * New guest sessions per client address: a burst of 10, then one every 6 s. Clients on this
 * machine (tests, bots, the dev server) are trusted; behind a local reverse proxy the limit
 * applies to the forwarded address.
 */
const SESSIONS_PER_SECOND = 1 / 6;
const SESSION_BURST = 10;
const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

const refuse = (error: string, message: string): HttpError => ({ error, message });

/** The bearer token of a request's Authorization header. */
function bearer(req: Request): string | undefined {
  const match = /^Bearer ([\x21-\x7e]{1,256})$/.exec(req.headers.authorization ?? "");
  return match?.[1];
}

/** Compares secrets in constant time, whatever their lengths. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The relay's JSON API under /api. Every refusal is `{ error, message }` with a 4xx status. */
export function apiRouter(deps: ApiDeps): express.Router {
  const router = express.Router();
  const sessionBuckets = new BucketsByKey(SESSIONS_PER_SECOND, SESSION_BURST);

  router.use((_req, res, next) => {
    if (deps.ready()) return next();
    res.status(503).json(refuse("starting", "the relay is still opening its tiles; try again in a moment"));
  });

  router.get("/health", (_req, res) => {
    const body: HealthResponse = {
      ok: true,
      version: deps.version,
      uptimeS: Math.round((Date.now() - deps.startedAt) / 1000),
      ...deps.load(),
    };
    res.json(body);
  });

  router.get("/world", (_req, res) => {
    const body: WorldInfo = { ...deps.world, version: deps.version, viewRadius: deps.viewRadius, tickRate: TICK_RATE, snapshotRate: SNAPSHOT_RATE };
    res.json(body);
  });

  router.get("/tiles", async (_req, res) => {
    const body: TilesResponse = { tiles: await deps.tiles() };
    res.json(body);
  });

  router.get("/avatars", (_req, res) => {
    res.json(deps.avatars());
  });

  // Idempotent: a client opens the tiles it is about to join; whichever relay gets it, one room results.
  router.post("/tiles/:id/open", async (req: Request<{ id: string }>, res) => {
    const tile = parseTileId(req.params.id);
    if (!tile) {
      res.status(404).json(refuse("not_found", `${req.params.id} is not a tile id (tile_<tx>_<tz>)`));
      return;
    }
    try {
      const { id, processId } = await deps.openTile(tile);
      const body: OpenTileResponse = { id, process: processId };
      res.json(body);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      res.status(404).json(refuse("not_found", error.message));
    }
  });

  // Bodies are read, bounded and parsed at the HTTP edge (http/edge.ts): `req.body` is JSON here.
  router.post("/session", (req: Request, res) => {
    const address = req.ip ?? "unknown";
    if (!LOOPBACK.has(address) && !sessionBuckets.take(address, performance.now())) {
      res.status(429).json(refuse("rate_limited", "too many new sessions from this address; reuse the token you have"));
      return;
    }
    const parsed = sessionRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json(refuse("bad_request", formatIssues(parsed.error)));
      return;
    }
    const { playerId, token, expiresAt } = deps.tokens.issue();
    const body: SessionResponse = { playerId, token, expiresAt, name: parsed.data.name ?? randomGuestName() };
    res.status(201).json(body);
  });

  // A token in use is swapped for a fresh one of the same player before it expires.
  router.post("/session/renew", (req: Request, res) => {
    const check = deps.tokens.check(bearer(req));
    if (!check.ok) {
      res.status(check.problem === "revoked" ? 403 : 401).json(refuse(check.problem === "invalid" ? "unauthorized" : check.problem, check.message));
      return;
    }
    const { playerId, token, expiresAt } = deps.tokens.issue(check.playerId);
    const body: RenewResponse = { playerId, token, expiresAt };
    res.json(body);
  });

  router.use("/admin", (req, res, next) => {
    if (!deps.adminToken) {
      res.status(404).json(refuse("not_found", "the operator API is off: start the relay with ADMIN_TOKEN to use it"));
      return;
    }
    const given = bearer(req);
    if (given === undefined || !sameSecret(given, deps.adminToken)) {
      res.status(401).json(refuse("unauthorized", "the operator API needs Authorization: Bearer <ADMIN_TOKEN>"));
      return;
    }
    next();
  });

  router.get("/admin/revoked", (_req, res) => {
    res.json({ players: deps.revocations.list() });
  });

  // Revoking a player closes its sessions on every relay and refuses its tokens from now on.
  router.post("/admin/revoke", async (req: Request, res) => {
    const parsed = revokeRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json(refuse("bad_request", formatIssues(parsed.error)));
      return;
    }
    await deps.revocations.revoke(parsed.data.playerId);
    res.json({ playerId: parsed.data.playerId, revoked: true });
  });

  router.use((req, res) => {
    res.status(404).json(refuse("not_found", `no such endpoint: ${req.method} ${req.baseUrl}${req.path}`));
  });

  const onError: ErrorRequestHandler = (error: { status?: number; message?: string; stack?: string }, req, res, _next) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) deps.log.error(`${req.method} ${req.originalUrl}: ${error.stack ?? error.message}`);
    const message = status === 500 ? "internal error" : (error.message ?? "bad request");
    res.status(status).json(refuse(status === 500 ? "internal" : "bad_request", message));
  };
  router.use(onError);
  return router;
}
