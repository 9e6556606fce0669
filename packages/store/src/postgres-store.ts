import { Pool, type PoolClient } from "pg";
import { MAX_PRIM_ID } from "@tessera/prims";
import { pendingMigrations } from "./migrations.ts";
import { foldEdits, type FoldedPut } from "./fold-edits.ts";
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

export interface PostgresStoreOptions {
  /** The schema that holds the store's tables, created if missing; "public" by default. */
  schema?: string;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Opens the world store in the PostgreSQL database at `url` (a pool of connections) and brings its
 * schema up to date. Several relays may share one database and schema.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<WorldStore> {
  const schema = options.schema ?? "public";
  if (!SCHEMA_NAME.test(schema)) throw new Error(`A store schema name is letters, digits and '_' (at most 63, not starting with a digit), not "${schema}".`);
  const where = redactUrl(url);
  const pool = new Pool({ connectionString: url, connectionTimeoutMillis: 5000 });
  // An idle connection that breaks (the server restarted) leaves the pool, which opens a new one when
  // needed; unheard, the pool's "error" event would end the process.
  pool.on("error", (error) => console.warn(`A PostgreSQL connection of the world store broke (${error.message}); the next query opens a new one.`));
  try {
    await pool.query("SELECT 1").catch((error: unknown) => {
      throw new Error(
        `Cannot connect to PostgreSQL at ${where} (${reason(error)}). ` +
          `Start PostgreSQL or point DATABASE_URL at one that runs; without DATABASE_URL the world is kept in SQLite under the data directory.`,
        { cause: error },
      );
    });
    await migrate(pool, schema).catch((error: unknown) => {
      throw new Error(`Cannot open the world store at ${where}, schema ${schema}: ${reason(error)}`, { cause: error });
    });
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new PostgresStore(pool, quote(schema));
}

/**
 * Applies the migrations the schema lacks, each in its own transaction. Every transaction first
 * takes an advisory lock of the schema, so relays that open at once migrate one after the other.
 */
async function migrate(pool: Pool, schema: string): Promise<void> {
  const s = quote(schema);
  const lock = (client: PoolClient) => client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`tessera.migrate.${schema}`]);
  await transaction(pool, async (client) => {
    await lock(client);
    const exists = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
    // CREATE SCHEMA IF NOT EXISTS would still need the right to create schemas.
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)`);
  });
  for (let more = true; more; ) {
    more = await transaction(pool, async (client) => {
      await lock(client);
      const { rows } = await client.query<{ version: number }>(`SELECT coalesce(max(version), 0) AS version FROM ${s}.schema_migrations`);
      const [next] = pendingMigrations(rows[0]!.version);
      if (!next) return false;
      await client.query(`SET LOCAL search_path TO ${s}`);
      await client.query(next.postgres);
      await client.query(`INSERT INTO ${s}.schema_migrations (version, applied_at) VALUES ($1, now())`, [next.version]);
      return true;
    });
  }
}

/** Runs `work` in one transaction on a connection of the pool: COMMIT after it, ROLLBACK if it throws. */
async function transaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // A connection that cannot even roll back is dropped rather than handed out again.
    await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** The statements, with every table named in the store's schema (`s`, quoted). */
function statements(s: string) {
  const primColumns = "p(id bigint, tile text, owner text, root bigint, data jsonb, deleted_seq bigint)";
  // Only when below: the row is not locked (nor other relays' commits held up) otherwise.
  const raiseNextId = `UPDATE ${s}.counters SET value = $1 WHERE name = 'next_prim_id' AND value < $1`;
  return {
    holdsPrims: `SELECT EXISTS (SELECT 1 FROM ${s}.prims) AS held`,
    // The one row of `world`: a second seeder waits here for the first to commit, then finds it.
    markSeeded: `INSERT INTO ${s}.world (id, seeded_at) VALUES (1, now()) ON CONFLICT DO NOTHING`,
    insertPrims: `INSERT INTO ${s}.prims (id, tile, owner, root, data, updated_at)
      SELECT id, tile, owner, root, data, now() FROM jsonb_to_recordset($1::jsonb) AS ${primColumns}`,
    editSeqs: `SELECT nextval('${s}.edit_log_seq') AS seq FROM generate_series(1, $1)`,
    // A whole group in one statement, atomic by itself. The folded puts and the deletions of prims
    // not put touch different rows, as one statement must.
    commit: `WITH log AS (
        INSERT INTO ${s}.edit_log (seq, player, client_edit_id, tile, put_ids, deleted_ids, committed_at)
        SELECT seq, player, client_edit_id, tile, put_ids, deleted_ids, now()
        FROM jsonb_to_recordset($2::jsonb) AS e(seq bigint, player text, client_edit_id bigint, tile text, put_ids bigint[], deleted_ids bigint[])
      ), put AS (
        INSERT INTO ${s}.prims (id, tile, owner, root, data, deleted, deleted_seq, deleted_at, updated_at)
        SELECT id, tile, owner, root, data, deleted_seq IS NOT NULL, deleted_seq, CASE WHEN deleted_seq IS NOT NULL THEN now() END, now()
        FROM jsonb_to_recordset($3::jsonb) AS ${primColumns}
        ON CONFLICT (id) DO UPDATE SET tile = excluded.tile, owner = excluded.owner, root = excluded.root, data = excluded.data,
          deleted = excluded.deleted, deleted_seq = excluded.deleted_seq, deleted_at = excluded.deleted_at, updated_at = excluded.updated_at
      ), deleted AS (
        UPDATE ${s}.prims AS prim SET deleted = true, deleted_seq = d.seq, deleted_at = now(), updated_at = now()
        FROM jsonb_to_recordset($4::jsonb) AS d(id bigint, seq bigint) WHERE prim.id = d.id AND NOT prim.deleted
      )
      ${raiseNextId}`,
    raiseNextId,
    allocate: `UPDATE ${s}.counters SET value = value + $1 WHERE name = 'next_prim_id' AND value + $1 - 1 <= $2 RETURNING value - $1 AS first`,
    // One statement, so one snapshot for both lists.
    tileContents: `SELECT
      (SELECT coalesce(json_agg(data ORDER BY id), '[]') FROM ${s}.prims WHERE tile = $1 AND NOT deleted) AS prims,
      (SELECT coalesce(json_agg(data ORDER BY deleted_seq DESC, id DESC), '[]') FROM (
        SELECT data, deleted_seq, id FROM ${s}.prims WHERE tile = $1 AND deleted ORDER BY deleted_seq DESC, id DESC LIMIT ${TOMBSTONES_PER_TILE}
      ) AS recent) AS deleted`,
    primCount: `SELECT count(*) AS count FROM ${s}.prims WHERE owner = $1 AND NOT deleted`,
    tileSettings: `SELECT tile, owner, rights, allow, prim_cap AS "primCap" FROM ${s}.tile_settings ORDER BY tile`,
    setTileSettings: `INSERT INTO ${s}.tile_settings (tile, owner, rights, allow, prim_cap, updated_at) VALUES ($1, $2, $3, $4, $5, now())
      ON CONFLICT (tile) DO UPDATE SET owner = excluded.owner, rights = excluded.rights, allow = excluded.allow,
        prim_cap = excluded.prim_cap, updated_at = excluded.updated_at`,
    playerSettings: `SELECT player_id AS "playerId", admin, prim_cap AS "primCap" FROM ${s}.player_settings ORDER BY player_id`,
    setPlayerSettings: `INSERT INTO ${s}.player_settings (player_id, admin, prim_cap, updated_at) VALUES ($1, $2, $3, now())
      ON CONFLICT (player_id) DO UPDATE SET admin = excluded.admin, prim_cap = excluded.prim_cap, updated_at = excluded.updated_at`,
    bumpSettingsVersion: `UPDATE ${s}.counters SET value = value + 1 WHERE name = 'settings_version'`,
    settingsVersion: `SELECT value FROM ${s}.counters WHERE name = 'settings_version'`,
    editCount: `SELECT count(*) AS count FROM ${s}.edit_log`,
    // A second relay storing the same texture at once waits here for the first to commit, then finds it.
    insertTexture: `INSERT INTO ${s}.textures (id, width, height, created_at) VALUES ($1, $2, $3, now()) ON CONFLICT (id) DO NOTHING`,
    insertTiers: `INSERT INTO ${s}.texture_tiers (id, tier, bytes) SELECT $1, tier, bytes FROM unnest($2::integer[], $3::bytea[]) AS t(tier, bytes)`,
    recordUpload: `INSERT INTO ${s}.texture_uploads (player, id, bytes, at) VALUES ($1, $2, $3, now()) ON CONFLICT (player, id) DO NOTHING`,
    textureTier: `SELECT tier, bytes FROM ${s}.texture_tiers WHERE id = $1
      ORDER BY tier <= $2 DESC, CASE WHEN tier <= $2 THEN -tier ELSE tier END LIMIT 1`,
    insertCompressed: `INSERT INTO ${s}.texture_compressed (id, tier, bytes) SELECT $1::text, $2::integer, $3::bytea
      WHERE EXISTS (SELECT 1 FROM ${s}.textures WHERE id = $1) ON CONFLICT (id, tier) DO NOTHING`,
    compressedTier: `SELECT bytes FROM ${s}.texture_compressed WHERE id = $1 AND tier = $2`,
    hasTexture: `SELECT EXISTS (SELECT 1 FROM ${s}.textures WHERE id = $1) AS held`,
    textureUsage: `SELECT count(*) AS count, coalesce(sum(bytes), 0) AS bytes FROM ${s}.texture_uploads WHERE player = $1`,
    textureCount: `SELECT count(*) AS count FROM ${s}.textures`,
  };
}

/** `bigint` columns and counts come back as strings: every value here is below 2^53. */
type Bigint = string;

/** The world in a PostgreSQL schema, shared by every relay that opens it. */
class PostgresStore implements WorldStore {
  readonly engine = "postgres";
  private readonly sql: ReturnType<typeof statements>;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.sql = statements(schema);
  }

  async seed(prims: readonly PlacedPrim[]): Promise<boolean> {
    const placed = checked(placedPrimsSchema, prims, "the seed");
    return transaction(this.pool, async (client) => {
      const { rows } = await client.query<{ held: boolean }>(this.sql.holdsPrims);
      if (rows[0]!.held) return false;
      if ((await client.query(this.sql.markSeeded)).rowCount === 0) return false;
      await client.query(this.sql.insertPrims, [primRows(placed.map((entry) => ({ ...entry, deletedSeq: null })))]);
      await client.query(this.sql.raiseNextId, [pastLargestId(placed)]);
      return true;
    });
  }

  async tileContents(tile: string): Promise<TileContents> {
    const { rows } = await this.pool.query<TileContents>(this.sql.tileContents, [tile]);
    return rows[0]!;
  }

  async allocatePrimIds(count: number): Promise<number> {
    checkIdCount(count);
    const { rows } = await this.pool.query<{ first: Bigint }>(this.sql.allocate, [count, MAX_PRIM_ID]);
    if (!rows[0]) throw new Error(`Fewer than ${count} prim ids are left: the world has used up its ${MAX_PRIM_ID}.`);
    return Number(rows[0].first);
  }

  async commit(edits: readonly EditRecord[]): Promise<void> {
    const checkedGroup = checkedEdits(edits);
    if (checkedGroup.length === 0) return;
    // Sequence values, drawn outside the statement: given out in any order, used in the group's.
    const { rows } = await this.pool.query<{ seq: Bigint }>(this.sql.editSeqs, [checkedGroup.length]);
    const seqs = rows.map((row) => Number(row.seq)).sort((a, b) => a - b);
    const log = checkedGroup.map(({ player, clientEditId, tile, put, deleted }, index) => ({
      seq: seqs[index],
      player,
      client_edit_id: clientEditId,
      tile,
      put_ids: put.map(({ prim }) => prim.id),
      deleted_ids: deleted,
    }));
    const { put, deleted, nextId } = foldEdits(checkedGroup, seqs);
    await this.pool.query(this.sql.commit, [nextId, JSON.stringify(log), primRows(put), JSON.stringify(deleted)]);
  }

  async primCount(player: string): Promise<number> {
    const { rows } = await this.pool.query<{ count: Bigint }>(this.sql.primCount, [player]);
    return Number(rows[0]!.count);
  }

  async tileSettings(): Promise<TileSettings[]> {
    const { rows } = await this.pool.query<Omit<TileSettings, "primCap"> & { primCap: Bigint }>(this.sql.tileSettings);
    return rows.map((row) => ({ ...row, primCap: Number(row.primCap) }));
  }

  async setTileSettings(settings: TileSettings): Promise<void> {
    const { tile, owner, rights, allow, primCap } = checked(tileSettingsSchema, settings, "the tile settings");
    await this.changeSettings(this.sql.setTileSettings, [tile, owner, rights, allow, primCap]);
  }

  async playerSettings(): Promise<PlayerSettings[]> {
    const { rows } = await this.pool.query<Omit<PlayerSettings, "primCap"> & { primCap: Bigint }>(this.sql.playerSettings);
    return rows.map((row) => ({ ...row, primCap: Number(row.primCap) }));
  }

  async setPlayerSettings(settings: PlayerSettings): Promise<void> {
    const { playerId, admin, primCap } = checked(playerSettingsSchema, settings, "the player settings");
    await this.changeSettings(this.sql.setPlayerSettings, [playerId, admin, primCap]);
  }

  async settingsVersion(): Promise<number> {
    const { rows } = await this.pool.query<{ value: Bigint }>(this.sql.settingsVersion);
    return Number(rows[0]!.value);
  }

  async editCount(): Promise<number> {
    const { rows } = await this.pool.query<{ count: Bigint }>(this.sql.editCount);
    return Number(rows[0]!.count);
  }

  async putTexture(texture: StoredTexture, tiers: readonly TextureTierImage[], upload?: TextureUpload): Promise<boolean> {
    const { id, width, height } = checked(storedTextureSchema, texture, "the texture");
    const images = checked(textureTiersSchema, tiers, "the texture's tiers");
    const uploaded = upload && checked(textureUploadSchema, upload, "the upload");
    return transaction(this.pool, async (client) => {
      const added = (await client.query(this.sql.insertTexture, [id, width, height])).rowCount === 1;
      if (added) await client.query(this.sql.insertTiers, [id, images.map(({ tier }) => tier), images.map(({ bytes }) => asBuffer(bytes))]);
      if (uploaded) await client.query(this.sql.recordUpload, [uploaded.player, id, uploaded.bytes]);
      return added;
    });
  }

  async textureTier(id: string, tier: number): Promise<TextureTierImage | undefined> {
    const { rows } = await this.pool.query<TextureTierImage>(this.sql.textureTier, [id, tier]);
    return rows[0];
  }

  async hasTexture(id: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ held: boolean }>(this.sql.hasTexture, [id]);
    return rows[0]!.held;
  }

  async putCompressedTier(id: string, tier: number, bytes: Uint8Array): Promise<void> {
    const form = checked(compressedTierSchema, { id, tier, bytes }, "the compressed tier");
    // Nothing written: stored already (kept), or no such texture (textures are never deleted).
    const { rowCount } = await this.pool.query(this.sql.insertCompressed, [form.id, form.tier, asBuffer(form.bytes)]);
    if (rowCount === 0 && !(await this.hasTexture(id))) throw unknownTexture(id);
  }

  async compressedTier(id: string, tier: number): Promise<Uint8Array | undefined> {
    const { rows } = await this.pool.query<{ bytes: Buffer }>(this.sql.compressedTier, [id, tier]);
    return rows[0]?.bytes;
  }

  async textureUsage(player: string): Promise<TextureUsage> {
    const { rows } = await this.pool.query<{ count: Bigint; bytes: Bigint }>(this.sql.textureUsage, [player]);
    return { count: Number(rows[0]!.count), bytes: Number(rows[0]!.bytes) };
  }

  async textureCount(): Promise<number> {
    const { rows } = await this.pool.query<{ count: Bigint }>(this.sql.textureCount);
    return Number(rows[0]!.count);
  }

  async close(): Promise<void> {
    if (!this.pool.ending) await this.pool.end();
  }

  private async changeSettings(upsert: string, values: unknown[]): Promise<void> {
    await transaction(this.pool, async (client) => {
      await client.query(upsert, values);
      await client.query(this.sql.bumpSettingsVersion);
    });
  }
}

/** Prims as the one JSON parameter that `jsonb_to_recordset` turns into rows. */
function primRows(prims: readonly FoldedPut[]): string {
  return JSON.stringify(prims.map(({ tile, prim, deletedSeq }) => ({ id: prim.id, tile, owner: prim.owner, root: prim.root, data: prim, deleted_seq: deletedSeq })));
}

/** Bytes as pg sends them for a bytea parameter. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** An identifier, double-quoted (the name is checked against {@link SCHEMA_NAME} first). */
function quote(name: string): string {
  return `"${name}"`;
}

/** The URL with its password masked, for messages and logs. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    if (parsed.searchParams.has("password")) parsed.searchParams.set("password", "***");
    return parsed.toString();
  } catch {
    return "the URL given (which is not a valid URL)";
  }
}

/** What went wrong, in words: Node's connection errors may carry only a code. */
function reason(error: unknown): string {
  const { message, code } = error as { message?: string; code?: string };
  return message || code || String(error);
}
