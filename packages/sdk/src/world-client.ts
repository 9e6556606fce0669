import { Client as ColyseusClient, CloseCode, type Room } from "@colyseus/sdk";
import {
  ClientMessage,
  ErrorCode,
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
  type WorldInfo,
} from "@tessera/protocol";
import { PrimSet } from "./prim-set.ts";
import { memorySessionStore, requestSession, type SessionStore } from "./session.ts";

export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "replaced" | "offline";

/** Another avatar as last reported by the relay. Positions are world metres, feet on the ground. */
export interface RemoteAvatar {
  readonly id: string;
  name: string;
  netId: number;
  x: number;
  y: number;
  z: number;
  yaw: number;
  flags: number;
  /** When the latest snapshot of it arrived (ms, the client's clock). */
  receivedAt: number;
}

/** The own avatar's state as the relay last acknowledged it. */
export interface OwnAvatar extends OwnMotion {
  /** Seq of the last input the relay simulated. */
  ack: number;
  receivedAt: number;
}

export interface WorldClientOptions {
  /** The relay's base URL, e.g. `http://localhost:2567`. */
  endpoint: string;
  /** Display name; defaults to the one the relay picked for this guest. */
  name?: string;
  /** Where the guest identity is kept; defaults to memory (a new guest every process). */
  store?: SessionStore;
  now?: () => number;
}

type Listener = () => void;

const PING_INTERVAL_MS = 2000;
const REJOIN_DELAYS_MS = [250, 500, 1000, 2000, 4000];
const MAX_ERRORS_KEPT = 20;

/**
 * A player's link to the world: a guest session, the tile room it stands in, the relay's motion
 * snapshots, and the player's numbered inputs. Framework-free: the browser app binds it to React,
 * bots and tests use it as is. Reconnects by itself when the socket drops, and joins again from
 * scratch when the room is gone (a relay restart).
 *
 * Fast-changing data (positions) is read with getters each frame; {@link subscribe} reports the
 * slow changes (status, who is here).
 */
export class WorldClient {
  readonly world: WorldInfo;
  readonly playerId: string;
  readonly name: string;
  /** The prims of the tile, kept up to date; listen to it for changes. */
  readonly prims = new PrimSet();
  private readonly colyseus: ColyseusClient;
  private readonly now: () => number;
  private readonly listeners = new Set<Listener>();
  private readonly remotes = new Map<number, RemoteAvatar>();
  private readonly roster = new Map<number, { id: string; name: string }>();
  private room: Room<unknown, TileState> | undefined;
  private statusValue: ConnectionStatus = "connecting";
  private own: OwnAvatar | undefined;
  private seq = 0;
  private rtt = 0;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  private readonly errorLog: ErrorMessage[] = [];
  private versionValue = 0;

  private constructor(world: WorldInfo, session: { playerId: string; name: string; token: string }, endpoint: string, now: () => number) {
    this.world = world;
    this.playerId = session.playerId;
    this.name = session.name;
    this.now = now;
    this.colyseus = new ColyseusClient(endpoint);
    this.colyseus.auth.token = session.token;
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
    const client = new WorldClient(world, { ...session, name: options.name ?? session.name }, options.endpoint, options.now ?? (() => performance.now()));
    await client.join();
    return client;
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  /** Smoothed round-trip time to the relay, ms (0 until measured). */
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

  /** Every other avatar in the tile. */
  avatars(): IterableIterator<Readonly<RemoteAvatar>> {
    return this.remotes.values();
  }

  /** The relay's latest refusals of this client's messages, newest last. */
  errors(): readonly ErrorMessage[] {
    return this.errorLog;
  }

  /** Sends one tick of input and returns its seq. `yaw` is the heading "forward" means (radians, 0 = +z). */
  sendInput(keys: number, yaw: number): number {
    const input: InputMessage = { seq: ++this.seq, keys, yaw: wrapAngle(yaw) };
    if (this.statusValue === "connected" || this.statusValue === "reconnecting") this.room?.send(ClientMessage.Input, input);
    return input.seq;
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
  }

  private async join(): Promise<void> {
    const tile = tileOf(this.world.spawn.x, this.world.spawn.z, this.world.tileSize);
    const room = await this.colyseus.joinById<TileState>(tileId(tile), { name: this.name }, TileState);
    this.seq = 0;
    this.own = undefined;
    this.remotes.clear();
    this.roster.clear();
    this.prims.clear();
    this.attach(room);
    this.setStatus("connected");
  }

  private attach(room: Room<unknown, TileState>): void {
    this.room = room;
    // Reconnect quickly and give up on the same session after ~10 s: then join again from scratch.
    Object.assign(room.reconnection, { minUptime: 0, minDelay: 100, maxDelay: 2000, maxRetries: 8 });
    room.onStateChange((state) => this.syncRoster(state));
    // The first full state can arrive before this listener exists.
    this.syncRoster(room.state);
    room.onMessage(RelayMessage.Snapshot, (bytes: Uint8Array) => this.onSnapshot(bytes));
    room.onMessage(RelayMessage.Prims, (bytes: Uint8Array) => this.onPrims(bytes));
    room.onMessage(RelayMessage.Error, (error: ErrorMessage) => this.logError(error));
    room.onDrop(() => this.setStatus("reconnecting"));
    room.onReconnect(() => this.setStatus("connected"));
    room.onLeave((code) => this.onLeave(room, code));
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (this.statusValue !== "connected") return;
      room.ping((ms) => {
        this.rtt = this.rtt === 0 ? ms : this.rtt * 0.8 + ms * 0.2;
      });
    }, PING_INTERVAL_MS);
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
    const snapshot = decodeSnapshot(bytes);
    this.prims.move(snapshot.bodies);
    const now = this.now();
    if (snapshot.own) this.own = { ...snapshot.own, ack: snapshot.ack, receivedAt: now };
    const ownNetId = this.ownNetId();
    let arrived = false;
    for (const motion of snapshot.entities) {
      if (motion.netId === ownNetId) continue;
      const known = this.roster.get(motion.netId);
      if (!known) continue;
      const remote = this.remotes.get(motion.netId);
      if (!remote) {
        this.remotes.set(motion.netId, { id: known.id, name: known.name, ...motion, receivedAt: now });
        arrived = true;
        continue;
      }
      Object.assign(remote, motion);
      remote.receivedAt = now;
    }
    // The roster names an avatar before its first motion: it is only "here" from now on.
    if (arrived) this.emit();
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
        if (remote && remote.id !== info.id) this.remotes.delete(info.netId);
        else if (remote) remote.name = info.name;
        changed = true;
      }
    });
    for (const netId of [...this.roster.keys()]) {
      if (seen.has(netId)) continue;
      this.roster.delete(netId);
      this.remotes.delete(netId);
      changed = true;
    }
    if (changed) this.emit();
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
