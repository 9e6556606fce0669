import { z } from "zod";
import { nameProblem } from "./names.ts";
import { MAX_RESUME_TOKEN } from "./resume.ts";

/** Simulation ticks per second on relay and client alike: one input drives one tick. */
export const TICK_RATE = 30;
/** Seconds per simulation tick. */
export const TICK_DT = 1 / TICK_RATE;

/**
 * Tick 0 of the world's clock. Every tile room numbers its ticks from here by the wall clock, so
 * that snapshots from different rooms and processes share one timeline and a client can follow an
 * avatar from one room's snapshots into the next's. (A u32 tick lasts 4.5 years from here.)
 */
export const WORLD_EPOCH_MS = Date.UTC(2026, 0, 1);

/** The world tick at wall-clock time `ms` (ms since 1970). */
export function worldTickAt(ms: number): number {
  return Math.floor(((ms - WORLD_EPOCH_MS) * TICK_RATE) / 1000);
}

/** Motion snapshots per second a tile room sends each client. */
export const SNAPSHOT_RATE = 15;

/** Name of the Colyseus room type; every tile is one room of this type, id `tile_<tx>_<tz>`. */
export const TILE_ROOM = "tile";

/** Input buttons, one bit each, as sent in {@link InputMessage.keys}. */
export const Keys = {
  Forward: 1,
  Back: 2,
  Left: 4,
  Right: 8,
  Run: 16,
  Jump: 32,
} as const;
export const ALL_KEYS = 0b11_1111;

/** Client -> relay message types. */
export const ClientMessage = {
  /** One simulation tick of player input: {@link InputMessage}. */
  Input: "input",
  /** A batch of prim edits: `EditMessage` (edit.ts). */
  Edit: "edit",
  /** The prims of a tile the player has selected: `SelectMessage` (selection.ts). */
  Select: "select",
  /** A line of local chat, to the room of the own avatar: `ChatMessage` (chat.ts). */
  Chat: "chat",
} as const;

/** Relay -> client message types. */
export const RelayMessage = {
  /** Binary motion snapshot: see `snapshot.ts`. */
  Snapshot: "snap",
  /** Binary prim records: see `prim-stream.ts`. */
  Prims: "prims",
  /** A request was refused: {@link ErrorMessage}. Nothing changed. */
  Error: "error",
  /** Where the own avatar stands, vouched for by the relay: {@link ResumeMessage}. */
  Resume: "resume",
  /** The answer to an `edit`: `EditResult` (edit.ts). */
  Edited: "edited",
  /** A player's selection in the tile changed: `SelectedMessage` (selection.ts). */
  Selected: "selected",
  /** Whether the player may build in the tile, on joining and when operators change it: {@link RightsMessage}. */
  Rights: "rights",
  /** A line of local chat the own avatar hears, from the room that holds it: `ChatLine` (chat.ts). */
  Chat: "chat",
} as const;

/** `resume` message: a token to enter the world again where the avatar stood (see `resume.ts`). */
export interface ResumeMessage {
  token: string;
}

export const MAX_SEQ = 0xffff_ffff;

/** WebSocket close codes a tile room uses besides Colyseus's own. */
export const TileCloseCode = {
  /** The same player joined again (another tab or device); this session is over. */
  Replaced: 4100,
  /** An operator revoked the player; its token proves nothing any more. */
  Revoked: 4101,
} as const;

/** Ticks of input one `input` message carries at most: the newest and the three before it. */
export const MAX_INPUT_TICKS = 4;

const tickInputSchema = z.tuple([
  /** Keys held, {@link Keys} bits. */
  z.number().int().min(0).max(ALL_KEYS),
  /** The heading "forward" means (the camera's), radians, 0 = +z. */
  z.number().min(-Math.PI).max(Math.PI),
]);
/** One tick of input: `[keys, yaw]`. */
export type TickInput = z.infer<typeof tickInputSchema>;

/**
 * Input for the newest tick, numbered `seq`, and for the ticks just before it, so that a lost
 * message loses no input: `ticks[i]` is tick `seq - (ticks.length - 1 - i)`. Seqs count up by one
 * per tick from 1; the relay simulates each tick once, in order, and acknowledges the last one.
 */
export const inputMessageSchema = z
  .object({
    seq: z.number().int().min(1).max(MAX_SEQ),
    ticks: z.array(tickInputSchema).min(1).max(MAX_INPUT_TICKS),
  })
  .strict()
  .refine((input) => input.seq >= input.ticks.length, { message: "ticks reach back before seq 1", path: ["ticks"] });
export type InputMessage = z.infer<typeof inputMessageSchema>;

export const ErrorCode = {
  /** The payload did not match the message's schema (shape, type, range, finite numbers, size). */
  BadMessage: "bad_message",
  /** No such message type. */
  UnknownMessage: "unknown_message",
  /** The client sends faster than its allowance; the excess is dropped. */
  RateLimited: "rate_limited",
  /** Too many inputs are waiting to be simulated; the excess is dropped. */
  InputOverflow: "input_overflow",
  /** An input's seq did not follow the last accepted one. */
  StaleInput: "stale_input",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorMessage {
  code: ErrorCode;
  /** What was wrong and what to do, for people. */
  message: string;
  /** The message type that was refused, when there was one. */
  type?: string;
}

/**
 * A guest's display name: 1-24 letters (with their accents), digits, single spaces, `.`, `_` or
 * `-`, trimmed and NFC-normalised, that cannot pass for another name: no invisible characters, no
 * compatibility forms (fullwidth, ligatures), one script, no Cyrillic or Greek dressed as Latin.
 * See `names.ts`. Each refusal says what was wrong.
 */
export const guestNameSchema = z
  .string()
  .trim()
  .normalize("NFC")
  // Aborting spares the character checks an empty or oversized string.
  .min(1, { message: "name must not be empty", abort: true })
  .max(24, { message: "name must be at most 24 characters", abort: true })
  .superRefine((name, ctx) => {
    const problem = nameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** Options a client passes when it joins a tile room. */
export const joinOptionsSchema = z
  .object({
    name: guestNameSchema.optional(),
    /** Enter the world here: the tile gets the player's avatar (taken from wherever it was). Without it the client only watches the tile. */
    enter: z.boolean().optional(),
    /** With `enter`: a `resume` token from the relay; the avatar stands where the token says (in this tile) instead of at the spawn point. */
    resume: z.string().max(MAX_RESUME_TOKEN).optional(),
  })
  .strict();
export type JoinOptions = z.infer<typeof joinOptionsSchema>;

/** `rights` (relay -> client): whether the player may make and change prims standing in this tile. */
export interface RightsMessage {
  build: boolean;
}
