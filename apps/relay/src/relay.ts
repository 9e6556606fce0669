import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, matchMaker } from "@colyseus/core";
import { TILE_ROOM, tileId, tileOf, worldTickAt, type AvatarsResponse, type GridSize, type TileReport } from "@tessera/protocol";
import { ResumeTokens } from "./auth/resume-tokens.ts";
import { Revocations } from "./auth/revocations.ts";
import { loadAuthSecret } from "./auth/secret.ts";
import { GuestTokens, SeatSigner, TileClaims } from "./auth/signer.ts";
import { ChatBus } from "./chat/chat-bus.ts";
import { matchmakingOptions } from "./cluster/matchmaking.ts";
import { peerAddress, registerProcess, unregisterProcess } from "./cluster/process-directory.ts";
import { serveRoomSockets } from "./cluster/room-sockets.ts";
import { storeOptions, type RelayConfig } from "./config.ts";
import { apiRouter } from "./http/api.ts";
import { clientFiles } from "./http/client-files.ts";
import { DEFAULT_EDGE_LIMITS, HttpEdge, MAX_HEADER_BYTES, type EdgeLimits } from "./http/edge.ts";
import { OriginPolicy } from "./http/origins.ts";
import { colyseusLogger, createLogger, type Logger } from "./log.ts";
import { installWebSocketGlobal } from "./node20.ts";
import { GuardedTransport } from "./sockets/guarded-transport.ts";
import { SocketPolicy } from "./sockets/socket-policy.ts";
import { textureRouter } from "./textures/texture-routes.ts";
import type { UploadLimits } from "./textures/upload-policy.ts";
import { AvatarClaims } from "./tiles/avatar-claims.ts";
import { SEAT_RESERVATION_S, SeatAdmission, type PlayerAuth } from "./tiles/seat-admission.ts";
import { SeatLedger, seatsPerPlayer } from "./tiles/seat-ledger.ts";
import { TileRoom, type TileMetadata, type TileServices } from "./tiles/TileRoom.ts";
import { TileOpener } from "./tiles/tile-opener.ts";
import { VERSION } from "./version.ts";
import type { Prim } from "@tessera/prims";
import { openWorldStore } from "@tessera/store";
import { demoWorld } from "@tessera/worldgen";
import { EditCommits } from "./world/edit-commits.ts";
import { PrimIdPool } from "./world/prim-ids.ts";
import { placePrims, readWorldPrims } from "./world/world-prims.ts";
import { WorldRights } from "./world/world-rights.ts";

/** Largest WebSocket frame a client may send; a larger one closes its connection (1009). */
export const MAX_FRAME_BYTES = 64 * 1024;

export interface Relay {
  /** Base URL, e.g. `http://localhost:2567`. */
  readonly url: string;
  readonly port: number;
  /** Closes every connection and room, then the port. */
  stop(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /** Let Colyseus exit the process on SIGINT/SIGTERM (the CLI); off for relays inside tests. */
  handleSignals?: boolean;
  /** The prims an empty store is given (instead of `WORLD_PRIMS` or the generated demo world). */
  world?: readonly Prim[];
  /** The HTTP edge's exemptions and timeouts, for tests; the connection caps come from the config. */
  edge?: Partial<Omit<EdgeLimits, "maxConnections" | "maxConnectionsPerAddress">>;
  /** Texture upload rates and quotas, for tests (the defaults otherwise). */
  textures?: Partial<UploadLimits>;
}

/** Every open tile of the world, from the room listings (each room refreshes its own metadata). */
async function openTiles(): Promise<TileReport[]> {
  const listings = await matchMaker.query({ name: TILE_ROOM });
  return listings
    .map((listing) => {
      const metadata = listing.metadata as Partial<TileMetadata> | undefined;
      return {
        id: listing.roomId,
        process: listing.processId,
        players: metadata?.players ?? 0,
        clients: listing.clients,
        prims: metadata?.prims ?? 0,
        tickMs: metadata?.tickMs ?? { p50: 0, p99: 0, max: 0 },
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The avatars held by this process's tile rooms, read in one go. */
function localAvatars(grid: GridSize): AvatarsResponse {
  const avatars: AvatarsResponse["avatars"] = [];
  for (let tx = 0; tx < grid.width; tx++) {
    for (let tz = 0; tz < grid.depth; tz++) {
      const tile = tileId({ tx, tz });
      const room = matchMaker.getLocalRoomById(tile) as TileRoom | undefined;
      for (const avatar of room?.avatarReport() ?? []) avatars.push({ ...avatar, tile });
    }
  }
  return { process: matchMaker.processId, tick: worldTickAt(Date.now()), avatars };
}

/**
 * Starts a relay on one port: the built client, the HTTP API under /api, Colyseus matchmaking and
 * WebSockets. Tile rooms open on demand; the spawn point's opens at once.
 */
export async function startRelay(config: RelayConfig, options: StartOptions = {}): Promise<Relay> {
  await installWebSocketGlobal();
  const log = options.log ?? createLogger();
  const secret = await loadAuthSecret(config.authSecret, config.dataDir);
  const revocations = await Revocations.load(config.dataDir);
  const tokens = new GuestTokens(secret, { ttlMs: config.tokenTtlS * 1000, revoked: (playerId) => revocations.has(playerId) });
  const claims = new TileClaims(secret);
  const seatSigner = new SeatSigner(secret);
  const resumeTokens = new ResumeTokens(secret);
  const seats = new SeatLedger(seatsPerPlayer(config.viewRadius, config.world.tileSize), SEAT_RESERVATION_S * 1000);
  const admission = new SeatAdmission({ tokens, resumeTokens, seats: seatSigner, ledger: seats, log });
  const origins = new OriginPolicy(config.allowedOrigins);
  const edge = new HttpEdge({ ...DEFAULT_EDGE_LIMITS, ...options.edge, maxConnections: config.maxConnections, maxConnectionsPerAddress: config.maxConnectionsPerAddress }, origins, log);
  const startedAt = Date.now();
  const opener = new TileOpener(config.world.grid, claims);
  const store = await openWorldStore(storeOptions(config));
  // The first start writes the world's first prims; every later one loads what is there, edits and all.
  const firstPrims = async () =>
    options.world ? placePrims(options.world, config.world.tileSize) : config.worldPrims ? await readWorldPrims(config.worldPrims, config.world.tileSize) : placePrims(demoWorld(config.world), config.world.tileSize);
  if (await store.seed(await firstPrims())) log.info(`the world was empty: wrote its first prims into ${store.engine === "sqlite" ? "SQLite" : "PostgreSQL"}`);
  const storeError = (error: Error) => log.error(`world store: ${error.message}`);
  const rights = await WorldRights.load(store, storeError);
  const primIds = new PrimIdPool(store, storeError);
  await primIds.start();
  const commits = new EditCommits(store);
  // Stops the textures' background work (compressed forms) before the store closes.
  const textureWork = new AbortController();
  // Colyseus opens rooms only once it listens: until the spawn tile is open, the API says "starting".
  let ready = false;

  // The transport gets the sockets for this process's rooms; those for another relay's are piped to it.
  const httpServer = createServer({ maxHeaderSize: MAX_HEADER_BYTES, connectionsCheckingInterval: 1000 });
  edge.guardConnections(httpServer);
  const transport = new GuardedTransport({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const roomSockets = serveRoomSockets(httpServer, transport, new SocketPolicy(seatSigner, origins));
  const server = new Server({
    transport,
    ...(await matchmakingOptions(config.redisUrl)),
    logger: colyseusLogger(log),
    greet: false,
    gracefullyShutdown: options.handleSignals ?? false,
    express: (app) => {
      app.disable("x-powered-by");
      app.set("trust proxy", "loopback");
      // Before the API's catch-all (its /api/textures routes) and the client's files (/textures/...).
      app.use(textureRouter({ store, tokens, log, signal: textureWork.signal, ...(options.textures ? { limits: options.textures } : {}) }));
      app.use("/api", apiRouter({
        version: VERSION,
        world: config.world,
        tokens,
        startedAt,
        load: () => ({ rooms: matchMaker.stats.local.roomCount, players: matchMaker.stats.local.ccu }),
        viewRadius: config.viewRadius,
        tiles: openTiles,
        avatars: () => localAvatars(config.world.grid),
        openTile: (tile) => opener.open(tile),
        ready: () => ready,
        revocations,
        log,
        ...(config.adminToken ? { adminToken: config.adminToken } : {}),
      }));
      app.use(clientFiles(config.clientDir));
    },
  });
  const avatarClaims = new AvatarClaims(() => matchMaker.presence);
  const chat = new ChatBus(() => matchMaker.presence);
  const services: TileServices = {
    world: config.world,
    tileClaims: claims,
    avatarClaims,
    revocations,
    resumeTokens,
    seats,
    store,
    rights,
    primIds,
    commits,
    log,
    snapshotBudgetKbps: config.snapshotBudgetKbps,
    opener,
    chat,
  };
  // Seats are admitted when they are reserved, by whichever relay is asked (Colyseus calls a room
  // type's static onAuth then, without `this`).
  class Tile extends TileRoom {
    static override onAuth(token: string, options: unknown): Promise<PlayerAuth> {
      return new Promise((resolve) => resolve(admission.admit(token, options)));
    }
  }
  server.define(TILE_ROOM, Tile, { services });
  // Only the page's own origin and the configured ones: Colyseus's default echoes any origin.
  matchMaker.controller.DEFAULT_CORS_HEADERS = {} as typeof matchMaker.controller.DEFAULT_CORS_HEADERS;
  matchMaker.controller.getCorsHeaders = (headers: Headers) => origins.corsHeaders(Object.fromEntries(headers));
  await server.listen(config.port, config.host);
  edge.guardRequests(httpServer);
  await Promise.all([avatarClaims.start(), chat.start(), revocations.share(matchMaker.presence)]);
  const port = (transport.server!.address() as AddressInfo).port;
  await registerProcess(peerAddress(config.host, port));
  server.onBeforeShutdown(unregisterProcess);

  await opener.open(tileOf(config.world.spawn.x, config.world.spawn.z, config.world.tileSize));
  ready = true;

  const url = `http://localhost:${port}`;
  return {
    url,
    port,
    stop: async () => {
      avatarClaims.stop();
      chat.stop();
      revocations.stop();
      rights.stop();
      textureWork.abort();
      await server.gracefullyShutdown(false);
      roomSockets.close();
      await commits.drain();
      await store.close();
    },
  };
}
