import type { AddressInfo } from "node:net";
import { Server, matchMaker } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { TILE_ROOM, tileId, tileOf, type TileCoord } from "@tessera/protocol";
import { loadAuthSecret } from "./auth/secret.ts";
import { GuestTokens, TileClaims } from "./auth/signer.ts";
import type { RelayConfig } from "./config.ts";
import { apiRouter } from "./http/api.ts";
import { clientFiles } from "./http/client-files.ts";
import { createLogger, type Logger } from "./log.ts";
import { installWebSocketGlobal } from "./node20.ts";
import { TileRoom, type TileServices } from "./tiles/TileRoom.ts";
import { TileRegistry } from "./tiles/tile-registry.ts";
import { VERSION } from "./version.ts";
import { demoSource, type PrimSource } from "./world/prim-source.ts";

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

/**
 * Starts a relay on one port: the built client, the HTTP API under /api, Colyseus matchmaking and
 * WebSockets, and the tile room of the spawn point.
 */
export async function startRelay(config: RelayConfig, options: StartOptions = {}): Promise<Relay> {
  await installWebSocketGlobal();
  const log = options.log ?? createLogger();
  const secret = await loadAuthSecret(config.authSecret, config.dataDir);
  const tokens = new GuestTokens(secret);
  const claims = new TileClaims(secret);
  const startedAt = Date.now();
  const tiles = new TileRegistry();
  // Colyseus opens rooms only once it listens: until the spawn tile is open, the API says "starting".
  let ready = false;

  const transport = new WebSocketTransport({ maxPayload: MAX_FRAME_BYTES });
  const server = new Server({
    transport,
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
        tiles: () => tiles.reports(),
        ready: () => ready,
      }));
      app.use(clientFiles(config.clientDir));
    },
  });
  const services: TileServices = {
    world: config.world,
    tokens,
    claims,
    prims: options.prims ?? demoSource(config.world),
    log,
    snapshotBudgetKbps: config.snapshotBudgetKbps,
    tiles,
  };
  server.define(TILE_ROOM, TileRoom, { services });
  await server.listen(config.port, config.host);
  const port = (transport.server!.address() as AddressInfo).port;

  const openTile = async (tile: TileCoord) => {
    const id = tileId(tile);
    await matchMaker.createRoom(TILE_ROOM, { ...tile, claim: claims.claim(id) });
    log.info(`opened ${id}`);
  };
  await openTile(tileOf(config.world.spawn.x, config.world.spawn.z, config.world.tileSize));
  ready = true;

  const url = `http://localhost:${port}`;
  return {
    url,
    port,
    stop: () => server.gracefullyShutdown(false),
  };
}
