import type { IncomingMessage } from "node:http";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { guardFrames } from "./frame-guard.ts";

type RawClient = Parameters<WebSocketTransport["onConnection"]>[0];
type Upgrade = Parameters<WebSocketTransport["onConnection"]>[2];

/** Colyseus's WebSocket transport with a frame budget on every socket, from its first frame. */
export class GuardedTransport extends WebSocketTransport {
  // ws calls this with itself as `this`: the override uses none.
  protected override onConnection(rawClient: RawClient, req: IncomingMessage, upgrade?: Upgrade): Promise<void> {
    guardFrames(rawClient);
    return super.onConnection(rawClient, req, upgrade);
  }
}
