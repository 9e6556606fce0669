import {
  DEFAULT_PLAYER_SETTINGS,
  DEFAULT_TILE_SETTINGS,
  type PlayerSettings,
  type TileSettings,
  type WorldStore,
} from "@tessera/store";

/** How often the relay looks for operators' changes to rights and caps, ms. */
export const RIGHTS_POLL_MS = 2000;

/** Whether a player may build in a tile with these settings (an admin builds anywhere). */
export function mayBuildIn(tile: Readonly<Omit<TileSettings, "tile">>, playerId: string, admin: boolean): boolean {
  if (admin || (tile.owner !== "" && tile.owner === playerId)) return true;
  switch (tile.rights) {
    case "open":
      return true;
    case "owner":
      return false;
    case "list":
      return tile.allow.includes(playerId);
  }
}

/**
 * Who may build where, and how much, as operators set it in the store: every tile's and player's
 * settings, held in memory for the process's tiles to decide at once, and read again within
 * {@link RIGHTS_POLL_MS} of a change (the admin command writes the store; no relay restarts).
 * Also each player's count of prims, kept up to date by the edits this process applies.
 */
export class WorldRights {
  private tiles = new Map<string, TileSettings>();
  private players = new Map<string, PlayerSettings>();
  private readonly counts = new Map<string, number>();
  private version = -1;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly store: WorldStore;

  private constructor(store: WorldStore) {
    this.store = store;
  }

  /** Reads the settings, then keeps reading them as they change; `onError` hears of failed reads (the old settings hold meanwhile). */
  static async load(store: WorldStore, onError: (error: Error) => void): Promise<WorldRights> {
    const rights = new WorldRights(store);
    await rights.refresh();
    rights.timer = setInterval(() => void rights.refresh().catch(onError), RIGHTS_POLL_MS);
    rights.timer.unref();
    return rights;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Changes with every change operators make to rights and caps. */
  get settingsVersion(): number {
    return this.version;
  }

  tile(tile: string): TileSettings {
    return this.tiles.get(tile) ?? { tile, ...DEFAULT_TILE_SETTINGS };
  }

  player(playerId: string): PlayerSettings {
    return this.players.get(playerId) ?? { playerId, ...DEFAULT_PLAYER_SETTINGS };
  }

  mayBuild(tile: string, playerId: string): boolean {
    return mayBuildIn(this.tile(tile), playerId, this.player(playerId).admin);
  }

  /** Prims the player owns (0 until {@link loadCount}). */
  count(playerId: string): number {
    return this.counts.get(playerId) ?? 0;
  }

  /** Reads the player's count of prims from the store (when they enter: another relay may have changed it). */
  async loadCount(playerId: string): Promise<void> {
    this.counts.set(playerId, await this.store.primCount(playerId));
  }

  /** An edit applied here made (or took back) `delta` of the player's prims. */
  adjustCount(playerId: string, delta: number): void {
    if (delta !== 0) this.counts.set(playerId, this.count(playerId) + delta);
  }

  private async refresh(): Promise<void> {
    const version = await this.store.settingsVersion();
    if (version === this.version) return;
    const [tiles, players] = await Promise.all([this.store.tileSettings(), this.store.playerSettings()]);
    this.tiles = new Map(tiles.map((settings) => [settings.tile, settings]));
    this.players = new Map(players.map((settings) => [settings.playerId, settings]));
    this.version = version;
  }
}
