import type { Prim } from "@tessera/prims";

/** Who may build in a tile: anyone, only the tile's owner, or the players on its allow list. */
export type BuildRights = "open" | "owner" | "list";

/** An operator's settings for one tile; a tile without any has {@link DEFAULT_TILE_SETTINGS}. */
export interface TileSettings {
  /** Tile id, `tile_<tx>_<tz>`. */
  tile: string;
  /** Player id of the tile's owner; "" for none (the world's). */
  owner: string;
  rights: BuildRights;
  /** With `rights: "list"`: the players who may build here (the owner always may). */
  allow: readonly string[];
  /** Most prims the tile holds. */
  primCap: number;
}

/** An operator's settings for one player; a player without any has {@link DEFAULT_PLAYER_SETTINGS}. */
export interface PlayerSettings {
  playerId: string;
  /** A world admin owns the world's own prims (owner "") and may edit any prim and build anywhere. */
  admin: boolean;
  /** Most prims the player owns in the whole world. */
  primCap: number;
}

export const DEFAULT_TILE_PRIM_CAP = 5000;
export const DEFAULT_PLAYER_PRIM_CAP = 2000;

export const DEFAULT_TILE_SETTINGS: Readonly<Omit<TileSettings, "tile">> = Object.freeze({ owner: "", rights: "open", allow: Object.freeze([]), primCap: DEFAULT_TILE_PRIM_CAP });
export const DEFAULT_PLAYER_SETTINGS: Readonly<Omit<PlayerSettings, "playerId">> = Object.freeze({ admin: false, primCap: DEFAULT_PLAYER_PRIM_CAP });

/** A prim as written: where it belongs (the tile of its linkset's root). */
export interface PlacedPrim {
  tile: string;
  prim: Prim;
}

/** One acknowledged edit, as the store commits it. */
export interface EditRecord {
  /** The player whose edit it is (from the token, never from the client). */
  player: string;
  /** The client's id for the edit, for the log. */
  clientEditId: number;
  /** The tile whose room applied it. */
  tile: string;
  /** Prims created or changed, as they are now (a restored prim is put again). */
  put: PlacedPrim[];
  /** Prims deleted: kept as tombstones, so that an undo can restore them with their ids. */
  deleted: number[];
}

/** A tile's prims as its room loads them. */
export interface TileContents {
  prims: Prim[];
  /** Prims deleted in this tile, most recent first, at most {@link TOMBSTONES_PER_TILE}: what an undo may restore. */
  deleted: Prim[];
}

export const TOMBSTONES_PER_TILE = 1000;

/** A texture as stored: its content id and the size of the picture it was made from (px). */
export interface StoredTexture {
  /** Content id: the relay derives it from the decoded pixels (1-64 characters of A-Z a-z 0-9 _ -). */
  id: string;
  width: number;
  height: number;
}

/** One tier of a texture: a square image `tier` px a side, encoded (WebP). */
export interface TextureTierImage {
  tier: number;
  bytes: Uint8Array;
}

/** Who uploaded a texture and how many bytes they sent: what counts against their quota. */
export interface TextureUpload {
  player: string;
  bytes: number;
}

/** A player's uploads so far: one per texture, however often they sent it. */
export interface TextureUsage {
  count: number;
  bytes: number;
}

/**
 * Where the world lives: prims by tile, prim ids, operators' settings, a log of edits, and uploaded
 * textures. Textures live here rather than in a directory: in cluster mode every relay reads the
 * same PostgreSQL, so every relay serves every texture with no shared filesystem, and a texture is
 * committed with the same durability as the edits that name it. Tiers never change once written,
 * so relays keep the ones in demand in memory. One
 * interface, two engines (SQLite embedded, PostgreSQL shared by several relays); the same contract
 * tests run against both. Every method is safe to call from several relays at once (PostgreSQL) or
 * from a relay and the admin command at once (SQLite in WAL mode).
 */
export interface WorldStore {
  readonly engine: "sqlite" | "postgres";
  /** Writes the world's first prims into an empty store, in one transaction; false (and nothing written) when it holds a world already. */
  seed(prims: readonly PlacedPrim[]): Promise<boolean>;
  /** A tile's live prims (roots anchored in it and their children) and its recent tombstones. */
  tileContents(tile: string): Promise<TileContents>;
  /**
   * `count` (1 to 65536) prim ids no one has had, unique across every relay sharing the store: `first`
   * to `first + count - 1`, all above any id seeded or put so far.
   */
  allocatePrimIds(count: number): Promise<number>;
  /**
   * Commits edits in one transaction, in order (within an edit, its puts before its deletes): all of
   * them or, on an error, none. A put may restore a tombstone; deleting a prim that is deleted or
   * unknown changes nothing (a tombstone keeps its first deletion's place).
   */
  commit(edits: readonly EditRecord[]): Promise<void>;
  /** Live prims the player owns in the whole world. */
  primCount(player: string): Promise<number>;
  /** Every tile that has settings. */
  tileSettings(): Promise<TileSettings[]>;
  setTileSettings(settings: TileSettings): Promise<void>;
  /** Every player that has settings. */
  playerSettings(): Promise<PlayerSettings[]>;
  setPlayerSettings(settings: PlayerSettings): Promise<void>;
  /** Counts up with every settings change (tiles or players), so that relays poll one number. */
  settingsVersion(): Promise<number>;
  /** Edits committed so far (the log's length). */
  editCount(): Promise<number>;
  /**
   * Stores a texture and its tiers, and records `upload`, in one transaction. Idempotent: for an id
   * stored already the texture and its tiers are left as they are (content-addressed, they are the
   * same) and only the upload is recorded. Resolves whether the texture was new.
   */
  putTexture(texture: StoredTexture, tiers: readonly TextureTierImage[], upload?: TextureUpload): Promise<boolean>;
  /** The largest stored tier of the texture up to `tier` px, else its smallest; undefined for an unknown texture. */
  textureTier(id: string, tier: number): Promise<TextureTierImage | undefined>;
  hasTexture(id: string): Promise<boolean>;
  /**
   * Stores the GPU-compressed form (KTX2) of tier `tier` px of stored texture `id`. Idempotent: a
   * form stored already is kept (made from the same tier, any copy will do). Refuses a texture not
   * stored, a tier without a compressed form and empty or oversized bytes.
   */
  putCompressedTier(id: string, tier: number, bytes: Uint8Array): Promise<void>;
  /** The compressed form of exactly tier `tier` px of texture `id` (an engine may hand out a Buffer); undefined when none is stored. */
  compressedTier(id: string, tier: number): Promise<Uint8Array | undefined>;
  /** The textures the player uploaded and the bytes they sent for them. */
  textureUsage(player: string): Promise<TextureUsage>;
  /** Textures stored, from uploads and the library alike. */
  textureCount(): Promise<number>;
  /** Lets go of the database; closing again does nothing. */
  close(): Promise<void>;
}
