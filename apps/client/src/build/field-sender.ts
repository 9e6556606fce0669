import type { EditOp } from "@tessera/protocol";
import type { WorldClient } from "@tessera/sdk";
import type { BuildNotice } from "./build-notice.ts";

/** A slider sends its value this often at most while it moves, ms. */
const SEND_MS = 100;

/**
 * Sends the panel's changes: each field's at most every {@link SEND_MS} while a slider moves (the
 * last value always goes), and a run of changes to one field of one prim as one undo step.
 */
export class FieldSender {
  private readonly client: WorldClient;
  private readonly notice: BuildNotice;
  private readonly waiting = new Map<string, { ops: EditOp[]; timer: ReturnType<typeof setTimeout> }>();
  private readonly sentAt = new Map<string, number>();
  private lastKey: string | undefined;
  private run = 0;

  constructor(client: WorldClient, notice: BuildNotice) {
    this.client = client;
    this.notice = notice;
  }

  /**
   * Sends `ops` for the field named `key` (for example "hollow@12"); `sliding` while a slider moves,
   * so that the whole slide is one undo step.
   */
  send(key: string, ops: EditOp[], sliding = false): void {
    const waiting = this.waiting.get(key);
    if (waiting) {
      waiting.ops = ops;
      return;
    }
    const wait = SEND_MS - (performance.now() - (this.sentAt.get(key) ?? -Infinity));
    if (wait <= 0) return this.flush(key, ops, sliding);
    this.waiting.set(key, { ops, timer: setTimeout(() => this.flush(key, this.waiting.get(key)!.ops, sliding), wait) });
  }

  dispose(): void {
    for (const { timer } of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
  }

  private flush(key: string, ops: EditOp[], sliding: boolean): void {
    this.waiting.delete(key);
    this.sentAt.set(key, performance.now());
    if (!sliding || this.lastKey !== key) this.run++;
    this.lastKey = key;
    this.client.editAll(ops, { squash: `field-${this.run}-${key}` }).catch((error: unknown) => this.notice.refused(error));
  }
}
