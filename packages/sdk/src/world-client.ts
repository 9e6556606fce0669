import { Client as ColyseusClient, CloseCode, type Room } from "@colyseus/sdk";
import type { Quat } from "@tessera/prims";
import {
  BodyFlags,
  ClientMessage,
  ErrorCode,
  INPUT_REACH,
  MAX_INPUT_TICKS,
  PrimStream,
  RelayMessage,
  TileCloseCode,
  TileState,
  ViewSubscription,
  decodePrimStream,
  decodeSnapshot,
  readResumeToken,
  tileId,
  tileOf,
  tilesWithin,
  wrapAngle,
  type ChatChannel,
  type EditResult,
  type ErrorMessage,
  type InputMessage,
  type OwnMotion,
  type ResumeMessage,
  type RightsMessage,
  type Snapshot,
  type TextureUploadResponse,
  type TickInput,
  type WorldInfo,
} from "@tessera/protocol";
import type { AvatarMotionState } from "@tessera/sim";
import { ChatLog } from "./chat-log.ts";
import { ServerClock } from "./clock.ts";
import type { EditDone, EditStats } from "./edits.ts";
import { LagSimulator, isLagging, type LagOptions } from "./lag.ts";
import { leaveRoom } from "./leave-room.ts";
import { meterRoom } from "./net-meter.ts";
import { OwnPrediction, stateFromSnapshot } from "./own-prediction.ts";
import { PlayerEdits } from "./player-edits.ts";
import { PredictionWorld } from "./prediction-world.ts";
import { PrimSet } from "./prim-set.ts";
import { Reentry, type ReconnectState } from "./reentry.ts";
import { RemoteAvatars, type RemoteAvatar } from "./remote-avatars.ts";
import { RollingRate } from "./rolling.ts";
import { memorySessionStore, type SessionStore } from "./session.ts";
import { SessionKeeper } from "./session-keeper.ts";
import { uploadTexture } from "./texture-upload.ts";
import { OthersSelections, OwnSelection } from "./selections.ts";
import { TileLink, type TileView } from "./tile-link.ts";
import { TileSet } from "./tile-set.ts";
import { BodyTrack } from "./tracks.ts";

export type { RemoteAvatar } from "./remote-avatars.ts";
export type { ReconnectState } from "./reentry.ts";
export type { TileView } from "./tile-link.ts";

/** `replaced`: the player entered from elsewhere; `revoked`: an operator revoked the player. Both are final. */
export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "replaced" | "revoked" | "offline";

/** The own avatar's state as the relay last acknowledged it. */
export interface OwnAvatar extends OwnMotion {
  /** Seq of the last input the relay simulated. */
  ack: number;
  /** The world tick of the snapshot that said so. */
  tick: number;
  receivedAt: number;
}

/** Figures about the link, for the stats overlay, the QA hook and bots. */
export interface NetStats {
  rttMs: number;
  /** The relay's simulation tick now, as estimated here. */
  serverTick: number;
  /** How far behind the relay others are shown, ms. */
  interpolationDelayMs: number;
  /** How late snapshots arrive on average, ms. */
  jitterMs: number;
  /** |predicted - relay's| position of the own avatar at each acknowledgement, cm, over the last ~30 s. */
  predictionErrorCm: { p50: number; p99: number; samples: number };
  correctionsPerMinute: number;
  kbpsDown: number;
  kbpsUp: number;
  bytesDown: number;
  bytesUp: number;
  /** Snapshots received. */
  snapshots: number;
  /** Other avatars and moving physical prims shown. */
  entities: number;
}

export interface WorldClientOptions {
  /** The relay's base URL, e.g. `http://localhost:2567`. */
  endpoint: string;
  /** Display name; defaults to the one the relay picked for this guest. */
  name?: string;
  /** Where the guest identity is kept; defaults to memory (a new guest every process). */
  store?: SessionStore;
  now?: () => number;
  /** Predict the own avatar (default); a client that only watches can leave physics out. */
  predict?: boolean;
  /** Track other avatars for display (default); a headless client that never shows them can leave them out. */
  others?: boolean;
  /** Delay and drop messages both ways, as a bad network would (testing and tuning). */
  lag?: LagOptions;
  /** Join every tile within this many metres of the avatar; the world's default (`viewRadius`) otherwise. */
  viewRadius?: number;
}

type Listener = () => void;

const PING_INTERVAL_MS = 2000;
const MAX_ERRORS_KEPT = 20;
/**
 * A dropped socket tries to resume its session this often, ms, for as long as the relay keeps a
 * dropped avatar (20 s): a relay that restarted refuses at once (close code 4003), and the client
 * enters again from scratch, so it is back within about a second of its relay answering again.
 */
const RESUME_DELAY_MS = 500;
const RESUME_RETRIES = 42;
/** Bandwidth figures are averaged over this window. */
const RATE_WINDOW_MS = 2000;
/** Time a frame, and an input tick, may spend building the prediction world's new colliders, ms. */
const FRAME_BUILD_MS = 3;
const TICK_BUILD_MS = 2;
/** Prediction waits until the static world is built this far around the avatar, metres. */
const SETTLED_RADIUS = 24;
/** The view is brought up to date when the avatar has moved this far, metres. */
const VIEW_STEP = 0.5;
/** A tile whose join failed or whose room went away is joined again after this long, ms. */
const TILE_RETRY_MS = 1000;
/** Avatars and prims no tile holds are looked for this often, ms. */
const PRUNE_INTERVAL_MS = 200;
/** A prim one tile let go of is kept this long for the neighbour that takes it over to say so, ms. */
const UNHELD_GRACE_MS = 1000;

/**
 * A player's link to the world: a guest session, the tile rooms within view (joined as the avatar
 * walks, left when they fall far behind), their motion snapshots and prims, and the player's
 * numbered inputs. One tile room holds the own avatar (its authority) and hands it to the next as it
 * crosses a border; the client follows without a gap: inputs near a border go to the tiles on both
 * sides, and every tile counts ticks on the world's clock. The own avatar is predicted (every input
 * is simulated at once and reconciled with the relay's acknowledgements); everyone else is shown a
 * little in the past, interpolated between snapshots, whichever tile sends them. Framework-free: the
 * browser app binds it to React, bots and tests use it as is. Reconnects by itself when a socket
 * drops, and enters again from scratch when its avatar's room is gone (a relay restart).
 *
 * Fast-changing data (positions) is read with getters each frame after {@link frame}; {@link subscribe}
 * reports the slow changes (status, who is here, tiles joined and loaded).
 */
export class WorldClient {
  readonly world: WorldInfo;
  readonly playerId: string;
  readonly name: string;
  /** The prims of every joined tile, kept up to date; listen to it for changes. */
  readonly prims: PrimSet;
  /** What the other players have selected in the joined tiles; subscribe to it for changes. */
  readonly selections: OthersSelections;
  /** Local chat the own avatar heard. */
  readonly chat = new ChatLog();
  private readonly endpoint: string;
  private readonly colyseus: ColyseusClient;
  private readonly now: () => number;
  private readonly listeners = new Set<Listener>();
  private readonly links = new TileSet();
  private readonly ownSelection = new OwnSelection(this.links, (link, message) => this.outgoing(() => link.room?.send(ClientMessage.Select, message)));
  private readonly view: ViewSubscription;
  /** When a tile that failed may be joined again (ms), by id. */
  private readonly retryAt = new Map<string, number>();
  private readonly lastViewAt = { x: Number.NaN, z: Number.NaN };
  private readonly remotes = new RemoteAvatars();
  private readonly edits: PlayerEdits;
  private readonly bodyTracks = new Map<number, BodyTrack>();
  private readonly clock = new ServerClock();
  /** Simulated bad network, one for each direction. */
  private readonly lag: { down: LagSimulator; up: LagSimulator } | undefined;
  private readonly predictionWorld: PredictionWorld | undefined;
  private readonly prediction: OwnPrediction | undefined;
  private readonly tracksOthers: boolean;
  /** The tile whose room holds the own avatar, as its latest own-avatar block says. */
  private authority: TileLink | undefined;
  private statusValue: ConnectionStatus = "connecting";
  private own: OwnAvatar | undefined;
  private ownTick = -1;
  private readonly ownShown = { x: 0, y: 0, z: 0 };
  /** Whether the own avatar is shown predicted (else as the relay last put it). */
  private showingPrediction = false;
  private seq = 0;
  private recent: TickInput[] = [];
  private rtt = 0;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pruneTimer: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  private readonly reentry = new Reentry();
  private readonly session: SessionKeeper;
  /** The relay's latest word on where the own avatar stands, to enter again there. */
  private resumeToken: string | undefined;
  private readonly errorLog: ErrorMessage[] = [];
  private versionValue = 0;
  private renderTick = 0;
  private shownAtValue = 0;
  private snapshots = 0;
  private bytesDown = 0;
  private bytesUp = 0;
  private readonly down: RollingRate;
  private readonly up: RollingRate;

  private constructor(world: WorldInfo, session: SessionKeeper, options: WorldClientOptions, prims: PrimSet, predictionWorld: PredictionWorld | undefined) {
    this.world = world;
    this.prims = prims;
    this.selections = new OthersSelections(session.current.playerId);
    this.session = session;
    this.playerId = session.current.playerId;
    this.name = options.name ?? session.current.name;
    this.endpoint = options.endpoint;
    this.now = options.now ?? (() => performance.now());
    this.colyseus = new ColyseusClient(options.endpoint);
    this.colyseus.auth.token = session.current.token;
    session.start(
      (token) => (this.colyseus.auth.token = token),
      (error) => this.logError({ code: ErrorCode.BadMessage, message: `could not renew the guest token: ${error.message}` }),
    );
    // A page may look less far than the relay allows, not further: the relay holds a player to the seats its view needs.
    this.view = new ViewSubscription(Math.min(options.viewRadius ?? world.viewRadius, world.viewRadius), world.tileSize, world.grid);
    this.lag = isLagging(options.lag) ? { down: new LagSimulator(options.lag), up: new LagSimulator(options.lag) } : undefined;
    this.predictionWorld = predictionWorld;
    this.prediction = predictionWorld ? new OwnPrediction(predictionWorld.sim, this.now()) : undefined;
    this.tracksOthers = options.others ?? true;
    this.edits = new PlayerEdits({
      playerId: this.playerId,
      world,
      prims,
      links: this.links,
      send: (link, message) => this.outgoing(() => link.room?.send(ClientMessage.Edit, message)),
    });
    this.down = new RollingRate(RATE_WINDOW_MS, this.now());
    this.up = new RollingRate(RATE_WINDOW_MS, this.now());
  }

  /**
   * Fetches the world, gets a guest identity (the stored one, its token renewed if due, or a new
   * one) and enters the world at the spawn point.
   */
  static async connect(options: WorldClientOptions): Promise<WorldClient> {
    const worldResponse = await fetch(new URL("/api/world", options.endpoint));
    if (!worldResponse.ok) throw new Error(`GET /api/world: ${worldResponse.status}`);
    const world = (await worldResponse.json()) as WorldInfo;
    const session = await SessionKeeper.open(options.endpoint, options.store ?? memorySessionStore(), options.name);
    const prims = new PrimSet();
    const predictionWorld = options.predict === false ? undefined : await PredictionWorld.create(world, prims);
    const client = new WorldClient(world, session, options, prims, predictionWorld);
    try {
      await client.enter();
    } catch (error) {
      client.stopTimers();
      throw error;
    }
    return client;
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  /** While the client is away from its avatar's room: since when, the attempts to get back, the last failure. */
  get reconnect(): Readonly<ReconnectState> | undefined {
    return this.statusValue === "reconnecting" ? this.reentry.state : undefined;
  }

  /** Smoothed round-trip time to the relay, ms (0 until measured; simulated lag included). */
  get rttMs(): number {
    return this.rtt;
  }

  /** Room id of the tile whose room holds the own avatar. */
  get authorityTile(): string | undefined {
    return this.authority?.id;
  }

  /** The joined tiles (and those being joined), nearest the avatar first. */
  tiles(): TileView[] {
    return this.links.views(this.viewCentre(), this.authority, this.world.tileSize);
  }

  /** Whether every joined tile's prims have all arrived. */
  get loaded(): boolean {
    return this.links.loaded;
  }

  /** The own avatar as last acknowledged by the relay, or undefined before the first snapshot. */
  get ownAvatar(): Readonly<OwnAvatar> | undefined {
    return this.own;
  }

  /**
   * Where the own avatar is shown, as of the last {@link frame}: predicted (inputs count at once), or
   * the relay's state when prediction is off. Undefined before the first snapshot.
   */
  get ownShownPosition(): Readonly<{ x: number; y: number; z: number }> | undefined {
    return this.own ? this.ownShown : undefined;
  }

  /** When (the client's clock, ms) the last {@link frame} brought what is shown up to date. */
  get shownAt(): number {
    return this.shownAtValue;
  }

  /** The predicted state after the newest input (undefined without prediction or before the first snapshot). */
  get predicted(): Readonly<AvatarMotionState> | undefined {
    return this.prediction?.state;
  }

  /** Every other avatar in the joined tiles. */
  avatars(): IterableIterator<Readonly<RemoteAvatar>> {
    return this.remotes.values();
  }

  /**
   * Edits prims of one tile: a batch of operations (`EditOp` in the protocol: create, change,
   * delete, link, unlink), applied all or nothing. Shown at once; resolves when the relay has saved
   * it, rejects with an `EditError` (and shows the prims as they were) when it is refused. Recorded
   * for {@link undo}: edits with the same `squash` key in a row (the moves of one drag) are one step.
   */
  edit(ops: readonly unknown[], options: { squash?: string } = {}): Promise<EditDone> {
    return this.edits.edit(ops, options.squash);
  }

  /**
   * Edits prims of any tiles, many at once (a drag of a large selection): as many edits as they take,
   * each all or nothing, recorded as one undo step (joined to the last under `squash`). Resolves with
   * the new prims' ids in the order of the create operations; rejects with the first refusal once
   * every edit is answered (what the others did stays, and is undoable).
   */
  editAll(ops: readonly unknown[], options: { squash?: string } = {}): Promise<number[]> {
    return this.edits.editAll(ops, options.squash);
  }

  /** Whether the player may build at (x, z), as the tile's room said; undefined for a tile not joined (or not yet told). */
  mayBuildAt(x: number, z: number): boolean | undefined {
    return this.links.get(tileId(tileOf(x, z, this.world.tileSize)))?.mayBuild;
  }

  /** Takes back the player's last edit step; false when there is none. Refused as a conflict when someone changed those prims since. */
  undo(): Promise<boolean> {
    return this.edits.undo();
  }

  /** Does again the last step taken back; false when there is none. */
  redo(): Promise<boolean> {
    return this.edits.redo();
  }

  /** Edits sent, answered and refused, and the undo and redo depths. */
  editStats(): EditStats & { undoDepth: number; redoDepth: number } {
    return this.edits.stats();
  }

  /**
   * Shows the others which prims the player has selected (all of them at once; none clears it): each
   * joined tile's room is sent the part of it the tile holds. Prims not yet acknowledged are left out.
   */
  select(ids: readonly number[]): void {
    this.ownSelection.select(ids, this.now());
  }

  /**
   * Says a line of local chat where the own avatar stands: heard within 10 m (whisper), 20 m (say)
   * or 100 m (shout), whatever tile or relay the listeners are on. Throws on a line the relay would
   * refuse (empty, too long, control characters, more than its allowance of lines) and before the
   * avatar is in the world.
   */
  say(channel: ChatChannel, text: string): void {
    const message = ChatLog.message(channel, text);
    const room = this.authority?.room;
    if (!room || this.statusValue !== "connected") throw new Error("not in the world: chat waits until the avatar is");
    this.chat.spend();
    this.outgoing(() => room.send(ClientMessage.Chat, message));
  }

  /** Uploads an image (PNG, JPEG or WebP) as a texture: its content id; rejects with TextureRefused. */
  uploadTexture(image: Blob): Promise<TextureUploadResponse> {
    return uploadTexture(this.endpoint, this.session.current.token, image);
  }

  /** The relay's latest refusals of this client's messages, newest last. */
  errors(): readonly ErrorMessage[] {
    return this.errorLog;
  }

  /**
   * Sends one tick of input (with the few before it, so a lost message loses nothing), predicts its
   * effect, and returns its seq. `yaw` is the heading "forward" means (radians, 0 = +z). The input
   * goes to the avatar's tile and, near a border, to the tiles across it.
   */
  sendInput(keys: number, yaw: number): number {
    const seq = ++this.seq;
    this.buildPredictionWorld(TICK_BUILD_MS);
    const tick: TickInput = [keys, wrapAngle(yaw)];
    this.recent.push(tick);
    if (this.recent.length > MAX_INPUT_TICKS) this.recent.shift();
    this.prediction?.step(seq, tick[0], tick[1], this.now(), this.prediction.ready && this.predictionSettled());
    if (this.statusValue === "connected" || this.statusValue === "reconnecting") {
      const message: InputMessage = { seq, ticks: [...this.recent] };
      for (const room of this.inputRooms()) this.outgoing(() => room.send(ClientMessage.Input, message));
    }
    this.updateView();
    return seq;
  }

  /**
   * Advances what is shown to now: others interpolated at the relay's time less the interpolation
   * delay, moving physical prims likewise, the own avatar predicted. Call once per rendered frame.
   */
  frame(now = this.now()): void {
    this.shownAtValue = now;
    this.buildPredictionWorld(FRAME_BUILD_MS);
    if (this.own) {
      const prediction = this.prediction?.ready && this.predictionSettled() ? this.prediction : undefined;
      if (prediction && !this.showingPrediction) prediction.takeOver(this.ownShown, now);
      this.showingPrediction = prediction !== undefined;
      if (prediction) prediction.shown(now, this.ownShown);
      else Object.assign(this.ownShown, { x: this.own.x, y: this.own.y, z: this.own.z });
    }
    this.updateView();
    if (!this.clock.started) return;
    const tick = (this.renderTick = this.clock.renderTick(now));
    this.remotes.show(tick, now);
    for (const [id, track] of this.bodyTracks) {
      // A body that came to rest and is shown resting needs its track no more: its record says where it is.
      const newest = track.newest;
      if (newest?.resting && tick > newest.tick + 1) this.bodyTracks.delete(id);
    }
  }

  /**
   * Where a moving physical prim is shown, as of the last {@link frame}: writes its position and
   * rotation and returns true, or false when it is not moving (its record holds its pose).
   */
  bodyPose(id: number, position: { x: number; y: number; z: number }, rotation: Quat): boolean {
    const track = this.bodyTracks.get(id);
    if (!track || !track.show(this.renderTick, this.now(), position)) return false;
    track.rotationAt(this.renderTick, rotation);
    return true;
  }

  /** Figures about the link. */
  get net(): NetStats {
    const now = this.now();
    const errors = this.prediction?.errors;
    return {
      rttMs: this.rtt,
      serverTick: this.clock.started ? Math.floor(this.clock.serverTick(now)) : 0,
      interpolationDelayMs: this.clock.delayMs,
      jitterMs: this.clock.jitter,
      predictionErrorCm: { p50: (errors?.percentile(50) ?? 0) * 100, p99: (errors?.percentile(99) ?? 0) * 100, samples: errors?.size ?? 0 },
      correctionsPerMinute: this.prediction?.corrections.total(now) ?? 0,
      kbpsDown: (this.down.total(now) * 8) / RATE_WINDOW_MS,
      kbpsUp: (this.up.total(now) * 8) / RATE_WINDOW_MS,
      bytesDown: this.bytesDown,
      bytesUp: this.bytesUp,
      snapshots: this.snapshots,
      entities: this.remotes.size + this.bodyTracks.size,
    };
  }

  /** Counts slow changes; a new value means {@link subscribe} listeners were called. */
  get version(): number {
    return this.versionValue;
  }

  /** Calls `listener` after each slow change: status, avatars arriving or leaving, tiles joined or loaded. */
  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Leaves the world for good. */
  async leave(): Promise<void> {
    this.stopTimers();
    this.setStatus("offline");
    const rooms = [...this.links.values()].flatMap((link) => (link.room ? [link.room] : []));
    this.links.clear();
    await Promise.all(rooms.map(leaveRoom));
    this.predictionWorld?.dispose();
  }

  /**
   * Enters the world where the relay last said the avatar stood (a resume token), else at the spawn
   * point: that tile's room gets the avatar; the tiles around follow.
   */
  private async enter(): Promise<void> {
    this.seq = 0;
    this.recent = [];
    this.own = undefined;
    this.ownTick = -1;
    this.showingPrediction = false;
    this.prediction?.reset();
    this.clock.reset();
    this.remotes.clear();
    this.bodyTracks.clear();
    for (const link of this.links.values()) this.dropLink(link);
    this.lastViewAt.x = Number.NaN;
    const link = await this.joinEntry();
    this.authority = link;
    this.setStatus("connected");
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.ping(), PING_INTERVAL_MS);
    this.ping();
    this.pruneTimer ??= setInterval(() => this.prune(), PRUNE_INTERVAL_MS);
    this.updateView();
  }

  /** Joins the tile to enter in: the resume token's, or the spawn point's when there is none or the relay refuses it. */
  private async joinEntry(): Promise<TileLink> {
    const { tileSize, spawn } = this.world;
    const resume = this.resumeToken === undefined ? undefined : readResumeToken(this.resumeToken);
    if (resume) {
      try {
        return await this.joinTile(tileId(tileOf(resume.position.x, resume.position.z, tileSize)), true, this.resumeToken);
      } catch (error) {
        // The relay answered no (a token too old, from another world): enter at the spawn point instead.
        const code = (error as { code?: unknown }).code;
        if (!(typeof code === "number" && code >= 400 && code < 500)) throw error;
        this.resumeToken = undefined;
      }
    }
    return this.joinTile(tileId(tileOf(spawn.x, spawn.z, tileSize)), true);
  }

  /** Forgets avatars and prims that no joined tile has held for a moment. */
  private prune(): void {
    const now = this.now();
    if (this.remotes.prune((id) => this.links.lists(id), now)) this.emit();
    for (const id of this.links.dropUnheld(this.prims, now, UNHELD_GRACE_MS)) this.bodyTracks.delete(id);
    this.ownSelection.sync(now);
  }

  private stopTimers(): void {
    this.closed = true;
    clearInterval(this.pingTimer);
    clearInterval(this.pruneTimer);
    this.session.stop();
  }

  /** Opens (if need be) and joins a tile's room; `enter` puts the avatar there (where `resume` says, if given). */
  private async joinTile(id: string, enter: boolean, resume?: string): Promise<TileLink> {
    const link = new TileLink(id);
    this.links.set(id, link);
    try {
      const opened = await fetch(new URL(`/api/tiles/${id}/open`, this.endpoint), { method: "POST" });
      if (!opened.ok) throw new Error(`POST /api/tiles/${id}/open: ${opened.status}`);
      // The answer names the relay that runs it; the socket's address says the same.
      await opened.body?.cancel();
      const room = await this.colyseus.joinById<TileState>(id, { name: this.name, ...(enter ? { enter: true } : {}), ...(resume ? { resume } : {}) }, TileState);
      if (this.closed || link.left) {
        void leaveRoom(room);
        return link;
      }
      this.attach(link, room);
      this.emit();
      return link;
    } catch (error) {
      if (this.links.get(id) === link) this.links.delete(id);
      this.view.drop(id);
      this.retryLater(id);
      throw error;
    }
  }

  /**
   * Joins a tile that failed or dropped again after a while, if it is still in view: the view is
   * looked at again at once (and every frame until then), also when the avatar stands still.
   */
  private retryLater(id: string): void {
    this.retryAt.set(id, this.now() + TILE_RETRY_MS);
    this.lastViewAt.x = Number.NaN;
  }

  /** Joins the tiles that came into view and leaves those far behind. */
  private updateView(): void {
    if (this.closed || this.reentry.active || !this.authority) return;
    const at = this.viewCentre();
    if (Math.hypot(at.x - this.lastViewAt.x, at.z - this.lastViewAt.z) < VIEW_STEP) return;
    this.lastViewAt.x = at.x;
    this.lastViewAt.z = at.z;
    const { join, leave } = this.view.update(at.x, at.z);
    for (const id of leave) {
      const link = this.links.get(id);
      if (link && link !== this.authority) this.dropLink(link);
    }
    const now = this.now();
    for (const id of join) {
      if (this.links.has(id)) continue;
      if ((this.retryAt.get(id) ?? 0) > now) {
        this.view.drop(id);
        this.lastViewAt.x = Number.NaN;
        continue;
      }
      this.joinTile(id, false).catch(() => undefined);
    }
  }

  /** Where the view is centred: the avatar as shown, or the spawn point before the first snapshot. */
  private viewCentre(): { x: number; z: number } {
    return this.prediction?.state ?? this.own ?? this.world.spawn;
  }

  /** The rooms an input goes to: the avatar's, and near a border the tiles across it. */
  private inputRooms(): Room<unknown, TileState>[] {
    const rooms = new Set<Room<unknown, TileState>>();
    if (this.authority?.room) rooms.add(this.authority.room);
    const at = this.prediction?.state ?? this.own;
    if (at) {
      for (const tile of tilesWithin(at.x, at.z, INPUT_REACH, this.world.tileSize, this.world.grid)) {
        const link = this.links.get(tileId(tile));
        if (link?.room && link.status === "connected") rooms.add(link.room);
      }
    }
    return [...rooms];
  }

  /** Leaves a tile: its prims and avatars go unless another tile holds them. */
  private dropLink(link: TileLink): void {
    link.left = true;
    if (this.links.get(link.id) === link) this.links.delete(link.id);
    this.view.drop(link.id);
    const room = link.room;
    link.room = undefined;
    if (room) this.outgoing(() => void leaveRoom(room));
    this.edits.editor.linkLost(link);
    this.selections.dropTile(link);
    this.ownSelection.forget(link);
    const orphaned = [...link.primIds].filter((id) => !this.links.holdsPrim(id, link));
    this.prims.remove(orphaned);
    for (const id of orphaned) this.bodyTracks.delete(id);
    if (this.authority === link) this.authority = undefined;
    this.emit();
  }

  private attach(link: TileLink, room: Room<unknown, TileState>): void {
    link.room = room;
    link.status = "connected";
    meterRoom(room, {
      down: (bytes) => {
        this.bytesDown += bytes;
        this.down.add(bytes, this.now());
      },
      up: (bytes) => {
        this.bytesUp += bytes;
        this.up.add(bytes, this.now());
      },
    });
    Object.assign(room.reconnection, { minUptime: 0, minDelay: 100, maxDelay: RESUME_DELAY_MS, maxRetries: RESUME_RETRIES });
    const syncRoster = (state: TileState) => {
      if (link.syncRoster(state)) this.emit();
    };
    room.onStateChange(syncRoster);
    // The first full state can arrive before this listener exists.
    syncRoster(room.state);
    room.onMessage(RelayMessage.Snapshot, (bytes: Uint8Array) => this.incoming(() => link.room === room && this.onSnapshot(link, bytes)));
    room.onMessage(RelayMessage.Prims, (bytes: Uint8Array) => this.incoming(() => link.room === room && this.onPrims(link, bytes)));
    room.onMessage(RelayMessage.Error, (error: ErrorMessage) => this.incoming(() => this.logError(error)));
    room.onMessage(RelayMessage.Resume, (message: ResumeMessage) =>
      this.incoming(() => {
        if (readResumeToken(message?.token)) this.resumeToken = message.token;
      }),
    );
    // Dropped, and again after each failed attempt to resume the session.
    room.onMessage(RelayMessage.Edited, (result: EditResult) => this.incoming(() => link.room === room && this.edits.editor.answer(link, result)));
    room.onMessage(RelayMessage.Selected, (message: unknown) => this.incoming(() => link.room === room && this.selections.receive(link, message)));
    room.onMessage(RelayMessage.Chat, (line: unknown) => this.incoming(() => link.room === room && this.chat.receive(line)));
    room.onMessage(RelayMessage.Rights, (message: RightsMessage) => this.incoming(() => link.room === room && (link.mayBuild = message?.build === true)));
    room.onDrop((code, reason) => {
      // Answers sent while the socket is down are lost: the edits waiting for them are settled now.
      this.edits.editor.linkLost(link);
      // The room sends every selection again when the session is back.
      this.selections.dropTile(link);
      const retrying = link.status === "reconnecting";
      link.status = "reconnecting";
      if (link !== this.authority) return;
      if (retrying) this.reentry.failed(this.now(), reason || `the relay does not answer (close code ${code})`);
      else this.reentry.away(this.now());
      this.setStatus("reconnecting");
      if (retrying) this.emit();
    });
    room.onReconnect(() => {
      link.status = "connected";
      if (link !== this.authority) return;
      this.reentry.back();
      this.setStatus("connected");
    });
    room.onLeave((code) => this.onLeave(link, room, code));
  }

  /** Measures the round trip to the avatar's tile, through the simulated lag when there is one. */
  private ping(): void {
    const room = this.authority?.room;
    if (this.statusValue !== "connected" || !room) return;
    const sent = this.now();
    this.outgoing(() =>
      room.ping(() =>
        this.incoming(() => {
          const ms = this.now() - sent;
          this.rtt = this.rtt === 0 ? ms : this.rtt * 0.8 + ms * 0.2;
        }),
      ),
    );
  }

  /**
   * Whether the client can predict: the prims of the tiles around the avatar have loaded and their
   * colliders are built. Until then a prediction would walk through what is not there yet, and the
   * avatar is shown where the relay puts it.
   */
  private predictionSettled(): boolean {
    const near = this.prediction?.state ?? this.own;
    if (!near) return false;
    for (const tile of tilesWithin(near.x, near.z, SETTLED_RADIUS, this.world.tileSize, this.world.grid)) {
      if (!this.links.get(tileId(tile))?.loaded) return false;
    }
    return this.predictionWorld!.settledNear(near, SETTLED_RADIUS);
  }

  /** Builds the prediction world's new colliders for a while. */
  private buildPredictionWorld(budgetMs: number): void {
    this.predictionWorld?.pump(budgetMs);
  }

  /** Runs `deliver` now, or after the simulated lag; never once the client has left (its world is gone). */
  private incoming(deliver: () => void): void {
    if (!this.lag) deliver();
    else this.lag.down.pass(() => this.closed || deliver());
  }

  private outgoing(send: () => void): void {
    if (!this.lag) send();
    else this.lag.up.pass(() => this.closed || send());
  }

  private onLeave(link: TileLink, room: Room<unknown, TileState>, code: number): void {
    if (link.room !== room || this.closed) return;
    if (code === TileCloseCode.Replaced || code === TileCloseCode.Revoked) {
      // The player entered again elsewhere, or was revoked: this client is done.
      this.end(code === TileCloseCode.Replaced ? "replaced" : "revoked");
      return;
    }
    const wasAuthority = link === this.authority;
    link.room = undefined;
    this.dropLink(link);
    if (code === CloseCode.CONSENTED && !wasAuthority) return;
    this.retryLater(link.id);
    // The avatar's room is gone (its relay restarted): enter the world again.
    if (wasAuthority) void this.rejoin();
  }

  /**
   * The avatar's room could not be resumed (the relay restarted, or the window passed): enter anew,
   * where the avatar stood, trying until the relay is back.
   */
  private async rejoin(): Promise<void> {
    if (this.reentry.active) return;
    this.reentry.away(this.now());
    this.setStatus("reconnecting");
    const attempt = () =>
      this.enter().catch((error: unknown) => {
        // The relay says the player was revoked (403): no attempt will do.
        if ((error as { code?: unknown }).code === 403) this.end("revoked");
        throw error;
      });
    await this.reentry.run(attempt, () => this.closed, this.now, () => this.emit());
    this.updateView();
  }

  /** This client is done for good (`replaced` or `revoked`): its tiles are left, its timers stopped. */
  private end(status: "replaced" | "revoked"): void {
    this.stopTimers();
    for (const link of [...this.links.values()]) this.dropLink(link);
    this.setStatus(status);
  }

  private logError(error: ErrorMessage): void {
    this.errorLog.push(error);
    if (this.errorLog.length > MAX_ERRORS_KEPT) this.errorLog.shift();
  }

  private onPrims(link: TileLink, bytes: Uint8Array): void {
    let message;
    try {
      message = decodePrimStream(bytes);
    } catch (error) {
      this.logError({ code: ErrorCode.BadMessage, message: `the relay sent a malformed prims message: ${(error as Error).message}` });
      return;
    }
    if (message.kind === PrimStream.Deleted) for (const id of message.ids) this.bodyTracks.delete(id);
    if (this.links.receivePrims(link, message, this.prims, this.now())) this.emit();
  }

  private onSnapshot(link: TileLink, bytes: Uint8Array): void {
    let snapshot: Snapshot;
    try {
      snapshot = decodeSnapshot(bytes);
    } catch (error) {
      this.logError({ code: ErrorCode.BadMessage, message: `the relay sent a malformed snapshot: ${(error as Error).message}` });
      return;
    }
    const now = this.now();
    this.snapshots++;
    this.clock.observe(snapshot.tick, now);
    // The own block of the room that simulated the most inputs, newest first, says where the avatar
    // is: the room that handed it over may send its last (frozen) state after the new one's first.
    if (snapshot.own && this.isNewerOwn(snapshot)) {
      this.ownTick = snapshot.tick;
      this.own = { ...snapshot.own, ack: snapshot.ack, tick: snapshot.tick, receivedAt: now };
      this.prediction?.reconcile(snapshot.ack, stateFromSnapshot(snapshot.own), now, this.predictionSettled());
      // Listeners told of a new authority find its update in place.
      if (this.authority !== link) {
        this.authority = link;
        this.emit();
      }
    }
    if (this.tracksOthers) this.onAvatars(link, snapshot, now);
    this.onBodies(snapshot, now);
  }

  private isNewerOwn(snapshot: Snapshot): boolean {
    if (!this.own) return true;
    return snapshot.ack > this.own.ack || (snapshot.ack === this.own.ack && snapshot.tick > this.ownTick);
  }

  private onAvatars(link: TileLink, snapshot: Snapshot, now: number): void {
    let arrived = false;
    for (const motion of snapshot.entities) {
      const known = link.roster.get(motion.netId);
      if (!known || known.id === this.playerId) continue;
      if (this.remotes.push(known.id, known.name, snapshot.tick, motion, now)) arrived = true;
    }
    // The roster names an avatar before its first motion: it is only "here" from now on.
    if (arrived) this.emit();
  }

  private onBodies(snapshot: Snapshot, now: number): void {
    if (snapshot.bodies.length === 0) return;
    const newer = [];
    for (const body of snapshot.bodies) {
      let track = this.bodyTracks.get(body.id);
      if (!track) this.bodyTracks.set(body.id, (track = new BodyTrack()));
      const { x, y, z, rotation } = body;
      track.push({ tick: snapshot.tick, x, y, z, rotation, resting: (body.flags & BodyFlags.Resting) !== 0 }, now);
      if (track.newest?.tick === snapshot.tick) newer.push(body);
    }
    this.prims.move(newer);
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.statusValue) return;
    this.statusValue = status;
    this.emit();
  }

  private emit(): void {
    this.versionValue++;
    for (const listener of this.listeners) listener();
  }
}
