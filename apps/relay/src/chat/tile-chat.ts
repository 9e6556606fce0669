import { CHAT_BURST, CHAT_PER_SECOND, ErrorCode, chatTiles, hears, tileId, type ChatLine, type ChatMessage, type ChatPoint, type GridSize } from "@tessera/protocol";
import type { ChatBus } from "./chat-bus.ts";

/** An avatar of the room as chat sees it: who drives it and where it stands. */
export interface ChatAvatar {
  playerId: string;
  name: string;
  at: ChatPoint;
}

export interface TileChatHost {
  tileSize: number;
  grid: GridSize;
  bus: ChatBus;
  /** The avatar a session drives in this room, if any. */
  avatarOf(sessionId: string): ChatAvatar | undefined;
  /** Every avatar of the room that has a session, with it. */
  listeners(): Iterable<{ sessionId: string; at: ChatPoint }>;
  send(sessionId: string, line: ChatLine): void;
  refuse(sessionId: string, code: ErrorCode, message: string): void;
}

/**
 * Local chat in one tile room: a line said by an avatar this room holds goes, through the bus, to
 * every tile within its range; a line that reaches this tile goes to each avatar here that hears it.
 * Each listener hears a line once: from the one room that holds its avatar.
 */
export class TileChat {
  private readonly host: TileChatHost;

  constructor(host: TileChatHost) {
    this.host = host;
  }

  /** A player said a line here (shape checked at the room's edge). */
  receive(sessionId: string, message: ChatMessage): void {
    const { host } = this;
    const speaker = host.avatarOf(sessionId);
    if (!speaker) return host.refuse(sessionId, ErrorCode.BadMessage, "chat: say it to the tile your avatar stands in");
    if (!host.bus.allow(speaker.playerId)) {
      return host.refuse(sessionId, ErrorCode.RateLimited, `chat: at most ${CHAT_BURST} lines at once, then one every ${1 / CHAT_PER_SECOND} s; this line was not sent`);
    }
    const line: ChatLine = { channel: message.channel, speaker: { id: speaker.playerId, name: speaker.name }, text: message.text, at: speaker.at, sentAt: Date.now() };
    host.bus.say(line, chatTiles(line.at, line.channel, host.tileSize, host.grid).map(tileId));
  }

  /** A line reached this tile: to every avatar here within its range. */
  deliver(line: ChatLine): void {
    for (const listener of this.host.listeners()) if (hears(listener.at, line.at, line.channel)) this.host.send(listener.sessionId, line);
  }
}
