import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, matchMaker } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { TILE_ROOM, tileId, tileOf, worldTickAt, type AvatarsResponse, type GridSize, type TileReport } from "@tessera/protocol";
import { loadAuthSecret } from "./auth/secret.ts";
import { GuestTokens, TileClaims } from "./auth/signer.ts";
import { matchmakingOptions } from "./cluster/matchmaking.ts";
import { peerAddress, registerProcess, unregisterProcess } from "./cluster/process-directory.ts";
import { serveRoomSockets } from "./cluster/room-sockets.ts";
import type { RelayConfig } from "./config.ts";
import { apiRouter } from "./http/api.ts";
import { clientFiles } from "./http/client-files.ts";
import { createLogger, type Logger } from "./log.ts";
import { installWebSocketGlobal } from "./node20.ts";
import { TileRoom, type TileMetadata, type TileServices } from "./tiles/TileRoom.ts";
import { TileOpener } from "./tiles/tile-opener.ts";
import { VERSION } from "./version.ts";
import { demoSource, fileSource, type PrimSource } from "./world/prim-source.ts";

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
  /** What tiles hold when they open; the generated demo world by default. */
  prims?: PrimSource;
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
  const tokens = new GuestTokens(secret);
  const claims = new TileClaims(secret);
  const startedAt = Date.now();
  const opener = new TileOpener(config.world.grid, claims);
  const prims = options.prims ?? (config.worldPrims ? await fileSource(config.worldPrims, config.world.tileSize) : demoSource(config.world));
  // Colyseus opens rooms only once it listens: until the spawn tile is open, the API says "starting".
  let ready = false;

  // The transport gets the sockets for this process's rooms; those for another relay's are piped to it.
  const httpServer = createServer();
  const transport = new WebSocketTransport({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const roomSockets = serveRoomSockets(httpServer, transport);
  const server = new Server({
    transport,
    ...(await matchmakingOptions(config.redisUrl)),
    greet: false,
    gracefullyShutdown: options.handleSignals ?? false,
    express: (app) => {
      app.disable("x-powered-by");
      app.set("trust proxy", "loopback");
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
      }));
      app.use(clientFiles(config.clientDir));
    },
  });
  const services: TileServices = {
    world: config.world,
    tokens,
    claims,
    prims,
    log,
    snapshotBudgetKbps: config.snapshotBudgetKbps,
    opener,
  };
  server.define(TILE_ROOM, TileRoom, { services });
  await server.listen(config.port, config.host);
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
      await server.gracefullyShutdown(false);
      roomSockets.close();
    },
  };
}
