import { Client as ColyseusClient, CloseCode, type Room } from "@colyseus/sdk";
import type { Quat } from "@tessera/prims";
import {
  BodyFlags,
  ClientMessage,
  ErrorCode,
  MAX_INPUT_TICKS,
  PrimStream,
  RelayMessage,
  TileCloseCode,
  TileState,
  decodePrimStream,
  decodeSnapshot,
  tileId,
  tileOf,
  wrapAngle,
  type ErrorMessage,
  type InputMessage,
  type OwnMotion,
  type Snapshot,
  type TickInput,
  type WorldInfo,
} from "@tessera/protocol";
import type { AvatarMotionState } from "@tessera/sim";
import { ServerClock } from "./clock.ts";
import { LagSimulator, isLagging, type LagOptions } from "./lag.ts";
import { meterRoom } from "./net-meter.ts";
import { OwnPrediction, stateFromSnapshot } from "./own-prediction.ts";
import { PredictionWorld } from "./prediction-world.ts";
import { PrimSet } from "./prim-set.ts";
import { RollingRate } from "./rolling.ts";
import { memorySessionStore, requestSession, type SessionStore } from "./session.ts";
import { AvatarTrack, BodyTrack } from "./tracks.ts";

export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "replaced" | "offline";

/** Another avatar. Positions are world metres, feet on the ground. */
export interface RemoteAvatar {
  readonly id: string;
  name: string;
  netId: number;
  /** The latest state the relay sent. */
  x: number;
  y: number;
  z: number;
  yaw: number;
  flags: number;
  /** When the latest snapshot of it arrived (ms, the client's clock). */
  receivedAt: number;
  /** Where it is shown: interpolated between snapshots, as of the last {@link WorldClient.frame}. */
  readonly shown: { x: number; y: number; z: number; yaw: number };
}

/** The own avatar's state as the relay last acknowledged it. */
export interface OwnAvatar extends OwnMotion {
  /** Seq of the last input the relay simulated. */
  ack: number;
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
  /** Delay and drop messages both ways, as a bad network would (testing and tuning). */
  lag?: LagOptions;
}

type Listener = () => void;

const PING_INTERVAL_MS = 2000;
const REJOIN_DELAYS_MS = [250, 500, 1000, 2000, 4000];
const MAX_ERRORS_KEPT = 20;
/** Bandwidth figures are averaged over this window. */
const RATE_WINDOW_MS = 2000;
/** Time a frame, and an input tick, may spend building the prediction world's new colliders, ms. */
const FRAME_BUILD_MS = 3;
const TICK_BUILD_MS = 2;
/** Prediction waits until the static world is built this far around the avatar, metres. */
const SETTLED_RADIUS = 24;

/**
 * A player's link to the world: a guest session, the tile room it stands in, the relay's motion
 * snapshots, the tile's prims, and the player's numbered inputs. The own avatar is predicted (every
 * input is simulated at once and reconciled with the relay's acknowledgements); everyone else is
 * shown a little in the past, interpolated between snapshots. Framework-free: the browser app binds
 * it to React, bots and tests use it as is. Reconnects by itself when the socket drops, and joins
 * again from scratch when the room is gone (a relay restart).
 *
 * Fast-changing data (positions) is read with getters each frame after {@link frame}; {@link subscribe}
 * reports the slow changes (status, who is here).
 */
export class WorldClient {
  readonly world: WorldInfo;
  readonly playerId: string;
  readonly name: string;
  /** The prims of the tile, kept up to date; listen to it for changes. */
  readonly prims: PrimSet;
  private readonly colyseus: ColyseusClient;
  private readonly now: () => number;
  private readonly listeners = new Set<Listener>();
  private readonly remotes = new Map<number, RemoteAvatar>();
  private readonly avatarTracks = new Map<number, AvatarTrack>();
  private readonly bodyTracks = new Map<number, BodyTrack>();
  private readonly roster = new Map<number, { id: string; name: string }>();
  private readonly clock = new ServerClock();
  /** Simulated bad network, one for each direction. */
  private readonly lag: { down: LagSimulator; up: LagSimulator } | undefined;
  private readonly predictionWorld: PredictionWorld | undefined;
  private readonly prediction: OwnPrediction | undefined;
  private room: Room<unknown, TileState> | undefined;
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
  private closed = false;
  private readonly errorLog: ErrorMessage[] = [];
  private versionValue = 0;
  private renderTick = 0;
  private snapshots = 0;
  private bytesDown = 0;
  private bytesUp = 0;
  private readonly down: RollingRate;
  private readonly up: RollingRate;

  private constructor(
    world: WorldInfo,
    session: { playerId: string; name: string; token: string },
    options: WorldClientOptions,
    prims: PrimSet,
    predictionWorld: PredictionWorld | undefined,
  ) {
    this.world = world;
    this.prims = prims;
    this.playerId = session.playerId;
    this.name = session.name;
    this.now = options.now ?? (() => performance.now());
    this.colyseus = new ColyseusClient(options.endpoint);
    this.colyseus.auth.token = session.token;
    this.lag = isLagging(options.lag) ? { down: new LagSimulator(options.lag), up: new LagSimulator(options.lag) } : undefined;
    this.predictionWorld = predictionWorld;
    this.prediction = predictionWorld ? new OwnPrediction(predictionWorld.sim, this.now()) : undefined;
    this.down = new RollingRate(RATE_WINDOW_MS, this.now());
    this.up = new RollingRate(RATE_WINDOW_MS, this.now());
  }

  /** Fetches the world, gets (or reuses) a guest identity and joins the tile of the spawn point. */
  static async connect(options: WorldClientOptions): Promise<WorldClient> {
    const store = options.store ?? memorySessionStore();
    const worldResponse = await fetch(new URL("/api/world", options.endpoint));
    if (!worldResponse.ok) throw new Error(`GET /api/world: ${worldResponse.status}`);
    const world = (await worldResponse.json()) as WorldInfo;
    let session = store.load();
    if (!session) {
      session = await requestSession(options.endpoint, options.name);
      store.save(session);
    }
    const prims = new PrimSet();
    const predictionWorld = options.predict === false ? undefined : await PredictionWorld.create(world, prims);
    const client = new WorldClient(world, { ...session, name: options.name ?? session.name }, options, prims, predictionWorld);
    await client.join();
    return client;
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  /** Smoothed round-trip time to the relay, ms (0 until measured; simulated lag included). */
  get rttMs(): number {
    return this.rtt;
  }

  /** Room id of the tile the player is in. */
  get tileRoomId(): string | undefined {
    return this.room?.roomId;
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

  /** The predicted state after the newest input (undefined without prediction or before the first snapshot). */
  get predicted(): Readonly<AvatarMotionState> | undefined {
    return this.prediction?.state;
  }

  /** Every other avatar in the tile. */
  avatars(): IterableIterator<Readonly<RemoteAvatar>> {
    return this.remotes.values();
  }

  /** The relay's latest refusals of this client's messages, newest last. */
  errors(): readonly ErrorMessage[] {
    return this.errorLog;
  }

  /**
   * Sends one tick of input (with the few before it, so a lost message loses nothing), predicts its
   * effect, and returns its seq. `yaw` is the heading "forward" means (radians, 0 = +z).
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
      const room = this.room;
      this.outgoing(() => room?.send(ClientMessage.Input, message));
    }
    return seq;
  }

  /**
   * Advances what is shown to now: others interpolated at the relay's time less the interpolation
   * delay, moving physical prims likewise, the own avatar predicted. Call once per rendered frame.
   */
  frame(now = this.now()): void {
    this.buildPredictionWorld(FRAME_BUILD_MS);
    if (this.own) {
      const prediction = this.prediction?.ready && this.predictionSettled() ? this.prediction : undefined;
      if (prediction && !this.showingPrediction) prediction.takeOver(this.ownShown, now);
      this.showingPrediction = prediction !== undefined;
      if (prediction) prediction.shown(now, this.ownShown);
      else Object.assign(this.ownShown, { x: this.own.x, y: this.own.y, z: this.own.z });
    }
    if (!this.clock.started) return;
    const tick = (this.renderTick = this.clock.renderTick(now));
    for (const [netId, remote] of this.remotes) {
      const track = this.avatarTracks.get(netId);
      if (track?.show(tick, now, remote.shown)) remote.shown.yaw = track.yawAt(tick);
    }
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

  /** Calls `listener` after each slow change: status, avatars arriving or leaving, the tile's prims loaded. */
  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Leaves the world for good. */
  async leave(): Promise<void> {
    this.closed = true;
    clearInterval(this.pingTimer);
    this.setStatus("offline");
    await this.room?.leave(true);
    this.predictionWorld?.dispose();
  }

  private async join(): Promise<void> {
    const tile = tileOf(this.world.spawn.x, this.world.spawn.z, this.world.tileSize);
    const room = await this.colyseus.joinById<TileState>(tileId(tile), { name: this.name }, TileState);
    this.seq = 0;
    this.recent = [];
    this.own = undefined;
    this.ownTick = -1;
    this.showingPrediction = false;
    this.prediction?.reset();
    this.clock.reset();
    this.remotes.clear();
    this.avatarTracks.clear();
    this.bodyTracks.clear();
    this.roster.clear();
    this.prims.clear();
    this.attach(room);
    this.setStatus("connected");
  }

  private attach(room: Room<unknown, TileState>): void {
    this.room = room;
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
    // Reconnect quickly and give up on the same session after ~10 s: then join again from scratch.
    Object.assign(room.reconnection, { minUptime: 0, minDelay: 100, maxDelay: 2000, maxRetries: 8 });
    room.onStateChange((state) => this.syncRoster(state));
    // The first full state can arrive before this listener exists.
    this.syncRoster(room.state);
    room.onMessage(RelayMessage.Snapshot, (bytes: Uint8Array) => this.incoming(() => this.onSnapshot(bytes)));
    room.onMessage(RelayMessage.Prims, (bytes: Uint8Array) => this.incoming(() => this.onPrims(bytes)));
    room.onMessage(RelayMessage.Error, (error: ErrorMessage) => this.incoming(() => this.logError(error)));
    room.onDrop(() => this.setStatus("reconnecting"));
    room.onReconnect(() => this.setStatus("connected"));
    room.onLeave((code) => this.onLeave(room, code));
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.ping(room), PING_INTERVAL_MS);
  }

  /** Measures the round trip, through the simulated lag when there is one. */
  private ping(room: Room<unknown, TileState>): void {
    if (this.statusValue !== "connected") return;
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
   * Whether the client can predict: the tile's prims have loaded and their colliders are built around
   * the avatar. Until then a prediction would walk through what is not there yet, and the avatar is
   * shown where the relay puts it.
   */
  private predictionSettled(): boolean {
    const near = this.prediction?.state ?? this.own;
    return this.prims.loaded && near !== undefined && this.predictionWorld!.settledNear(near, SETTLED_RADIUS);
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

  private onLeave(room: Room<unknown, TileState>, code: number): void {
    if (room !== this.room || this.closed) return;
    clearInterval(this.pingTimer);
    if (code === TileCloseCode.Replaced) {
      this.setStatus("replaced");
      return;
    }
    if (code === CloseCode.CONSENTED) {
      this.setStatus("offline");
      return;
    }
    this.setStatus("reconnecting");
    void this.rejoin();
  }

  /** The session could not be resumed (the relay restarted, or the window passed): join anew. */
  private async rejoin(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, REJOIN_DELAYS_MS[Math.min(attempt, REJOIN_DELAYS_MS.length - 1)]));
      if (this.closed) return;
      try {
        await this.join();
        return;
      } catch {
        // The relay is not back yet: try again.
      }
    }
  }

  private logError(error: ErrorMessage): void {
    this.errorLog.push(error);
    if (this.errorLog.length > MAX_ERRORS_KEPT) this.errorLog.shift();
  }

  private onPrims(bytes: Uint8Array): void {
    let message;
    try {
      message = decodePrimStream(bytes);
    } catch (error) {
      this.logError({ code: ErrorCode.BadMessage, message: `the relay sent a malformed prims message: ${(error as Error).message}` });
      return;
    }
    if (message.kind === PrimStream.Update) {
      this.prims.put(message.prims);
      return;
    }
    this.prims.beginLoad();
    this.prims.put(message.prims);
    if (message.kind === PrimStream.LoadDone) {
      this.prims.endLoad();
      this.emit();
    }
  }

  private onSnapshot(bytes: Uint8Array): void {
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
    // Only a newer snapshot says where the own avatar is.
    if (snapshot.own && snapshot.tick > this.ownTick) {
      this.ownTick = snapshot.tick;
      this.own = { ...snapshot.own, ack: snapshot.ack, receivedAt: now };
      this.prediction?.reconcile(snapshot.ack, stateFromSnapshot(snapshot.own), now, this.predictionSettled());
    }
    this.onAvatars(snapshot, now);
    this.onBodies(snapshot, now);
  }

  private onAvatars(snapshot: Snapshot, now: number): void {
    const ownNetId = this.ownNetId();
    let arrived = false;
    for (const motion of snapshot.entities) {
      if (motion.netId === ownNetId) continue;
      const known = this.roster.get(motion.netId);
      if (!known) continue;
      let track = this.avatarTracks.get(motion.netId);
      if (!track) this.avatarTracks.set(motion.netId, (track = new AvatarTrack()));
      track.push({ tick: snapshot.tick, x: motion.x, y: motion.y, z: motion.z, yaw: motion.yaw, flags: motion.flags }, now);
      const remote = this.remotes.get(motion.netId);
      if (!remote) {
        const { netId, x, y, z, yaw, flags } = motion;
        this.remotes.set(netId, { id: known.id, name: known.name, netId, x, y, z, yaw, flags, receivedAt: now, shown: { x, y, z, yaw } });
        arrived = true;
        continue;
      }
      if (track.newest?.tick === snapshot.tick) {
        Object.assign(remote, motion);
        remote.receivedAt = now;
      }
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

  private ownNetId(): number | undefined {
    for (const [netId, entry] of this.roster) if (entry.id === this.playerId) return netId;
    return undefined;
  }

  private syncRoster(state: TileState): void {
    let changed = false;
    const seen = new Set<number>();
    state.avatars.forEach((info) => {
      seen.add(info.netId);
      const known = this.roster.get(info.netId);
      if (!known || known.id !== info.id || known.name !== info.name) {
        this.roster.set(info.netId, { id: info.id, name: info.name });
        const remote = this.remotes.get(info.netId);
        if (remote && remote.id !== info.id) this.forget(info.netId);
        else if (remote) remote.name = info.name;
        changed = true;
      }
    });
    for (const netId of [...this.roster.keys()]) {
      if (seen.has(netId)) continue;
      this.roster.delete(netId);
      this.forget(netId);
      changed = true;
    }
    if (changed) this.emit();
  }

  private forget(netId: number): void {
    this.remotes.delete(netId);
    this.avatarTracks.delete(netId);
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
