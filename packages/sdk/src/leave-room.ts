import type { Room } from "@colyseus/sdk";

/**
 * Leaves a room whatever its socket is doing. An open socket carries the leave message. One the SDK
 * is reconnecting cannot (a connecting WebSocket throws on send): its reconnection is switched off,
 * so that the socket's close ends the room, and should an attempt already under way succeed, the
 * room is left at once.
 */
export function leaveRoom(room: Room): Promise<number> {
  room.reconnection.enabled = false;
  if (room.connection.isOpen) return room.leave(true);
  room.onReconnect(() => void room.leave(true));
  return room.leave(false);
}
