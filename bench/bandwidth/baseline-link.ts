import { Client, Protocol, type Room } from "@colyseus/sdk";
import { PROTOCOL_CODE_MASK } from "@colyseus/shared-types";
import { Bot, type BotLink, type LinkCounters, type Point, type Steering } from "@tessera/bots";
import { ClientMessage, MAX_INPUT_TICKS, TICK_DT, wrapAngle, type InputMessage, type TickInput } from "@tessera/protocol";
import { desiredVelocity } from "@tessera/sim";
import { BASELINE_ROOM, BaselineState } from "./baseline-state.ts";

const sizeOf = (data: unknown) => (data as { byteLength?: number }).byteLength ?? (typeof data === "string" ? data.length : 0);

/**
 * Counts every frame a room's socket carries, as the SDK's net meter does for WorldClient, and
 * counts state patches as updates, then drops them undecoded: decoding hundreds of clients' copies
 * of every patch in this one process would saturate it and slow the bots (a real client decodes
 * only its own). The bytes on the wire, and the server's work, are the same either way.
 */
function meter(room: Room, counters: LinkCounters): void {
  const connection = room.connection;
  const events = connection.events as { onmessage?: (event: MessageEvent) => void };
  const onmessage = events.onmessage;
  events.onmessage = (event: MessageEvent) => {
    counters.bytesDown += sizeOf(event.data);
    const code = new Uint8Array(event.data as ArrayBuffer)[0]! & PROTOCOL_CODE_MASK;
    if (code === Protocol.ROOM_STATE_PATCH) counters.snapshots++;
    else onmessage?.(event);
  };
  const send = connection.send.bind(connection);
  connection.send = (data: Buffer | Uint8Array) => {
    counters.bytesUp += data.byteLength;
    send(data);
  };
}

/**
 * A bot on the baseline server through a plain Colyseus client. It sends the same `input` messages
 * as WorldClient (the newest tick and the three before it) and steers by dead reckoning: the
 * baseline room is flat, empty ground, so the avatar goes exactly where its inputs take it from
 * `spawn` (the server simulates every input, in order).
 */
export async function connectBaselineBot(endpoint: string, spawn: Point, name: string, steering: Steering): Promise<Bot> {
  const room = await new Client(endpoint).joinById<BaselineState>(BASELINE_ROOM, {}, BaselineState);
  const counters: LinkCounters = { bytesDown: 0, bytesUp: 0, snapshots: 0 };
  meter(room, counters);
  const at = { ...spawn };
  let seq = 0;
  const recent: TickInput[] = [];
  const link: BotLink = {
    position: () => at,
    send: ({ keys, yaw }) => {
      const tick: TickInput = [keys, wrapAngle(yaw)];
      recent.push(tick);
      if (recent.length > MAX_INPUT_TICKS) recent.shift();
      const message: InputMessage = { seq: ++seq, ticks: [...recent] };
      room.send(ClientMessage.Input, message);
      const velocity = desiredVelocity(tick[0], tick[1]);
      at.x += velocity.x * TICK_DT;
      at.z += velocity.z * TICK_DT;
    },
    counters: () => ({ ...counters }),
    prediction: () => undefined,
    leave: async () => {
      await room.leave(true);
    },
  };
  return new Bot(name, link, steering);
}
