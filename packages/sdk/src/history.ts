import { isEmptyDiff, reverseDiff, squashDiffs, type PrimDiff } from "@tessera/prims";
import { EditRefusalCode, opsForDiff, type EditOp } from "@tessera/protocol";
import { EditError } from "./edits.ts";

/** Steps kept for undo, at most. */
const MAX_STEPS = 200;

interface Step {
  diff: PrimDiff;
  /** Edits recorded under the same key one after the other are one step (a drag). */
  squash: string | undefined;
}

/**
 * The player's own edits as undo and redo stacks (tldraw's history): each step is a diff; undo sends
 * its reverse, on the condition that the prims still hold what the step left them as, so an undo
 * never overwrites someone else's later change (the relay refuses it as a conflict, and the step is
 * dropped). Edits recorded under one squash key in a row are one step: a drag of many moves undoes
 * in one go. Other players' edits never enter it.
 */
export class EditHistory {
  private readonly undos: Step[] = [];
  private readonly redos: Step[] = [];
  /** Undos and redos go one at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();

  get undoDepth(): number {
    return this.undos.length;
  }

  get redoDepth(): number {
    return this.redos.length;
  }

  /** An edit of the player's was acknowledged: a new step, or part of the last one if `squash` names it. */
  record(diff: PrimDiff, squash?: string): void {
    if (isEmptyDiff(diff)) return;
    const last = this.undos.at(-1);
    if (squash !== undefined && last?.squash === squash) last.diff = squashDiffs([last.diff, diff]);
    else this.undos.push({ diff, squash });
    if (this.undos.length > MAX_STEPS) this.undos.shift();
    this.redos.length = 0;
  }

  /** Undoes the last step through `apply`; false when there is none. */
  undo(apply: (ops: EditOp[]) => Promise<unknown>): Promise<boolean> {
    return this.run(this.undos, this.redos, (diff) => reverseDiff(diff), apply);
  }

  /** Redoes the last undone step; false when there is none. */
  redo(apply: (ops: EditOp[]) => Promise<unknown>): Promise<boolean> {
    return this.run(this.redos, this.undos, (diff) => diff, apply);
  }

  private run(from: Step[], to: Step[], direction: (diff: PrimDiff) => PrimDiff, apply: (ops: EditOp[]) => Promise<unknown>): Promise<boolean> {
    const next = this.queue.then(async () => {
      const step = from.pop();
      if (!step) return false;
      try {
        await apply(opsForDiff(direction(step.diff)));
      } catch (error) {
        // Someone changed those prims since: this step can no longer be taken back. Anything else
        // (no connection, too fast): it stays, to try again.
        if (!(error instanceof EditError && (error.code === EditRefusalCode.Conflict || error.code === EditRefusalCode.NotFound || error.code === EditRefusalCode.NotOwner))) from.push(step);
        throw error;
      }
      to.push({ diff: step.diff, squash: undefined });
      return true;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
