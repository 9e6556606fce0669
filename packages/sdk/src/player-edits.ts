import type { EditOp } from "@tessera/protocol";
import { Editor, type EditDone, type EditorHost, type EditStats } from "./edits.ts";
import { EditHistory } from "./history.ts";

/**
 * The player's edits and their undo history, as the world client offers them: each edit shown at
 * once and settled by the relay ({@link Editor}), each acknowledged one recorded as a step (or
 * joined to the last under a squash key), and undo and redo sent as edits of their own.
 */
export class PlayerEdits {
  /** Sends the edits and hears the relay's answers. */
  readonly editor: Editor;
  private readonly history = new EditHistory();

  constructor(host: EditorHost) {
    this.editor = new Editor(host);
  }

  async edit(ops: readonly unknown[], squash?: string): Promise<EditDone> {
    const done = await this.editor.edit(ops);
    this.history.record(done.diff, squash);
    return done;
  }

  async editAll(ops: readonly unknown[], squash?: string): Promise<number[]> {
    const { done, refused } = await this.editor.editAll(ops);
    this.history.record(done.diff, squash);
    if (refused) throw refused;
    return done.created;
  }

  undo(): Promise<boolean> {
    return this.history.undo((ops) => this.applyAll(ops));
  }

  redo(): Promise<boolean> {
    return this.history.redo((ops) => this.applyAll(ops));
  }

  stats(): EditStats & { undoDepth: number; redoDepth: number } {
    return { ...this.editor.stats(), undoDepth: this.history.undoDepth, redoDepth: this.history.redoDepth };
  }

  /** An undo or redo step's operations, in as many edits as they take; a refusal of any fails the step. */
  private async applyAll(ops: EditOp[]): Promise<void> {
    const { refused } = await this.editor.editAll(ops);
    if (refused) throw refused;
  }
}
