import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { MAX_PRIM_ID, type Prim } from "@tessera/prims";
import { pendingMigrations } from "./migrations.ts";
import {
  checkIdCount,
  checked,
  checkedEdits,
  compressedTierSchema,
  pastLargestId,
  placedPrimsSchema,
  playerSettingsSchema,
  storedTextureSchema,
  textureTiersSchema,
  textureUploadSchema,
  tileSettingsSchema,
  unknownTexture,
} from "./records.ts";
import {
  TOMBSTONES_PER_TILE,
  type BuildRights,
  type EditRecord,
  type PlacedPrim,
  type PlayerSettings,
  type StoredTexture,
  type TextureTierImage,
  type TextureUpload,
  type TextureUsage,
  type TileContents,
  type TileSettings,
  type WorldStore,
} from "./world-store.ts";

/**
 * Opens (creating it and its directory if need be) the SQLite world store at `path` and brings its
 * schema up to date. A relay and the admin command may have it open at once.
 */
export async function openSqliteStore(path: string): Promise<WorldStore> {
  await mkdir(dirname(path), { recursive: true });
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    // Wait for the other process's write rather than failing at once.
    db.pragma("busy_timeout = 5000");
    db.pragma("journal_mode = WAL");
    // In WAL mode NORMAL syncs at checkpoints, not at each commit: a commit is in the WAL file when
    // it returns, so killing the process loses nothing committed. A power cut may lose the last
    // commits; only synchronous = FULL (a tenth of the throughput) survives that.
    db.pragma("synchronous = NORMAL");
    migrate(db);
    return new SqliteStore(db);
  } catch (error) {
    db?.close();
    throw new Error(`Cannot open the world store at ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Applies the migrations the file lacks, each in its own transaction. */
function migrate(db: Database.Database): void {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT");
  const current = db.prepare<[], number>("SELECT coalesce(max(version), 0) FROM schema_migrations").pluck();
  const record = db.prepare<[number, string]>("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
  for (const migration of pendingMigrations(current.get()!)) {
    db.transaction(() => {
      // Another process may have applied it since we looked.
      if (current.get()! >= migration.version) return;
      db.exec(migration.sqlite);
      record.run(migration.version, new Date().toISOString());
    }).immediate();
  }
}

interface TileSettingsRow {
  tile: string;
  owner: string;
  rights: BuildRights;
  allow: string;
  primCap: number;
}

interface PlayerSettingsRow {
  playerId: string;
  admin: 0 | 1;
  primCap: number;
}

/** The prepared statements, made once. */
function statements(db: Database.Database) {
  return {
    holdsWorld: db.prepare<[], 0 | 1>("SELECT EXISTS (SELECT 1 FROM world) OR EXISTS (SELECT 1 FROM prims)").pluck(),
    markSeeded: db.prepare<[string]>("INSERT INTO world (id, seeded_at) VALUES (1, ?)"),
    insertPrim: db.prepare<[number, string, string, number, string, string]>(
      "INSERT INTO prims (id, tile, owner, root, data, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
    ),
    putPrim: db.prepare<[number, string, string, number, string, string]>(
      `INSERT INTO prims (id, tile, owner, root, data, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET tile = excluded.tile, owner = excluded.owner, root = excluded.root, data = excluded.data,
         deleted = 0, deleted_seq = NULL, deleted_at = NULL, updated_at = excluded.updated_at`,
    ),
    deletePrim: db.prepare<[{ id: number; seq: number; at: string }]>(
      "UPDATE prims SET deleted = 1, deleted_seq = @seq, deleted_at = @at, updated_at = @at WHERE id = @id AND deleted = 0",
    ),
    logEdit: db.prepare<[string, number, string, string, string, string]>(
      "INSERT INTO edit_log (player, client_edit_id, tile, put_ids, deleted_ids, committed_at) VALUES (?, ?, ?, ?, ?, ?)",
    ),
    raiseNextId: db.prepare<[{ next: number }]>("UPDATE counters SET value = @next WHERE name = 'next_prim_id' AND value < @next"),
    allocate: db
      .prepare<[{ count: number; max: number }], number>(
        "UPDATE counters SET value = value + @count WHERE name = 'next_prim_id' AND value + @count - 1 <= @max RETURNING value - @count",
      )
      .pluck(),
    livePrims: db.prepare<[string, number], { id: number; data: string }>(`SELECT id, data FROM prims WHERE tile = ? AND deleted = 0 AND id > ? ORDER BY id LIMIT ${PAGE_ROWS}`),
    tombstones: db
      .prepare<[string], string>(`SELECT data FROM prims WHERE tile = ? AND deleted = 1 ORDER BY deleted_seq DESC, id DESC LIMIT ${TOMBSTONES_PER_TILE}`)
      .pluck(),
    primCount: db.prepare<[string], number>("SELECT count(*) FROM prims WHERE owner = ? AND deleted = 0").pluck(),
    tileSettings: db.prepare<[], TileSettingsRow>("SELECT tile, owner, rights, allow, prim_cap AS primCap FROM tile_settings ORDER BY tile"),
    setTileSettings: db.prepare<[string, string, string, string, number, string]>(
      `INSERT INTO tile_settings (tile, owner, rights, allow, prim_cap, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tile) DO UPDATE SET owner = excluded.owner, rights = excluded.rights, allow = excluded.allow,
         prim_cap = excluded.prim_cap, updated_at = excluded.updated_at`,
    ),
    playerSettings: db.prepare<[], PlayerSettingsRow>("SELECT player_id AS playerId, admin, prim_cap AS primCap FROM player_settings ORDER BY player_id"),
    setPlayerSettings: db.prepare<[string, number, number, string]>(
      `INSERT INTO player_settings (player_id, admin, prim_cap, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (player_id) DO UPDATE SET admin = excluded.admin, prim_cap = excluded.prim_cap, updated_at = excluded.updated_at`,
    ),
    bumpSettingsVersion: db.prepare("UPDATE counters SET value = value + 1 WHERE name = 'settings_version'"),
    settingsVersion: db.prepare<[], number>("SELECT value FROM counters WHERE name = 'settings_version'").pluck(),
    editCount: db.prepare<[], number>("SELECT count(*) FROM edit_log").pluck(),
    insertTexture: db.prepare<[string, number, number, string]>("INSERT INTO textures (id, width, height, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"),
    insertTier: db.prepare<[string, number, Uint8Array]>("INSERT INTO texture_tiers (id, tier, bytes) VALUES (?, ?, ?)"),
    recordUpload: db.prepare<[string, string, number, string]>("INSERT INTO texture_uploads (player, id, bytes, at) VALUES (?, ?, ?, ?) ON CONFLICT (player, id) DO NOTHING"),
    textureTier: db.prepare<[{ id: string; tier: number }], TextureTierImage>(
      "SELECT tier, bytes FROM texture_tiers WHERE id = @id ORDER BY tier <= @tier DESC, CASE WHEN tier <= @tier THEN -tier ELSE tier END LIMIT 1",
    ),
    // Only for a stored texture: SQLite checks no foreign keys unless told to.
    insertCompressed: db.prepare<[{ id: string; tier: number; bytes: Uint8Array }]>(
      "INSERT INTO texture_compressed (id, tier, bytes) SELECT @id, @tier, @bytes WHERE EXISTS (SELECT 1 FROM textures WHERE id = @id) ON CONFLICT (id, tier) DO NOTHING",
    ),
    compressedTier: db.prepare<[string, number], Buffer>("SELECT bytes FROM texture_compressed WHERE id = ? AND tier = ?").pluck(),
    hasTexture: db.prepare<[string], 0 | 1>("SELECT EXISTS (SELECT 1 FROM textures WHERE id = ?)").pluck(),
    textureUsage: db.prepare<[string], TextureUsage>("SELECT count(*) AS count, coalesce(sum(bytes), 0) AS bytes FROM texture_uploads WHERE player = ?"),
    textureCount: db.prepare<[], number>("SELECT count(*) FROM textures").pluck(),
  };
}

/**
 * The world in one SQLite file. better-sqlite3 is synchronous: each call does all its work before
 * it returns its (settled) promise. Write transactions are IMMEDIATE: they take the write lock at
 * BEGIN (waiting up to busy_timeout for another process), since a read that later upgrades to a
 * write fails at once when another process wrote in between.
 */
class SqliteStore implements WorldStore {
  readonly engine = "sqlite";
  private readonly sql: ReturnType<typeof statements>;
  private readonly seedTransaction: Database.Transaction<(placed: readonly PlacedPrim[]) => boolean>;
  private readonly commitTransaction: Database.Transaction<(edits: readonly EditRecord[]) => void>;
  private readonly settingsTransaction: Database.Transaction<(write: () => void) => void>;
  private readonly textureTransaction: Database.Transaction<(texture: StoredTexture, tiers: readonly TextureTierImage[], upload?: TextureUpload) => boolean>;

  constructor(private readonly db: Database.Database) {
    const sql = (this.sql = statements(db));
    this.seedTransaction = db.transaction((placed) => {
      if (sql.holdsWorld.get()) return false;
      const at = new Date().toISOString();
      sql.markSeeded.run(at);
      for (const { tile, prim } of placed) sql.insertPrim.run(prim.id, tile, prim.owner, prim.root, JSON.stringify(prim), at);
      sql.raiseNextId.run({ next: pastLargestId(placed) });
      return true;
    });
    this.commitTransaction = db.transaction((edits) => {
      const at = new Date().toISOString();
      let next = 0;
      for (const { player, clientEditId, tile, put, deleted } of edits) {
        const putIds = JSON.stringify(put.map(({ prim }) => prim.id));
        const seq = Number(sql.logEdit.run(player, clientEditId, tile, putIds, JSON.stringify(deleted), at).lastInsertRowid);
        for (const placed of put) sql.putPrim.run(placed.prim.id, placed.tile, placed.prim.owner, placed.prim.root, JSON.stringify(placed.prim), at);
        for (const id of deleted) sql.deletePrim.run({ id, seq, at });
        next = Math.max(next, pastLargestId(put));
      }
      sql.raiseNextId.run({ next });
    });
    this.settingsTransaction = db.transaction((write) => {
      write();
      sql.bumpSettingsVersion.run();
    });
    this.textureTransaction = db.transaction((texture, tiers, upload) => {
      const at = new Date().toISOString();
      const added = sql.insertTexture.run(texture.id, texture.width, texture.height, at).changes === 1;
      if (added) for (const { tier, bytes } of tiers) sql.insertTier.run(texture.id, tier, bytes);
      if (upload) sql.recordUpload.run(upload.player, texture.id, upload.bytes, at);
      return added;
    });
  }

  seed(prims: readonly PlacedPrim[]): Promise<boolean> {
    return settle(() => this.seedTransaction.immediate(checked(placedPrimsSchema, prims, "the seed")));
  }

  /**
   * Read a page at a time, the event loop free in between: SQLite answers synchronously, and a big
   * tile in one go would hold up every other tile of the process. The pages are not one snapshot:
   * that is safe because only the tile's own room writes its rows, and it is not open yet (a
   * neighbour moving a linkset in meanwhile hands it to the room as well, which takes it again).
   */
  async tileContents(tile: string): Promise<TileContents> {
    const prims: Prim[] = [];
    for (let after = 0; ; ) {
      const rows = this.sql.livePrims.all(tile, after);
      for (const row of rows) prims.push(parsePrim(row.data));
      if (rows.length < PAGE_ROWS) break;
      after = rows.at(-1)!.id;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { prims, deleted: this.sql.tombstones.all(tile).map(parsePrim) };
  }

  allocatePrimIds(count: number): Promise<number> {
    return settle(() => {
      checkIdCount(count);
      const first = this.sql.allocate.get({ count, max: MAX_PRIM_ID });
      if (first === undefined) throw new Error(`Fewer than ${count} prim ids are left: the world has used up its ${MAX_PRIM_ID}.`);
      return first;
    });
  }

  commit(edits: readonly EditRecord[]): Promise<void> {
    return settle(() => {
      if (edits.length > 0) this.commitTransaction.immediate(checkedEdits(edits));
    });
  }

  primCount(player: string): Promise<number> {
    return settle(() => this.sql.primCount.get(player)!);
  }

  tileSettings(): Promise<TileSettings[]> {
    return settle(() => this.sql.tileSettings.all().map((row) => ({ ...row, allow: JSON.parse(row.allow) as string[] })));
  }

  setTileSettings(settings: TileSettings): Promise<void> {
    return settle(() => {
      const { tile, owner, rights, allow, primCap } = checked(tileSettingsSchema, settings, "the tile settings");
      const at = new Date().toISOString();
      this.settingsTransaction.immediate(() => this.sql.setTileSettings.run(tile, owner, rights, JSON.stringify(allow), primCap, at));
    });
  }

  playerSettings(): Promise<PlayerSettings[]> {
    return settle(() => this.sql.playerSettings.all().map((row) => ({ ...row, admin: row.admin === 1 })));
  }

  setPlayerSettings(settings: PlayerSettings): Promise<void> {
    return settle(() => {
      const { playerId, admin, primCap } = checked(playerSettingsSchema, settings, "the player settings");
      const at = new Date().toISOString();
      this.settingsTransaction.immediate(() => this.sql.setPlayerSettings.run(playerId, admin ? 1 : 0, primCap, at));
    });
  }

  settingsVersion(): Promise<number> {
    return settle(() => this.sql.settingsVersion.get()!);
  }

  editCount(): Promise<number> {
    return settle(() => this.sql.editCount.get()!);
  }

  putTexture(texture: StoredTexture, tiers: readonly TextureTierImage[], upload?: TextureUpload): Promise<boolean> {
    return settle(() =>
      this.textureTransaction.immediate(
        checked(storedTextureSchema, texture, "the texture"),
        checked(textureTiersSchema, tiers, "the texture's tiers"),
        upload && checked(textureUploadSchema, upload, "the upload"),
      ),
    );
  }

  textureTier(id: string, tier: number): Promise<TextureTierImage | undefined> {
    return settle(() => this.sql.textureTier.get({ id, tier }));
  }

  hasTexture(id: string): Promise<boolean> {
    return settle(() => this.sql.hasTexture.get(id) === 1);
  }

  putCompressedTier(id: string, tier: number, bytes: Uint8Array): Promise<void> {
    return settle(() => {
      const form = checked(compressedTierSchema, { id, tier, bytes }, "the compressed tier");
      // Nothing written: stored already (kept), or no such texture (textures are never deleted).
      if (this.sql.insertCompressed.run(form).changes === 0 && this.sql.hasTexture.get(id) !== 1) throw unknownTexture(id);
    });
  }

  compressedTier(id: string, tier: number): Promise<Uint8Array | undefined> {
    return settle(() => this.sql.compressedTier.get(id, tier));
  }

  textureUsage(player: string): Promise<TextureUsage> {
    return settle(() => this.sql.textureUsage.get(player)!);
  }

  textureCount(): Promise<number> {
    return settle(() => this.sql.textureCount.get()!);
  }

  close(): Promise<void> {
    return settle(() => {
      this.db.close();
    });
  }
}

/** A stored prim: checked on its way in (see records.ts). */
const parsePrim = (json: string) => JSON.parse(json) as Prim;

/** Prims read in one go when a tile loads. */
const PAGE_ROWS = 500;

/** The outcome of synchronous `work` as a promise: an error it throws rejects it. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}
