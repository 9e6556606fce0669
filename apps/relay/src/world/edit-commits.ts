import type { EditRecord, WorldStore } from "@tessera/store";

/** Most edits one transaction holds. */
const MAX_GROUP = 2000;

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
  /** Edits committed and groups, for the figures. */
  committed = 0;
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
    const group = this.waiting.splice(0, MAX_GROUP);
    try {
      await this.store.commit(group.map((w) => w.record));
      this.committed += group.length;
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
