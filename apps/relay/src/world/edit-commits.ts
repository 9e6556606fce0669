import type { EditRecord, WorldStore } from "@tessera/store";

/** Prims (written or deleted) one transaction holds at most, past its first edit: a commit holds up the process's event loop for a few ms at most. */
const MAX_GROUP_PRIMS = 4000;

interface Waiting {
  record: EditRecord;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Commits the edits of every tile of this process in groups: everything submitted while the last
 * commit was under way (a tick's edits, or more under load) goes in one transaction, so that
 * durability costs one commit per group instead of one per edit. One commit at a time, in order.
 * A commit that fails refuses its group and every edit waiting behind it: those were applied on top
 * of the failed ones, and their tiles take them all back.
 */
export class EditCommits {
  private waiting: Waiting[] = [];
  private committing = false;
  private scheduled = false;
  private readonly store: WorldStore;
  /** Groups committed (bench/edits reads it). */
  groups = 0;

  constructor(store: WorldStore) {
    this.store = store;
  }

  /** Resolves once the edit is committed; rejects when its commit failed. */
  submit(record: EditRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ record, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything submitted so far is settled. */
  async drain(): Promise<void> {
    while (this.committing || this.waiting.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  private schedule(): void {
    if (this.scheduled || this.committing) return;
    this.scheduled = true;
    // After the current batch of messages: a tick's edits arrive together.
    setImmediate(() => {
      this.scheduled = false;
      void this.commitNext();
    });
  }

  private async commitNext(): Promise<void> {
    if (this.committing || this.waiting.length === 0) return;
    this.committing = true;
    let size = 0;
    let count = 0;
    while (count < this.waiting.length && (count === 0 || size < MAX_GROUP_PRIMS)) {
      const { record } = this.waiting[count++]!;
      size += record.put.length + record.deleted.length;
    }
    const group = this.waiting.splice(0, count);
    try {
      await this.store.commit(group.map((w) => w.record));
      this.groups++;
      for (const w of group) w.resolve();
    } catch (error) {
      const failed = [...group, ...this.waiting.splice(0)];
      for (const w of failed) w.reject(error as Error);
    } finally {
      this.committing = false;
      if (this.waiting.length > 0) this.schedule();
    }
  }
}
