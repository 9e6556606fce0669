import { z } from "zod";
import { guestNameSchema } from "./messages.ts";
import type { WorldConfig } from "./world-config.ts";

/** `POST /api/session` body: ask for a guest identity. */
export const sessionRequestSchema = z.object({ name: guestNameSchema.optional() }).strict();
export type SessionRequest = z.infer<typeof sessionRequestSchema>;

/** `POST /api/session` answer. `token` goes into the SDK's `auth.token` for every room join. */
export interface SessionResponse {
  playerId: string;
  name: string;
  token: string;
}

/** `GET /api/world` answer: the world's geometry and the rates both sides run at. */
export interface WorldInfo extends WorldConfig {
  version: string;
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

/** Error body of every refused HTTP request. */
export interface HttpError {
  error: string;
  message: string;
}
