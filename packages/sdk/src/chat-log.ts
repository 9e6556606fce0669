import { z } from "zod";
import { CHAT_BURST, CHAT_CHANNELS, CHAT_PER_SECOND, MAX_CHAT_CHARS, TokenBucket, chatMessageSchema, formatIssues, type ChatChannel, type ChatLine, type ChatMessage } from "@tessera/protocol";

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
 * The local chat a client heard, newest last, bounded, and its allowance of lines to say. A line
 * comes from the room that holds the own avatar; one that arrives twice (a handoff at the moment it
 * was said, with the line crossing between relays) is kept once.
 */
export class ChatLog {
  /** A line to say, checked as the relay checks it; throws with why. */
  static message(channel: ChatChannel, text: string): ChatMessage {
    const parsed = chatMessageSchema.safeParse({ channel, text });
    if (!parsed.success) throw new RangeError(formatIssues(parsed.error));
    return parsed.data;
  }

  /** The relay's allowance of lines, kept here too so that a line over it is refused at once, with why. */
  private readonly allowance = new TokenBucket(CHAT_PER_SECOND, CHAT_BURST, performance.now());
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

  /** Takes a line from the allowance; throws when it is spent. */
  spend(): void {
    if (!this.allowance.take(performance.now())) throw new RangeError(`at most ${CHAT_BURST} lines at once, then one every ${1 / CHAT_PER_SECOND} s: this line was not sent`);
  }

  /** Calls `listener` after each line kept; returns the way to stop. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
