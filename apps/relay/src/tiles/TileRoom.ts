import { Room, ServerError, matchMaker, type Client } from "@colyseus/core";
import { z } from "zod";
import {
  AvatarInfo,
  ClientMessage,
  GHOST_STRIP,
  MotionFlags,
  PrimStream,
  RelayMessage,
  TICK_RATE,
  TileCloseCode,
  TileState,
  editMessageSchema,
  formatIssues,
  gridBounds,
  handoffTarget,
  encodePrimRemoval,
  encodePrimStream,
  chatMessageSchema,
  inputMessageSchema,
  isTileInGrid,
  sameTile,
  selectMessageSchema,
  snapshotFixedBytes,
  tileCentre,
  tileId,
  tileOf,
  type BodyMotion,
  type InputMessage,
  type OwnMotion,
  type ResumeMessage,
  type TileCoord,
  type WorldConfig,
} from "@tessera/protocol";
import type { Prim } from "@tessera/prims";
import { SimWorld, type AvatarBody, type AvatarMotionState } from "@tessera/sim";
import type { WorldStore } from "@tessera/store";
import type { ResumeTokens } from "../auth/resume-tokens.ts";
import type { Revocations } from "../auth/revocations.ts";
import type { TileClaims } from "../auth/signer.ts";
import type { ChatBus } from "../chat/chat-bus.ts";
import { TileChat } from "../chat/tile-chat.ts";
import type { Logger } from "../log.ts";
import type { EditCommits } from "../world/edit-commits.ts";
import type { PrimIdPool } from "../world/prim-ids.ts";
import { ghostsToRefresh, loadTile } from "../world/world-prims.ts";
import type { WorldRights } from "../world/world-rights.ts";
import type { AvatarClaims } from "./avatar-claims.ts";
import { AvatarUpkeep } from "./avatar-upkeep.ts";
import { EarlyInputs, TransferLedger, linksetAtTick, type AvatarTransfer, type BodyTransfer, type TransferOutcome } from "./handoff.ts";
import { InputQueue, tickQueues, type QueuedInput } from "./input-queue.ts";
import { MessageGuard } from "./message-guard.ts";
import { NetIds } from "./net-ids.ts";
import { PrimEdits } from "./prim-edits.ts";
import { PrimLoads } from "./prim-loads.ts";
import { PlayerSessions, type Reconnection } from "./player-sessions.ts";
import { SEAT_RESERVATION_S, type PlayerAuth } from "./seat-admission.ts";
import type { SeatLedger } from "./seat-ledger.ts";
import { TileSelections } from "./selections.ts";
import { TileBuildRights } from "./build-rights.ts";
import { SnapshotScheduler } from "./snapshot-scheduler.ts";
import { TickTimes, type TickSummary } from "./tick-times.ts";
import { WorldClock } from "./world-clock.ts";
import { TilePrims, type BodyChanges, type PhysicalLinkset } from "./tile-prims.ts";
import type { TileOpener } from "./tile-opener.ts";

/** What a tile room needs from its relay; passed as the room type's default options. */
export interface TileServices {
  world: WorldConfig;
  /** Proof that a relay asked for a room. */
  tileClaims: TileClaims;
  /** One avatar per player in the world. */
  avatarClaims: AvatarClaims;
  revocations: Revocations;
  resumeTokens: ResumeTokens;
  /** The seats each player holds on this process. */
  seats: SeatLedger;
  /** Where the world's prims live. */
  store: WorldStore;
  /** Who may build where, and how much. */
  rights: WorldRights;
  primIds: PrimIdPool;
  /** Commits this process's edits in groups. */
  commits: EditCommits;
  log: Logger;
  /** Each client's downstream budget for snapshots, kbit/s. */
  snapshotBudgetKbps: number;
  /** Opens the neighbour an avatar walks into. */
  opener: TileOpener;
  /** Carries local chat between tiles, on every relay. */
  chat: ChatBus;
}

/** What a tile room's listing says about it (`GET /api/tiles` reads it), refreshed every few seconds. */
export interface TileMetadata {
  /** Avatars the tile is the authority for. */
  players: number;
  prims: number;
  tickMs: TickSummary;
}

type TileClient = Client<{ auth: PlayerAuth }>;

interface TileAvatar {
  readonly playerId: string;
  /**
   * The session that drives it; another session of the same player takes it over. Undefined for an
   * avatar handed over before its player joined this room (it stands and waits for them).
   */
  sessionId: string | undefined;
  readonly info: AvatarInfo;
  readonly body: AvatarBody;
  readonly inputs: InputQueue;
  /** The entry it stands for (see AvatarClaims): a newer one anywhere in the world makes it go. */
  claim: number;
  /** Its slot in the snapshot scheduler; -1 until the roster that names it has gone out. */
  slot: number;
  /** The handoff in flight to a neighbour: the avatar stands still until the neighbour settles it. */
  transfer: string | undefined;
  /** No handoff is tried before this tick (one was just cancelled). */
  retryAt: number;
  /** Since when (ms) it has had no session. */
  orphanedAt: number;
}

const createOptionsSchema = z.object({ tx: z.number().int(), tz: z.number().int(), claim: z.string() });

/** How long a dropped player's avatar waits for its connection to come back. */
export const RECONNECT_WINDOW_S = 20;
/** How long a room waits for its neighbour's answer about a handoff, ms. */
const TRANSFER_TIMEOUT_MS = 2000;
/** After a cancelled handoff the avatar stays this many ticks before the next try. */
const TRANSFER_RETRY_TICKS = 15;
/** How often a tile refreshes its listing's metadata, ticks. */
const METADATA_TICKS = 2 * TICK_RATE;
/** WebSocket close code of a page that is going away (tab closed, navigated elsewhere). */
const GOING_AWAY = 1001;

/**
 * One tile of the world, as one Colyseus room `tile_<tx>_<tz>`: the authority for the avatars in it.
 * Runs the shared sim step at a fixed tick from numbered inputs and sends each client a binary motion
 * snapshot with the acknowledgement of its own last simulated input.
 */
export class TileRoom extends Room<{ state: TileState; client: TileClient }> {
  override autoDispose = false;
  override seatReservationTimeout = SEAT_RESERVATION_S;
  override patchRate = 100;

  private services!: TileServices;
  private tile!: TileCoord;
  private sim!: SimWorld;
  private prims!: TilePrims;
  private readonly loads = new PrimLoads();
  private edits!: PrimEdits;
  private guard!: MessageGuard;
  private selections!: TileSelections;
  private buildRights!: TileBuildRights;
  private readonly avatars = new Map<string, TileAvatar>();
  private readonly bySession = new Map<string, TileAvatar>();
  /** The avatars that move this tick (not frozen for a handoff), reused from tick to tick. */
  private readonly movers: TileAvatar[] = [];
  private readonly stepAvatar = (avatar: TileAvatar, input: QueuedInput) => this.sim.stepAvatar(avatar.body, input.keys, input.yaw);
  private readonly sessions = new PlayerSessions<TileClient>(this.clients);
  private readonly netIds = new NetIds();
  private snapshots!: SnapshotScheduler;
  /** Avatars not yet in the scheduler: clients learn of them from the next state patch. */
  private readonly unannounced = new Set<TileAvatar>();
  /** Scheduler slots of the tile's physical linksets, by root prim id. */
  private readonly bodySlots = new Map<number, number>();
  private readonly onBodyMoved = (motion: BodyMotion) => this.snapshots.setBody(this.bodySlots.get(motion.id)!, motion);
  /** Physical linksets (by root id) whose handoff was cancelled: not tried again before this tick. */
  private readonly bodyRetryAt = new Map<number, number>();
  private readonly tickTimes = new TickTimes();
  /** The tick each client was last sent a snapshot. */
  private readonly lastSent = new Map<string, number>();
  /** The own block of the snapshot being composed, reused. */
  private readonly own: OwnMotion = { x: 0, y: 0, z: 0, vy: 0, yaw: 0, flags: 0 };
  /** Runs the room's ticks on the world clock, shared by every room and process. */
  private worldClock!: WorldClock;
  private tick = 0;
  private transferCount = 0;
  private readonly transfers = new TransferLedger();
  private readonly early = new EarlyInputs();
  private upkeep!: AvatarUpkeep;
  private readonly sendResume = (sessionId: string, message: ResumeMessage) => this.clients.getById(sessionId)?.send(RelayMessage.Resume, message);
  /** Stop listening to the world's claims and revocations. */
  private readonly unlisten: (() => void)[] = [];
  private disposed = false;

  override async onCreate(options: { services: TileServices } & Record<string, unknown>): Promise<void> {
    this.services = options.services;
    const parsed = createOptionsSchema.safeParse(options);
    if (!parsed.success) throw new ServerError(400, `tile rooms are opened by the relay: ${formatIssues(parsed.error)}`);
    const { tx, tz, claim } = parsed.data;
    const id = tileId({ tx, tz });
    if (!isTileInGrid({ tx, tz }, this.services.world.grid)) throw new ServerError(400, `${id} is not on the grid`);
    if (!this.services.tileClaims.verify(id, claim)) throw new ServerError(403, "tile rooms are opened by the relay, not by clients");
    this.tile = { tx, tz };
    this.roomId = id;
    // Joinable by id only: never matched by join/joinOrCreate.
    await this.setPrivate(true);
    this.state = new TileState();
    const { grid, tileSize } = this.services.world;
    this.sim = await SimWorld.create();
    this.sim.addTerrain(gridBounds(grid, tileSize));
    const contents = await loadTile(this.services.store, this.tile, grid, tileSize, GHOST_STRIP);
    this.prims = new TilePrims(this.sim, contents.prims, contents.ghosts, contents.deleted);
    this.worldClock = new WorldClock((tick) => this.step(tick));
    this.tick = this.worldClock.tick;
    const origin = this.origin();
    this.snapshots = new SnapshotScheduler({ originX: Math.round(origin.x), originZ: Math.round(origin.z), budgetKbps: this.services.snapshotBudgetKbps });
    for (const motion of this.prims.bodyMotions()) this.bodySlots.set(motion.id, this.snapshots.addBody(motion));
    await this.setMetadata(this.report());
    this.guard = new MessageGuard(this.services.log);
    this.edits = this.primEdits();
    this.onMessage(ClientMessage.Input, this.guard.accept(ClientMessage.Input, inputMessageSchema, (client: TileClient, input) => this.onInput(client, input)));
    this.onMessage(ClientMessage.Edit, this.guard.accept(ClientMessage.Edit, editMessageSchema, (client: TileClient, edit) => this.edits.receive(client.sessionId, authOf(client).playerId, edit)));
    this.buildRights = new TileBuildRights(this.roomId, this.services.rights);
    this.selections = new TileSelections(this.guard, (id) => this.prims.prim(id) !== undefined, (message, except) => this.broadcast(RelayMessage.Selected, message, { except }));
    this.onMessage(ClientMessage.Select, this.guard.accept(ClientMessage.Select, selectMessageSchema, (client: TileClient, select) => this.selections.receive(client, authOf(client), select)));
    const chat = this.tileChat();
    this.onMessage(ClientMessage.Chat, this.guard.accept(ClientMessage.Chat, chatMessageSchema, (client: TileClient, message) => chat.receive(client.sessionId, message)));
    this.unlisten.push(this.services.chat.listen(this.roomId, (line) => chat.deliver(line)));
    this.onMessage("*", this.guard.unknown);
    this.upkeep = new AvatarUpkeep(this.services.avatarClaims, this.services.resumeTokens);
    this.unlisten.push(this.services.avatarClaims.listen(this.onClaim), this.services.revocations.listen(this.onRevoked));
    this.worldClock.start();
  }

  /**
   * A seat's socket arrived (its token, options and the player's seat count were checked when the
   * seat was reserved: seat-admission.ts). A player has one connection per tile: a newer one
   * replaces the older. With `enter`, the player's avatar comes here: the spawn point's (or where
   * its resume token says), or the one it has, wherever it is in the world, under a new claim.
   */
  override async onJoin(client: TileClient): Promise<void> {
    const { playerId, name, enter, resume } = authOf(client);
    if (!this.services.seats.connect(playerId, client.sessionId)) {
      throw this.refuse(429, `too many connections: a player holds at most ${this.services.seats.perPlayer} tile connections on a relay`);
    }
    if (resume && !sameTile(tileOf(resume.x, resume.z, this.services.world.tileSize), this.tile)) {
      throw this.refuse(400, `the resume token's position lies in ${tileId(tileOf(resume.x, resume.z, this.services.world.tileSize))}, not in ${this.roomId}: join that tile`);
    }
    // Its count of prims, which another relay may have changed, for the caps of its edits here.
    await this.services.rights.loadCount(playerId);
    // One connection per player and tile: a reload's, a retry's newer one wins.
    this.sessions.endPlayer(playerId, TileCloseCode.Replaced, "this player connected to this tile again", client.sessionId);
    this.startLoad(client);
    this.selections.welcome(client, playerId);
    this.buildRights.welcome(client, playerId);
    this.snapshots.addClient(client.sessionId, this.tick);
    const waiting = this.avatars.get(playerId);
    if (!enter) {
      // Handed over here before its player joined: it was waiting for this connection.
      if (waiting && waiting.sessionId === undefined) this.bind(waiting, client.sessionId);
      return;
    }
    const claims = this.services.avatarClaims;
    const claim = await claims.take(playerId);
    if (claims.superseded(playerId, claim)) throw this.refuse(409, "the player entered the world again meanwhile, from another connection");
    // Read again: the avatar may have walked in while the claim was taken.
    const existing = this.avatars.get(playerId);
    if (existing) {
      this.takeOver(existing, client, claim);
    } else {
      const { spawn, tileSize } = this.services.world;
      const at = sameTile(tileOf(spawn.x, spawn.z, tileSize), this.tile) ? spawn : tileCentre(this.tile, tileSize);
      const body = resume ? this.sim.addAvatar(resume, resume.facing) : this.sim.standAvatar(at.x, at.z);
      this.bind(this.addAvatar(playerId, name, body, claim), client.sessionId);
    }
    claims.announce(playerId, claim);
  }

  /**
   * Takes an avatar over from a neighbour (called by it, through the matchmaker, on any process).
   * Answers how the transfer is settled: once "accepted" this room is the avatar's authority; once
   * "cancelled" it never will be for this transfer, however late the request came.
   */
  acceptAvatar(transfer: AvatarTransfer): TransferOutcome {
    const settled = this.transfers.outcome(transfer.id);
    if (settled || this.disposed) return settled ?? "cancelled";
    // Its player entered the world again meanwhile: this avatar is over.
    if (this.services.avatarClaims.superseded(transfer.playerId, transfer.claim)) return this.transfers.settle(transfer.id, "cancelled", Date.now());
    const stale = this.avatars.get(transfer.playerId);
    if (stale) {
      this.services.log.error(`${this.roomId} was handed ${transfer.playerId}, whom it holds already: the newer state wins`);
      this.removeAvatar(stale);
    }
    const body = this.sim.addAvatar(transfer.state, transfer.state.facing);
    this.sim.placeAvatar(body, transfer.state);
    const avatar = this.addAvatar(transfer.playerId, transfer.name, body, transfer.claim);
    avatar.inputs.resume(transfer.acked, transfer.waiting);
    for (const input of this.early.take(transfer.playerId)) avatar.inputs.push(input);
    const client = this.clients.find((c) => c.auth?.playerId === transfer.playerId);
    if (client) this.bind(avatar, client.sessionId);
    return this.transfers.settle(transfer.id, "accepted", Date.now());
  }

  /**
   * Takes a physical linkset over from a neighbour, moving as it was (called like
   * {@link acceptAvatar}); every client of the tile gets its prims.
   */
  acceptBody(transfer: BodyTransfer): TransferOutcome {
    const settled = this.transfers.outcome(transfer.id);
    if (settled || this.disposed) return settled ?? "cancelled";
    this.addBody(linksetAtTick(transfer.linkset, transfer.tick, this.tick));
    this.broadcastPrims(encodePrimStream(PrimStream.Update, transfer.linkset.prims, this.origin()));
    return this.transfers.settle(transfer.id, "accepted", Date.now());
  }

  /** The neighbour handing something over heard nothing back: settle the transfer as cancelled unless it was accepted. */
  cancelTransfer(transferId: string): TransferOutcome {
    return this.transfers.settle(transferId, "cancelled", Date.now());
  }

  /**
   * Takes linksets over that an edit in a neighbour moved here (called like {@link acceptAvatar}).
   * The store has them here already (this room may even have loaded them from it): taking them is
   * idempotent, and the newest version wins.
   */
  adoptPrims(prims: Prim[]): void {
    if (this.disposed) throw new Error(`${this.roomId} is closing`);
    this.prims.refreshGhosts(prims.filter((prim) => prim.root === 0).map((prim) => prim.id), []);
    const diff = { added: [] as Prim[], updated: [] as [Prim, Prim][], removed: [] as Prim[] };
    for (const prim of prims) {
      const held = this.prims.prim(prim.id);
      if (held) diff.updated.push([held, prim]);
      else diff.added.push(prim);
    }
    this.onBodiesChanged(this.prims.applyDiff(diff));
    this.broadcastPrims(encodePrimStream(PrimStream.Update, prims, this.origin()));
  }

  /** A neighbour's edit changed linksets near the border (called like {@link acceptAvatar}): the ghosts of `rootIds` become `ghosts`. */
  updateGhosts(rootIds: number[], ghosts: Prim[]): void {
    if (!this.disposed) this.prims.refreshGhosts(rootIds, ghosts);
  }

  /** The avatars this room holds; `frozen` ones are being handed to a neighbour. */
  avatarReport(): { id: string; frozen: boolean }[] {
    return [...this.avatars.values()].map((avatar) => ({ id: avatar.playerId, frozen: avatar.transfer !== undefined }));
  }

  override onDrop(client: TileClient, code?: number): void {
    // A browser closes a departing page's sockets with 1001: the player left; don't wait for it.
    if (code === GOING_AWAY) return;
    const reconnection = this.allowReconnection(client, RECONNECT_WINDOW_S) as Reconnection;
    this.sessions.drop(client.sessionId, authOf(client).playerId, reconnection);
    // A refused or expired reconnection ends in onLeave; nothing to do here.
    reconnection.catch(() => undefined);
  }

  override onReconnect(client: TileClient): void {
    this.sessions.settle(client.sessionId);
    // Chunks and snapshots sent while the connection was down are lost: start over.
    this.startLoad(client);
    this.snapshots.resetClient(client.sessionId, this.tick);
    // Selections that changed while the connection was down are lost as well.
    this.selections.welcome(client, authOf(client).playerId);
    this.buildRights.welcome(client, authOf(client).playerId);
  }

  override onLeave(client: TileClient): void {
    this.sessions.settle(client.sessionId);
    this.services.seats.disconnect(client.sessionId);
    this.guard.release(client.sessionId);
    this.edits.release(client.sessionId);
    this.selections.release(client);
    this.buildRights.release(client);
    this.loads.forget(client.sessionId);
    this.snapshots.removeClient(client.sessionId);
    this.lastSent.delete(client.sessionId);
    const avatar = this.bySession.get(client.sessionId);
    this.bySession.delete(client.sessionId);
    if (client.auth) this.early.forget(client.auth.playerId);
    // Taken over by a newer session of the same player: that one keeps the avatar.
    if (!avatar || avatar.sessionId !== client.sessionId) return;
    this.removeAvatar(avatar);
  }

  override onUncaughtException(error: Error, method: string): void {
    // A refusal on purpose (thrown as a ServerError, already logged as one) is the client's business.
    if (error.cause instanceof ServerError) return;
    this.services.log.error(`${this.roomId} ${method}: ${error.stack ?? error.message}`);
  }

  /** The patch about to go out names the new avatars: snapshots may carry them from now on. */
  override onBeforePatch(): void {
    for (const avatar of this.unannounced) {
      // One on its way to a neighbour waits: its motion comes from there, or from here again if the handoff fails.
      if (avatar.transfer !== undefined) continue;
      avatar.slot = this.snapshots.addAvatar(avatar.info.netId);
      this.unannounced.delete(avatar);
    }
  }

  /** Also runs for a room whose onCreate failed (a bad claim): it disposes what was made, if anything. */
  override onDispose(): void {
    this.disposed = true;
    for (const stop of this.unlisten) stop();
    this.worldClock?.stop();
    this.prims?.dispose();
    this.sim?.dispose();
  }

  /** Local chat of this tile, wired to the room: its avatars speak and listen from where they stand. */
  private tileChat(): TileChat {
    const { world, chat } = this.services;
    const at = ({ body }: TileAvatar) => ({ x: body.state.x, y: body.state.y, z: body.state.z });
    const avatars = this.avatars;
    return new TileChat({
      tileSize: world.tileSize,
      grid: world.grid,
      bus: chat,
      avatarOf: (sessionId) => {
        const avatar = this.bySession.get(sessionId);
        return avatar && { playerId: avatar.playerId, name: avatar.info.name, at: at(avatar) };
      },
      *listeners() {
        for (const avatar of avatars.values()) if (avatar.sessionId !== undefined) yield { sessionId: avatar.sessionId, at: at(avatar) };
      },
      send: (sessionId, line) => this.clients.getById(sessionId)?.send(RelayMessage.Chat, line),
      refuse: (sessionId, code, message) => {
        const client = this.clients.getById(sessionId);
        if (client) this.guard.refuse(client, code, message, ClientMessage.Chat);
      },
    });
  }

  /** The edits of this tile, wired to the room. */
  private primEdits(): PrimEdits {
    const services = this.services;
    return new PrimEdits({
      tile: this.tile,
      world: services.world,
      prims: this.prims,
      rights: services.rights,
      ids: services.primIds,
      commits: services.commits,
      log: services.log,
      origin: this.origin(),
      broadcast: (bytes) => this.broadcastPrims(bytes),
      answer: (sessionId, result) => this.clients.getById(sessionId)?.send(RelayMessage.Edited, result),
      bodiesChanged: (changes) => this.onBodiesChanged(changes),
      moveOut: (target, prims) => void this.moveOut(target, prims),
      ghostsChanged: (rootIds, before, after) => void this.refreshNeighbours(rootIds, before, after),
    });
  }

  /** A prims message for every client of the tile, each after its load if it is loading. */
  private broadcastPrims(bytes: Uint8Array): void {
    for (const client of this.clients) this.loads.send(client.sessionId, bytes, (now) => client.sendBytes(RelayMessage.Prims, now));
  }

  /** The snapshot slots of the tile's physical linksets follow an edit's changes. */
  private onBodiesChanged(changes: BodyChanges): void {
    for (const rootId of changes.removed) {
      const slot = this.bodySlots.get(rootId);
      if (slot === undefined) continue;
      this.snapshots.removeBody(slot);
      this.bodySlots.delete(rootId);
    }
    for (const motion of changes.added) this.bodySlots.set(motion.id, this.snapshots.addBody(motion));
  }

  /** Gives the neighbour linksets an edit moved into it, a few tries; the store holds them there whatever happens. */
  private async moveOut(target: TileCoord, prims: Prim[]): Promise<void> {
    const to = tileId(target);
    for (let attempt = 1; attempt <= 3 && !this.disposed; attempt++) {
      try {
        await this.services.opener.open(target);
        await matchMaker.remoteRoomCall(to, "adoptPrims", [prims], TRANSFER_TIMEOUT_MS);
        return;
      } catch (error) {
        this.services.log.warn(`${this.roomId}: handing prims to ${to} failed (try ${attempt}): ${(error as Error).message}`);
      }
    }
  }

  /** Tells the open neighbours whose border strips an edit changed to refresh their ghosts (the others load them when they open). */
  private async refreshNeighbours(rootIds: number[], before: Prim[], after: Prim[]): Promise<void> {
    const { grid, tileSize } = this.services.world;
    const refresh = ghostsToRefresh(this.tile, grid, tileSize, GHOST_STRIP, before, after);
    if (refresh.length === 0) return;
    try {
      const open = await matchMaker.findRoomsByIds(refresh.map(({ tile }) => tileId(tile)));
      await Promise.all(
        refresh
          .filter(({ tile }) => open.has(tileId(tile)))
          .map(({ tile, ghosts }) => matchMaker.remoteRoomCall(tileId(tile), "updateGhosts", [rootIds, ghosts], TRANSFER_TIMEOUT_MS)),
      );
    } catch (error) {
      this.services.log.warn(`${this.roomId}: refreshing the neighbours' border copies failed: ${(error as Error).message.slice(0, 200)}`);
    }
  }

  private startLoad(client: TileClient): void {
    this.loads.start(client.sessionId, this.prims.loadChunks(this.origin()));
  }

  /** Where the tile's prim messages measure positions from: its centre. */
  private origin(): { x: number; z: number } {
    return tileCentre(this.tile, this.services.world.tileSize);
  }

  private addAvatar(playerId: string, name: string, body: AvatarBody, claim: number): TileAvatar {
    const info = new AvatarInfo({ id: playerId, name, netId: this.netIds.take() });
    const avatar: TileAvatar = { playerId, sessionId: undefined, info, body, inputs: new InputQueue(), claim, slot: -1, transfer: undefined, retryAt: 0, orphanedAt: Date.now() };
    this.unannounced.add(avatar);
    this.avatars.set(playerId, avatar);
    this.state.avatars.set(playerId, info);
    return avatar;
  }

  /** Takes an avatar out of the room (handed over to a neighbour, or gone from the world). */
  private removeAvatar(avatar: TileAvatar): void {
    this.avatars.delete(avatar.playerId);
    if (avatar.sessionId) this.bySession.delete(avatar.sessionId);
    this.state.avatars.delete(avatar.playerId);
    this.unannounced.delete(avatar);
    if (avatar.slot >= 0) this.snapshots.removeAvatar(avatar.slot);
    this.sim.removeAvatar(avatar.body);
    this.netIds.give(avatar.info.netId);
  }

  /** A claim was announced: an avatar held here under an older one goes, and so does its session. */
  private readonly onClaim = (playerId: string, claim: number): void => {
    const avatar = this.avatars.get(playerId);
    if (!avatar || avatar.claim >= claim) return;
    const session = avatar.sessionId;
    this.removeAvatar(avatar);
    if (session) this.sessions.end(session, TileCloseCode.Replaced, "you entered the world again from another tab or device");
  };

  /** An operator revoked a player: its avatar goes and every connection it has here is closed. */
  private readonly onRevoked = (playerId: string): void => {
    const avatar = this.avatars.get(playerId);
    if (avatar) this.removeAvatar(avatar);
    this.sessions.endPlayer(playerId, TileCloseCode.Revoked, "an operator revoked this player");
  };

  /** A refusal of the joining client, logged as one. */
  private refuse(status: number, message: string): ServerError {
    this.services.log.refusal(`${this.roomId} join: ${message}`);
    return new ServerError(status, message);
  }

  private bind(avatar: TileAvatar, sessionId: string): void {
    avatar.sessionId = sessionId;
    avatar.orphanedAt = 0;
    this.bySession.set(sessionId, avatar);
  }

  /** The same player entered again: the new session drives the avatar (under its new claim), the old one is closed. */
  private takeOver(avatar: TileAvatar, client: TileClient, claim: number): void {
    const previous = avatar.sessionId;
    avatar.inputs.reset();
    avatar.info.name = authOf(client).name;
    avatar.claim = claim;
    this.bind(avatar, client.sessionId);
    if (previous && previous !== client.sessionId) this.sessions.end(previous, TileCloseCode.Replaced, "you entered the world again from another tab or device");
  }

  /**
   * Hands an avatar that walked past the border to the neighbour, exactly once: it stands still
   * here until the neighbour has settled the transfer. Accepted: the neighbour is its authority and
   * it leaves this room. No answer: the neighbour is asked to cancel, and its word (accepted after
   * all, or cancelled) decides; until it answers the avatar stays frozen, never in two rooms.
   */
  private async handOff(avatar: TileAvatar, target: TileCoord): Promise<void> {
    const s = avatar.body.state;
    const transfer: AvatarTransfer = {
      id: `${this.roomId}.${this.tick}.${++this.transferCount}`,
      playerId: avatar.playerId,
      name: avatar.info.name,
      claim: avatar.claim,
      state: { ...s },
      acked: avatar.inputs.acked,
      waiting: avatar.inputs.waiting(),
    };
    avatar.transfer = transfer.id;
    // Its motion comes from the neighbour from now on: this room's frozen pose, sent at later
    // ticks, would show its watchers the avatar stepping back.
    if (avatar.slot >= 0) this.snapshots.removeAvatar(avatar.slot);
    avatar.slot = -1;
    const outcome = await this.settleTransfer(target, "acceptAvatar", transfer);
    if (this.avatars.get(avatar.playerId) !== avatar) return;
    if (outcome === "accepted") {
      this.removeAvatar(avatar);
      return;
    }
    avatar.transfer = undefined;
    avatar.retryAt = this.tick + TRANSFER_RETRY_TICKS;
    this.unannounced.add(avatar);
  }

  /**
   * Hands a physical linkset that rolled past the border to the neighbour, exactly once, with its
   * velocity: it is out of this tile's physics while the neighbour settles the transfer.
   */
  private async handOffBody(rootId: number, target: TileCoord): Promise<void> {
    const linkset = this.prims.takePhysical(rootId);
    this.snapshots.removeBody(this.bodySlots.get(rootId)!);
    this.bodySlots.delete(rootId);
    const transfer: BodyTransfer = { id: `${this.roomId}.${this.tick}.${++this.transferCount}`, tick: this.tick, linkset };
    const outcome = await this.settleTransfer(target, "acceptBody", transfer);
    if (this.disposed) return;
    if (outcome === "accepted") {
      this.broadcastPrims(encodePrimRemoval(linkset.prims.map((prim) => prim.id)));
      return;
    }
    this.addBody(linkset);
    this.bodyRetryAt.set(rootId, this.tick + TRANSFER_RETRY_TICKS);
  }

  private addBody(linkset: PhysicalLinkset): void {
    const motion = this.prims.addPhysical(linkset);
    this.bodySlots.set(motion.id, this.snapshots.addBody(motion));
  }

  /**
   * Offers a transfer to the neighbour and learns, exactly once, how it is settled: accepted (the
   * neighbour holds it now) or cancelled (it never will). No answer in time: the neighbour is asked to
   * cancel, and its word (accepted after all, or cancelled) decides; until it answers, nothing moves.
   */
  private async settleTransfer(target: TileCoord, method: "acceptAvatar" | "acceptBody", transfer: { id: string }): Promise<TransferOutcome> {
    const to = tileId(target);
    let outcome: TransferOutcome | undefined;
    try {
      await this.services.opener.open(target);
    } catch (error) {
      // The room could not be opened: it never heard of the transfer.
      this.services.log.warn(`${this.roomId}: cannot open ${to} for a handoff: ${(error as Error).message}`);
      return "cancelled";
    }
    outcome = await this.askNeighbour(to, method, transfer);
    while (outcome === undefined && !this.disposed) {
      outcome = await this.askNeighbour(to, "cancelTransfer", transfer.id);
      if (outcome === undefined) await new Promise((resolve) => setTimeout(resolve, TRANSFER_TIMEOUT_MS));
    }
    return outcome ?? "cancelled";
  }

  /** A neighbour's answer about a transfer, or undefined when none came in time. */
  private async askNeighbour(roomId: string, method: "acceptAvatar" | "acceptBody" | "cancelTransfer", arg: unknown): Promise<TransferOutcome | undefined> {
    try {
      return (await matchMaker.remoteRoomCall(roomId, method, [arg], TRANSFER_TIMEOUT_MS)) as TransferOutcome;
    } catch (error) {
      this.services.log.warn(`${this.roomId}: ${method} on ${roomId} failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** Avatars and physical linksets that went past the border go to the neighbour they are in. */
  private handOffMovers(): void {
    const { tileSize, grid } = this.services.world;
    for (const avatar of this.avatars.values()) {
      if (avatar.transfer !== undefined || this.tick < avatar.retryAt) continue;
      const target = handoffTarget(avatar.body.state.x, avatar.body.state.z, this.tile, tileSize, grid);
      if (target) void this.handOff(avatar, target);
    }
    const leaving: [number, TileCoord][] = [];
    for (const root of this.prims.physicalRoots()) {
      if (this.tick < (this.bodyRetryAt.get(root.id) ?? 0)) continue;
      const target = handoffTarget(root.position.x, root.position.z, this.tile, tileSize, grid);
      if (target) leaving.push([root.id, target]);
    }
    for (const [rootId, target] of leaving) void this.handOffBody(rootId, target);
  }

  /** Avatars handed over whose players never came to this room (they left the world meanwhile). */
  private dropOrphans(now: number): void {
    for (const avatar of this.avatars.values()) {
      if (avatar.sessionId === undefined && avatar.transfer === undefined && now - avatar.orphanedAt > RECONNECT_WINDOW_S * 1000) this.removeAvatar(avatar);
    }
  }

  private onInput(client: TileClient, input: InputMessage): void {
    const avatar = this.bySession.get(client.sessionId);
    // A player near the border sends its inputs here too: kept in case the avatar is handed over.
    if (!avatar) return this.early.push(authOf(client).playerId, input);
    if (avatar.sessionId !== client.sessionId) return;
    const refused = avatar.inputs.push(input);
    if (refused) this.guard.refuse(client, refused, `input ${input.seq} refused (${refused}); last acknowledged ${avatar.inputs.acked}`, ClientMessage.Input);
  }

  /**
   * One simulation tick, world tick `tick`: inputs, physics, handoffs, prim loads and the snapshots
   * due; timed. A tile with no one in it or watching it, where nothing moves, sleeps: its clock runs
   * on and nothing else.
   */
  private step(tick: number): void {
    const started = performance.now();
    this.tick = tick;
    if (this.clients.length === 0 && this.avatars.size === 0 && this.prims.settled) return;
    const movers = this.movers;
    movers.length = 0;
    for (const avatar of this.avatars.values()) if (avatar.transfer === undefined) movers.push(avatar);
    this.prims.refresh();
    this.buildRights.refresh();
    tickQueues(movers, this.stepAvatar, tick);
    for (const avatar of movers) {
      // An avatar whose inputs stopped still falls to the ground (one standing still needs nothing).
      if (avatar.inputs.quiet && !avatar.body.state.grounded) this.sim.stepAvatar(avatar.body, 0, avatar.body.state.facing);
    }
    this.sim.step();
    this.handOffMovers();
    this.loads.pump((sessionId, chunk) => this.clients.getById(sessionId)?.sendBytes(RelayMessage.Prims, chunk));
    this.sendSnapshots();
    this.upkeep.run(this.avatars.values(), tick, Date.now(), this.sendResume);
    this.tickTimes.record(performance.now() - started);
    if (this.tick % METADATA_TICKS === 0) {
      const now = Date.now();
      void this.setMetadata(this.report());
      this.transfers.prune(now);
      for (const [id, tick] of this.bodyRetryAt) if (tick < this.tick) this.bodyRetryAt.delete(id);
      this.dropOrphans(now);
    }
  }

  private report(): TileMetadata {
    return { players: this.avatars.size, prims: this.prims.count, tickMs: this.tickTimes.summary() };
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
      // A frozen avatar is on its way to a neighbour: the own block comes from its authority only.
      const mine = avatar && avatar.sessionId === client.sessionId && avatar.transfer === undefined ? avatar : undefined;
      if (mine) ownMotion(mine.body.state, this.own);
      const bytes = this.snapshots.compose(client.sessionId, this.tick, mine?.inputs.acked ?? 0, mine ? this.own : undefined, mine?.slot ?? -1);
      // A watcher of a tile where nothing moves is sent an empty snapshot once a second, not 15 times.
      if (!mine && bytes.byteLength === snapshotFixedBytes(false) && this.tick - (this.lastSent.get(client.sessionId) ?? -Infinity) < TICK_RATE) continue;
      this.lastSent.set(client.sessionId, this.tick);
      client.sendBytes(RelayMessage.Snapshot, bytes);
    }
  }
}

/** The seat's auth came with it; a client without auth here is a bug, not bad input. */
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

