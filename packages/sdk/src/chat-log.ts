import { z } from "zod";
import { CHAT_CHANNELS, MAX_CHAT_CHARS, type ChatLine } from "@tessera/protocol";

/** Lines kept, newest last: a panel's scrollback. */
export const CHAT_LOG_LINES = 200;

const finite = z.number().finite();
/** A line as the relay sends it; anything else is dropped. */
const chatLineSchema = z.object({
  channel: z.enum(CHAT_CHANNELS),
  speaker: z.object({ id: z.string().min(1).max(64), name: z.string().min(1).max(64) }),
  text: z.string().min(1).max(MAX_CHAT_CHARS),
  at: z.object({ x: finite, y: finite, z: finite }),
  sentAt: finite,
});

/**
 * The local chat a client heard, newest last, bounded. A line comes from the room that holds the
 * own avatar; one that arrives twice (a handoff at the moment it was said, with the line crossing
 * between relays) is kept once.
 */
export class ChatLog {
  private readonly kept: ChatLine[] = [];
  private readonly keys = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private versionValue = 0;

  /** Counts lines heard: a new value means {@link lines} has more. */
  get version(): number {
    return this.versionValue;
  }

  /** The lines kept, oldest first. */
  lines(): readonly ChatLine[] {
    return this.kept;
  }

  /** A line from the relay: kept unless malformed or heard already. */
  receive(message: unknown): void {
    const parsed = chatLineSchema.safeParse(message);
    if (!parsed.success) return;
    const line = parsed.data;
    const key = `${line.speaker.id}|${line.sentAt}|${line.channel}|${line.text}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.kept.push(line);
    if (this.kept.length > CHAT_LOG_LINES) {
      const gone = this.kept.shift()!;
      this.keys.delete(`${gone.speaker.id}|${gone.sentAt}|${gone.channel}|${gone.text}`);
    }
    this.versionValue++;
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` after each line kept; returns the way to stop. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
