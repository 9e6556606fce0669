import { Server, matchMaker } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { defaultWorldConfig } from "@tessera/protocol";
import { installWebSocketGlobal } from "../../apps/relay/src/node20.ts";
import { TickTimes } from "../../apps/relay/src/tiles/tick-times.ts";
import { BaselineRoom, type BaselineServices } from "./baseline-room.ts";
import { BASELINE_ROOM } from "./baseline-state.ts";

/**
 * The baseline's server process (`PORT`, `HOST`): one {@link BaselineRoom} on a plain Colyseus
 * server, and the two endpoints the benchmark reads, `GET /api/health` and `GET /api/tiles` (tick
 * times over the last 900 ticks, in the relay's format).
 */
await installWebSocketGlobal();
const port = Number(process.env.PORT ?? 2570);
const services: BaselineServices = { world: defaultWorldConfig(), times: new TickTimes() };
const server = new Server({
  transport: new WebSocketTransport(),
  greet: false,
  express: (app) => {
    app.get("/api/health", (_req, res) => {
      res.json({ ok: true, rooms: matchMaker.stats.local.roomCount, players: matchMaker.stats.local.ccu });
    });
    app.get("/api/tiles", (_req, res) => {
      res.json({ tiles: [{ id: BASELINE_ROOM, players: matchMaker.stats.local.ccu, prims: 0, tickMs: services.times.summary() }] });
    });
  },
});
server.define(BASELINE_ROOM, BaselineRoom, { services });
await server.listen(port, process.env.HOST ?? "127.0.0.1");
await matchMaker.createRoom(BASELINE_ROOM, {});
