import type { IncomingMessage } from "node:http";
import { matchMaker } from "@colyseus/core";
import type { SeatSigner } from "../auth/signer.ts";
import type { OriginPolicy } from "../http/origins.ts";

/** A room socket's path: `/<processId>/<roomId>`, as the SDK builds it. */
const ROOM_PATH = /^\/[A-Za-z0-9_-]{1,64}\/([A-Za-z0-9_-]{1,64})$/;

export interface SocketRefusal {
  status: number;
  message: string;
}

/**
 * Which WebSocket upgrades the relay serves or pipes: ones from an allowed page, for a room, that
 * carry a seat a relay of this world signed. A socket for a room here must also name a seat the
 * room holds, unless it asks to resume a dropped session (Colyseus answers that itself, with close
 * code 4003 when it cannot, so that the client gives up resuming and joins afresh at once).
 */
export class SocketPolicy {
  private readonly seats: SeatSigner;
  private readonly origins: OriginPolicy;

  constructor(seats: SeatSigner, origins: OriginPolicy) {
    this.seats = seats;
    this.origins = origins;
  }

  /** Why this upgrade may not go on, or undefined when it may; `local` when this process runs its room. */
  refuse(req: IncomingMessage, url: URL, local: boolean): SocketRefusal | undefined {
    if (!this.origins.allows(req.headers)) return { status: 403, message: `pages from ${req.headers.origin} may not use this relay` };
    const roomId = ROOM_PATH.exec(url.pathname)?.[1];
    if (!roomId) return { status: 404, message: "room sockets live at /<processId>/<roomId>?sessionId=<seat>" };
    const sessionId = url.searchParams.get("sessionId");
    if (!this.seats.verify(sessionId)) return { status: 403, message: "no seat: reserve one with POST /matchmake/joinById/<tile id>" };
    if (!local || url.searchParams.has("reconnectionToken")) return undefined;
    const room = matchMaker.getLocalRoomById(roomId);
    if (!room?.hasReservedSeat(sessionId!)) return { status: 410, message: "the seat lapsed or was used: reserve a new one" };
    return undefined;
  }
}
