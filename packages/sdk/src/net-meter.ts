import type { Room } from "@colyseus/sdk";

/** Counts the bytes a room's socket carries each way. */
export interface ByteCounter {
  down(bytes: number): void;
  up(bytes: number): void;
}

const sizeOf = (data: unknown) => (data as { byteLength?: number }).byteLength ?? (typeof data === "string" ? data.length : 0);

/**
 * Meters a room's WebSocket: every frame in (state patches, snapshots, prims, pings) and out. The
 * Colyseus SDK keeps one connection per room, reused by its reconnection, so wrapping it once covers
 * the room's life.
 */
export function meterRoom(room: Room, counter: ByteCounter): void {
  const connection = room.connection;
  const events = connection.events as { onmessage?: (event: MessageEvent) => void };
  const onmessage = events.onmessage;
  events.onmessage = (event: MessageEvent) => {
    counter.down(sizeOf(event.data));
    onmessage?.(event);
  };
  const send = connection.send.bind(connection);
  connection.send = (data: Buffer | Uint8Array) => {
    counter.up(data.byteLength);
    send(data);
  };
}
