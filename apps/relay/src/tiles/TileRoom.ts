import { Room, ServerError, type AuthContext, type Client, type Deferred } from "@colyseus/core";
import { z } from "zod";
import {
  AvatarInfo,
  ClientMessage,
  MotionFlags,
  RelayMessage,
  TICK_RATE,
  TileCloseCode,
  TileState,
  formatIssues,
  gridBounds,
  inputMessageSchema,
  isTileInGrid,
  joinOptionsSchema,
  tileCentre,
  tileId,
  type BodyMotion,
  type InputMessage,
  type OwnMotion,
  type TileCoord,
  type WorldConfig,
} from "@tessera/protocol";
import { SimWorld, type AvatarBody, type AvatarMotionState } from "@tessera/sim";
import type { GuestTokens, TileClaims } from "../auth/signer.ts";
import type { Logger } from "../log.ts";
import type { PrimSource } from "../world/prim-source.ts";
import { InputQueue } from "./input-queue.ts";
import { MessageGuard } from "./message-guard.ts";
import { NetIds } from "./net-ids.ts";
import { PrimLoads } from "./prim-loads.ts";
import { SnapshotScheduler } from "./snapshot-scheduler.ts";
import { TickTimes } from "./tick-times.ts";
import { TilePrims } from "./tile-prims.ts";
import type { TileRegistry } from "./tile-registry.ts";

/** What a tile room needs from its relay; passed as the room type's default options. */
export interface TileServices {
  world: WorldConfig;
  tokens: GuestTokens;
  claims: TileClaims;
  /** What the tile holds when it opens. */
  prims: PrimSource;
  log: Logger;
  /** Each client's downstream budget for snapshots, kbit/s. */
  snapshotBudgetKbps: number;
  /** Where open tiles report on themselves. */
  tiles: TileRegistry;
}

/** Who a connection is, established in onAuth. */
export interface PlayerAuth {
  playerId: string;
  name: string;
}

type TileClient = Client<{ auth: PlayerAuth }>;
/** Colyseus types a Deferred's `reject` as a bare Function. */
type Reconnection = Deferred<Client> & { reject(reason: Error): void };

interface TileAvatar {
  readonly playerId: string;
  /** The session that drives it; another session of the same player takes it over. */
  sessionId: string;
  readonly info: AvatarInfo;
  readonly body: AvatarBody;
  readonly inputs: InputQueue;
  /** Its slot in the snapshot scheduler; -1 until the roster that names it has gone out. */
  slot: number;
}

const createOptionsSchema = z.object({ tx: z.number().int(), tz: z.number().int(), claim: z.string() });

/** How long a dropped player's avatar waits for its connection to come back. */
export const RECONNECT_WINDOW_S = 20;
/** WebSocket close code of a page that is going away (tab closed, navigated elsewhere). */
const GOING_AWAY = 1001;

/**
 * One tile of the world, as one Colyseus room `tile_<tx>_<tz>`: the authority for the avatars in it.
 * Runs the shared sim step at a fixed tick from numbered inputs and sends each client a binary motion
 * snapshot with the acknowledgement of its own last simulated input.
 */
export class TileRoom extends Room<{ state: TileState; client: TileClient }> {
  override maxMessagesPerSecond = 300;
  override autoDispose = false;
  override patchRate = 100;

  private services!: TileServices;
  private tile!: TileCoord;
  private sim!: SimWorld;
  private prims!: TilePrims;
  private readonly loads = new PrimLoads();
  private guard!: MessageGuard;
  private readonly avatars = new Map<string, TileAvatar>();
  private readonly bySession = new Map<string, TileAvatar>();
  /** Dropped sessions still allowed back; rejecting one ends it. */
  private readonly reconnections = new Map<string, Reconnection>();
  private readonly netIds = new NetIds();
  private snapshots!: SnapshotScheduler;
  /** Avatars not yet in the scheduler: clients learn of them from the next state patch. */
  private readonly unannounced = new Set<TileAvatar>();
  /** Scheduler slots of the tile's physical linksets, by their index in `TilePrims.bodyMotions`. */
  private bodySlots: number[] = [];
  private readonly onBodyMoved = (index: number, motion: BodyMotion) => this.snapshots.setBody(this.bodySlots[index]!, motion);
  private readonly tickTimes = new TickTimes();
  /** The own block of the snapshot being composed, reused. */
  private readonly own: OwnMotion = { x: 0, y: 0, z: 0, vy: 0, yaw: 0, flags: 0 };
  private tick = 0;

  override async onCreate(options: { services: TileServices } & Record<string, unknown>): Promise<void> {
    this.services = options.services;
    const parsed = createOptionsSchema.safeParse(options);
    if (!parsed.success) throw new ServerError(400, `tile rooms are opened by the relay: ${formatIssues(parsed.error)}`);
    const { tx, tz, claim } = parsed.data;
    const id = tileId({ tx, tz });
    if (!isTileInGrid({ tx, tz }, this.services.world.grid)) throw new ServerError(400, `${id} is not on the grid`);
    if (!this.services.claims.verify(id, claim)) throw new ServerError(403, "tile rooms are opened by the relay, not by clients");
    this.tile = { tx, tz };
    this.roomId = id;
    // Joinable by id only: never matched by join/joinOrCreate.
    await this.setPrivate(true);
    this.state = new TileState();
    this.sim = await SimWorld.create();
    this.sim.addTerrain(gridBounds(this.services.world.grid, this.services.world.tileSize));
    this.prims = new TilePrims(this.sim, this.services.prims.tilePrims(this.tile));
    const origin = tileCentre(this.tile, this.services.world.tileSize);
    this.snapshots = new SnapshotScheduler({ originX: Math.round(origin.x), originZ: Math.round(origin.z), budgetKbps: this.services.snapshotBudgetKbps });
    this.bodySlots = this.prims.bodyMotions().map((motion) => this.snapshots.addBody(motion));
    this.services.tiles.add(id, () => ({ id, players: this.avatars.size, prims: this.prims.count, tickMs: this.tickTimes.summary() }));
    this.guard = new MessageGuard({ perSecond: 60, burst: 90 });
    this.onMessage(ClientMessage.Input, this.guard.accept(ClientMessage.Input, inputMessageSchema, (client: TileClient, input) => this.onInput(client, input)));
    this.onMessage("*", this.guard.unknown);
    this.setFixedTimestep(() => this.step(), TICK_RATE);
  }

  override onAuth(_client: Client, options: unknown, context: AuthContext): PlayerAuth {
    const playerId = this.services.tokens.verify(context.token);
    if (!playerId) throw new ServerError(401, "missing or invalid guest token: get one from POST /api/session");
    const join = joinOptionsSchema.safeParse(options ?? {});
    if (!join.success) throw new ServerError(400, `bad join options: ${formatIssues(join.error)}`);
    return { playerId, name: join.data.name ?? `Guest-${playerId.slice(0, 4)}` };
  }

  override onJoin(client: TileClient): void {
    this.startLoad(client);
    this.snapshots.addClient(client.sessionId, this.tick);
    const { playerId, name } = authOf(client);
    const existing = this.avatars.get(playerId);
    if (existing) {
      this.takeOver(existing, client);
      return;
    }
    const { spawn } = this.services.world;
    const info = new AvatarInfo({ id: playerId, name, netId: this.netIds.take() });
    const avatar: TileAvatar = {
      playerId,
      sessionId: client.sessionId,
      info,
      body: this.sim.standAvatar(spawn.x, spawn.z),
      inputs: new InputQueue(),
      slot: -1,
    };
    this.unannounced.add(avatar);
    this.avatars.set(playerId, avatar);
    this.bySession.set(client.sessionId, avatar);
    this.state.avatars.set(playerId, info);
  }

  override onDrop(client: TileClient, code?: number): void {
    // A browser closes a departing page's sockets with 1001: the player left; don't wait for it.
    if (code === GOING_AWAY) return;
    const reconnection = this.allowReconnection(client, RECONNECT_WINDOW_S) as Reconnection;
    this.reconnections.set(client.sessionId, reconnection);
    // A refused or expired reconnection ends in onLeave; nothing to do here.
    reconnection.catch(() => undefined);
  }

  override onReconnect(client: TileClient): void {
    this.reconnections.delete(client.sessionId);
    // Chunks and snapshots sent while the connection was down are lost: start over.
    this.startLoad(client);
    this.snapshots.resetClient(client.sessionId, this.tick);
  }

  override onLeave(client: TileClient): void {
    this.reconnections.delete(client.sessionId);
    this.guard.release(client.sessionId);
    this.loads.forget(client.sessionId);
    this.snapshots.removeClient(client.sessionId);
    const avatar = this.bySession.get(client.sessionId);
    this.bySession.delete(client.sessionId);
    // Taken over by a newer session of the same player: that one keeps the avatar.
    if (!avatar || avatar.sessionId !== client.sessionId) return;
    this.avatars.delete(avatar.playerId);
    this.state.avatars.delete(avatar.playerId);
    this.unannounced.delete(avatar);
    if (avatar.slot >= 0) this.snapshots.removeAvatar(avatar.slot);
    this.sim.removeAvatar(avatar.body);
    this.netIds.give(avatar.info.netId);
  }

  override onUncaughtException(error: Error, method: string): void {
    this.services.log.error(`${this.roomId} ${method}: ${error.stack ?? error.message}`);
  }

  /** The patch about to go out names the new avatars: snapshots may carry them from now on. */
  override onBeforePatch(): void {
    for (const avatar of this.unannounced) avatar.slot = this.snapshots.addAvatar(avatar.info.netId);
    this.unannounced.clear();
  }

  override onDispose(): void {
    this.services.tiles.remove(this.roomId);
    this.prims.dispose();
    this.sim.dispose();
  }

  private startLoad(client: TileClient): void {
    this.loads.start(client.sessionId, this.prims.loadChunks(tileCentre(this.tile, this.services.world.tileSize)));
  }

  /** The same player joined again: the new session drives the avatar, the old one is closed. */
  private takeOver(avatar: TileAvatar, client: TileClient): void {
    const previous = avatar.sessionId;
    avatar.sessionId = client.sessionId;
    avatar.inputs.reset();
    avatar.info.name = authOf(client).name;
    this.bySession.set(client.sessionId, avatar);
    const pending = this.reconnections.get(previous);
    if (pending) {
      pending.reject(new Error("replaced by a newer session"));
    } else {
      this.clients.getById(previous)?.leave(TileCloseCode.Replaced, "you joined again from another tab or device");
    }
  }

  private onInput(client: TileClient, input: InputMessage): void {
    const avatar = this.bySession.get(client.sessionId);
    if (!avatar || avatar.sessionId !== client.sessionId) return;
    const refused = avatar.inputs.push(input);
    if (refused) this.guard.refuse(client, refused, `input ${input.seq} refused (${refused}); last acknowledged ${avatar.inputs.acked}`, ClientMessage.Input);
  }

  /** One simulation tick: inputs, physics, prim loads and the snapshots due; timed. */
  private step(): void {
    const started = performance.now();
    this.tick++;
    for (const avatar of this.avatars.values()) {
      avatar.inputs.tick((input) => this.sim.stepAvatar(avatar.body, input.keys, input.yaw));
      // An avatar whose inputs stopped still falls to the ground (one standing still needs nothing).
      if (avatar.inputs.quiet && !avatar.body.state.grounded) this.sim.stepAvatar(avatar.body, 0, avatar.body.state.facing);
    }
    this.sim.step();
    this.loads.pump((sessionId, chunk) => this.clients.getById(sessionId)?.sendBytes(RelayMessage.Prims, chunk));
    this.sendSnapshots();
    this.tickTimes.record(performance.now() - started);
  }

  /** Brings the scheduler's tables up to date and sends the clients whose turn it is their snapshot. */
  private sendSnapshots(): void {
    this.prims.followBodies(this.onBodyMoved);
    for (const avatar of this.avatars.values()) {
      const s = avatar.body.state;
      if (avatar.slot >= 0) this.snapshots.setAvatar(avatar.slot, s.x, s.y, s.z, s.facing, motionFlags(s));
    }
    for (const client of this.clients) {
      if (!this.snapshots.isDue(client.sessionId, this.tick)) continue;
      if (this.loads.takeCaughtUp(client.sessionId)) this.snapshots.startBodies(client.sessionId, this.tick);
      const avatar = this.bySession.get(client.sessionId);
      const mine = avatar && avatar.sessionId === client.sessionId ? avatar : undefined;
      if (mine) ownMotion(mine.body.state, this.own);
      const bytes = this.snapshots.compose(client.sessionId, this.tick, mine?.inputs.acked ?? 0, mine ? this.own : undefined, mine?.slot ?? -1);
      client.sendBytes(RelayMessage.Snapshot, bytes);
    }
  }
}

/** onAuth ran before onJoin; a client without auth here is a bug, not bad input. */
function authOf(client: TileClient): PlayerAuth {
  if (!client.auth) throw new Error(`client ${client.sessionId} joined without auth`);
  return client.auth;
}

function motionFlags(s: { grounded: boolean; running: boolean }): number {
  return (s.grounded ? MotionFlags.Grounded : 0) | (s.running ? MotionFlags.Running : 0);
}

/** Writes an avatar's state into an own-avatar block. */
function ownMotion(s: AvatarMotionState, out: OwnMotion): void {
  out.x = s.x;
  out.y = s.y;
  out.z = s.z;
  out.vy = s.vy;
  out.yaw = s.facing;
  out.flags = motionFlags(s);
}

