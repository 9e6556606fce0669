import { z } from "zod";
import { tilesWithin } from "./border.ts";
import type { GridSize, TileCoord } from "./tile.ts";

/**
 * Local chat as in Second Life: a line is heard by every avatar within its channel's range of the
 * speaker, whatever tile (and relay) each stands in. The speaker's tile room sends the line to
 * every tile whose square lies within range ({@link chatTiles}); each of those rooms hands it to the
 * avatars it holds that {@link hears} it, so every listener gets it once, from the room of its own avatar.
 */
export const CHAT_CHANNELS = ["whisper", "say", "shout"] as const;
export type ChatChannel = (typeof CHAT_CHANNELS)[number];

/** How far each channel carries, metres (Second Life's whisper, say and shout). */
export const CHAT_RANGE: Readonly<Record<ChatChannel, number>> = { whisper: 10, say: 20, shout: 100 };

/** Lines a player may say at once, and how many a second after that: a conversation, not a flood (the relay holds to it; the SDK, too, to say why at once). */
export const CHAT_BURST = 5;
export const CHAT_PER_SECOND = 0.5;

/** Characters a line holds at most (after trimming): a paragraph, as Second Life's 1,024 bytes. */
export const MAX_CHAT_CHARS = 512;

/** Control characters, and the invisible ones that reorder or hide text (bidi overrides, zero-width): a line is one visible run of text. */
const HIDDEN = /[\p{Cc}\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/u;

/**
 * A line of chat as a player sends it: trimmed, NFC, 1-{@link MAX_CHAT_CHARS} characters, no
 * control or invisible characters. Shown as text, never as HTML, however it reads.
 */
export const chatTextSchema = z
  .string()
  .trim()
  .normalize("NFC")
  .min(1, { message: "a chat line must not be empty", abort: true })
  .max(MAX_CHAT_CHARS, { message: `a chat line is at most ${MAX_CHAT_CHARS} characters`, abort: true })
  .refine((text) => !HIDDEN.test(text), "a chat line may not hold control or invisible characters");

/** `chat` message (client -> relay): a line said on a channel where the speaker's avatar stands. */
export const chatMessageSchema = z.object({ channel: z.enum(CHAT_CHANNELS), text: chatTextSchema }).strict();
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** A point in the world, metres. */
export interface ChatPoint {
  x: number;
  y: number;
  z: number;
}

/** A line as listeners get it: who said it, on which channel, from where, and when (ms since 1970). */
export interface ChatLine {
  channel: ChatChannel;
  speaker: { id: string; name: string };
  text: string;
  at: ChatPoint;
  sentAt: number;
}

/** Whether a listener at `listener` hears a line said on `channel` at `speaker`: within its range, in three dimensions. */
export function hears(listener: ChatPoint, speaker: ChatPoint, channel: ChatChannel): boolean {
  return Math.hypot(listener.x - speaker.x, listener.y - speaker.y, listener.z - speaker.z) <= CHAT_RANGE[channel];
}

/**
 * The tiles of the grid whose square lies within range of a line said at (x, z): the rooms that
 * may hold avatars that hear it (nearest first; none beyond the grid's edge).
 */
export function chatTiles(at: ChatPoint, channel: ChatChannel, tileSize: number, grid: GridSize): TileCoord[] {
  return tilesWithin(at.x, at.z, CHAT_RANGE[channel], tileSize, grid);
}
