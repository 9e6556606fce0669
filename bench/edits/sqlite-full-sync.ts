import Database from "better-sqlite3";
import type { EditRecord } from "@tessera/store";

/**
 * The naive SQLite baseline: one transaction per edit, `synchronous = FULL` (an fsync of the WAL at
 * every commit). The store offers no way to change its connection's synchronous setting (it is per
 * connection, and its connection is private), and packages/store is not ours to change: so this
 * opens the file that `openSqliteStore` created and migrated with better-sqlite3 directly, in WAL
 * mode as the store does, and writes the same rows with the same statements as the store's
 * `commit` (the edit_log row, the prims upserted, the id counter raised; the benchmark deletes
 * nothing). It leaves out the store's check of each record (about 30 µs an edit here), which only
 * flatters the baseline.
 */
export class SqliteFullSync {
  private readonly db: Database.Database;
  private readonly commitOne: Database.Transaction<(edit: EditRecord) => void>;

  constructor(path: string) {
    const db = (this.db = new Database(path));
    db.pragma("busy_timeout = 5000");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    const logEdit = db.prepare<[string, number, string, string, string, string]>(
      "INSERT INTO edit_log (player, client_edit_id, tile, put_ids, deleted_ids, committed_at) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const putPrim = db.prepare<[number, string, string, number, string, string]>(
      `INSERT INTO prims (id, tile, owner, root, data, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET tile = excluded.tile, owner = excluded.owner, root = excluded.root, data = excluded.data,
         deleted = 0, deleted_seq = NULL, deleted_at = NULL, updated_at = excluded.updated_at`,
    );
    const raiseNextId = db.prepare<[{ next: number }]>("UPDATE counters SET value = @next WHERE name = 'next_prim_id' AND value < @next");
    this.commitOne = db.transaction(({ player, clientEditId, tile, put, deleted }) => {
      const at = new Date().toISOString();
      logEdit.run(player, clientEditId, tile, JSON.stringify(put.map(({ prim }) => prim.id)), JSON.stringify(deleted), at);
      for (const placed of put) putPrim.run(placed.prim.id, placed.tile, placed.prim.owner, placed.prim.root, JSON.stringify(placed.prim), at);
      raiseNextId.run({ next: Math.max(0, ...put.map(({ prim }) => prim.id + 1)) });
    });
  }

  /** Commits one edit in its own transaction; resolves once it is on disk. */
  commit(edit: EditRecord): Promise<void> {
    return new Promise((resolve) => {
      this.commitOne.immediate(edit);
      resolve();
    });
  }

  close(): void {
    this.db.close();
  }
}
