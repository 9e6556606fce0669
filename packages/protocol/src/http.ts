import { z } from "zod";
import { guestNameSchema } from "./messages.ts";
import type { WorldConfig } from "./world-config.ts";

/** `POST /api/session` body: ask for a guest identity. */
export const sessionRequestSchema = z.object({ name: guestNameSchema.optional() }).strict();
export type SessionRequest = z.infer<typeof sessionRequestSchema>;

/**
 * `POST /api/session` answer. `token` goes into the SDK's `auth.token` for every room join; it
 * holds until `expiresAt` (ms since 1970), and `POST /api/session/renew` swaps it for a fresh one.
 */
export interface SessionResponse {
  playerId: string;
  name: string;
  token: string;
  expiresAt: number;
}

/** `POST /api/session/renew` answer (the old token in `Authorization: Bearer`): a fresh token of the same player. */
export interface RenewResponse {
  playerId: string;
  token: string;
  expiresAt: number;
}

/** `POST /api/admin/revoke` body: the player whose tokens stop working, at once and everywhere. */
export const revokeRequestSchema = z.object({ playerId: z.string().regex(/^[A-Za-z0-9_-]{12}$/, "playerId must be a player id (12 characters of A-Z a-z 0-9 _ -)") }).strict();
export type RevokeRequest = z.infer<typeof revokeRequestSchema>;

/** `GET /api/world` answer: the world's geometry and the rates both sides run at. */
export interface WorldInfo extends WorldConfig {
  version: string;
  /** Clients join every tile whose square lies within this many metres of their avatar. */
  viewRadius: number;
  tickRate: number;
  snapshotRate: number;
}

/** `GET /api/health` answer. */
export interface HealthResponse {
  ok: boolean;
  version: string;
  uptimeS: number;
  rooms: number;
  players: number;
}

/** One open tile as `GET /api/tiles` reports it. */
export interface TileReport {
  id: string;
  /** The relay process that runs the tile's room. */
  process: string;
  /** Avatars the tile is the authority for. */
  players: number;
  /** Connected clients: its own players and those who watch it from a neighbouring tile. */
  clients: number;
  prims: number;
  /** How long its recent simulation ticks took, snapshots included, ms. */
  tickMs: { p50: number; p99: number; max: number };
}

/** `GET /api/tiles` answer: every open tile of the world, by id. */
export interface TilesResponse {
  tiles: TileReport[];
}

/** `POST /api/tiles/<id>/open` answer: the tile's room is open (it may have been already). */
export interface OpenTileResponse {
  id: string;
  process: string;
}

/** `GET /api/avatars` answer: who this relay process's tile rooms hold, right now. */
export interface AvatarsResponse {
  process: string;
  /** The world tick when it was read. */
  tick: number;
  /** `frozen`: being handed to a neighbour (not moving; the neighbour may already hold it). */
  avatars: { id: string; tile: string; frozen: boolean }[];
}

/**
 * `POST /api/textures` answer (201 for a texture new to the world, 200 for one stored already): its
 * content id, its size (px) and the tiers (px) served at `/textures/<id>/<tier>`.
 */
export interface TextureUploadResponse {
  id: string;
  width: number;
  height: number;
  tiers: number[];
}

/** `GET /api/textures/library` answer: the default library's textures, each with the id its tiers are served under. */
export interface TextureLibraryResponse {
  textures: { name: string; label: string; id: string }[];
}

/** Error body of every refused HTTP request. */
export interface HttpError {
  error: string;
  message: string;
}
