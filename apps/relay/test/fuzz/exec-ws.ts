import { createHash } from "node:crypto";
import { connect } from "node:net";
import { Client, type Room } from "@colyseus/sdk";
import { WebSocket } from "ws";
import { DEFAULT_FACE, presetShape, type PresetName } from "@tessera/prims";
import { ClientMessage, RelayMessage, parseTileId } from "@tessera/protocol";
import { Code, type EditSpec, type FrameCase, type InputSpec, type MessageCase, type MsgBody, type RawWsFrame, type SelectSpec, type SocketCase, type Step } from "./cases.ts";
import { fill, forge, sleep, type Outcome, type Target } from "./context.ts";
import { plainFetch } from "./http-client.ts";
import { Bytes, encodeMsg, writeType } from "./wire.ts";

// ---------------------------------------------------------------------------------------------
// Encoding

function writeBody(out: Bytes, body: MsgBody): void {
  const bytes = encodeMsg(body.msg);
  out.bytes(bytes.subarray(0, Math.max(0, bytes.length - body.cut))).bytes(body.junk);
}

/** The WebSocket messages a frame case sends (binary, or text for `text`). */
export function frameMessages(frame: FrameCase): (Uint8Array | string)[] {
  const out = new Bytes();
  switch (frame.kind) {
    case "data":
      out.u8(Code.ROOM_DATA | frame.mod);
      writeType(out, frame.type);
      if (frame.body) writeBody(out, frame.body);
      return [out.done()];
    case "request":
      out.u8(Code.ROOM_REQUEST | frame.mod);
      writeType(out, frame.id);
      writeType(out, frame.type);
      if (frame.body) writeBody(out, frame.body);
      return [out.done()];
    case "bytes":
      out.u8(Code.ROOM_DATA_BYTES | frame.mod);
      writeType(out, frame.type);
      return [out.bytes(frame.bytes).done()];
    case "code":
      return [out.u8(frame.code).bytes(frame.tail).done()];
    case "empty":
      return [new Uint8Array()];
    case "text":
      return [frame.text];
    case "oversize": {
      const bytes = new Uint8Array(frame.bytes).fill(0x61);
      bytes.set([frame.code, 0xa5, ...Buffer.from(ClientMessage.Input), 0xdb]);
      return [bytes];
    }
    case "seq":
      return frame.frames.flatMap(frameMessages);
  }
}

// ---------------------------------------------------------------------------------------------
// Small HTTP helpers

async function newToken(target: Target, name?: string): Promise<string> {
  const response = await plainFetch(`${target.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(name ? { name } : {}),
  });
  if (response.status !== 201) throw new Error(`POST /api/session: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

async function openTile(target: Target, tile: string): Promise<void> {
  const response = await plainFetch(`${target.url}/api/tiles/${tile}/open`, { method: "POST" });
  if (!response.ok) throw new Error(`POST /api/tiles/${tile}/open: ${response.status} ${await response.text()}`);
}

interface Seat {
  sessionId: string;
  roomId: string;
  processId: string;
}

/** A matchmaker call as the SDK makes it; undefined when refused. */
async function matchmake(target: Target, method: string, room: string, options: string, token: string | undefined): Promise<Seat | undefined> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const response = await plainFetch(`${target.url}/matchmake/${method}/${room}`, { method: "POST", headers, body: options });
  const text = await response.text();
  if (!response.ok) return undefined;
  try {
    const seat = JSON.parse(text) as Partial<Seat>;
    return seat.sessionId && seat.roomId && seat.processId ? (seat as Seat) : undefined;
  } catch {
    return undefined;
  }
}

function rememberReconnection(target: Target, token: string): void {
  target.reconnectionTokens.push(token);
  if (target.reconnectionTokens.length > 64) target.reconnectionTokens.shift();
}

/** A `select` payload from its spec; the wrong key an own property, `__proto__` included. */
function selectPayload(spec: SelectSpec): unknown {
  if (spec.t === "junk") return spec.value;
  const select: Record<string, unknown> = { ids: spec.ids };
  if (spec.wrong) Object.defineProperty(select, spec.wrong.key, { value: spec.wrong.value, enumerable: true, writable: true, configurable: true });
  return select;
}

// ---------------------------------------------------------------------------------------------
// Room messages through the SDK, and raw frames on the SDK room's own socket

/** How long after a message a refusal (an `error` back, or the socket closing) is waited for. */
const ANSWER_WINDOW_MS = 25;
/** Messages on one lane are at least this far apart: 50 a second, under the relay's 60. */
const LANE_SPACING_MS = 20;
/** A lane starts a new session after this many cases. */
const CASES_PER_SESSION = 120;
const LANE_TILES = ["tile_2_2", "tile_2_2", "tile_2_2", "tile_1_2", "tile_2_2", "tile_2_1", "tile_2_2", "tile_1_1"];

/**
 * One player's connection to a tile room, through the Colyseus SDK, that the fuzzer sends cases
 * down; when the relay closes it (as it may, for a bad frame) the next case gets a new session.
 */
export class RoomLane {
  private room: Room | undefined;
  private errors = 0;
  private closed = true;
  private seq = 0;
  /** Edit ids this lane's sessions used. */
  private edits = 0;
  private cases = 0;
  private lastSentAt = 0;
  private sessions = 0;
  private readonly target: Target;
  private readonly index: number;

  constructor(target: Target, index: number) {
    this.target = target;
    this.index = index;
  }

  private async open(): Promise<Room> {
    const n = this.sessions++;
    const tile = LANE_TILES[(this.index + n) % LANE_TILES.length]!;
    const name = `Fuzz-${this.index}-${n}`;
    const token = await newToken(this.target, name);
    await openTile(this.target, tile);
    const client = new Client(this.target.url, { fetchFn: plainFetch });
    client.auth.token = token;
    const room = await client.joinById(tile, { name, enter: (this.index + n) % 3 !== 0 });
    room.reconnection.enabled = false;
    this.room = room;
    this.closed = false;
    this.errors = 0;
    this.seq = 0;
    this.cases = 0;
    // A session this lane has moved on from may still say things: only the current one counts.
    const current = () => this.room === room;
    room.onMessage(RelayMessage.Error, () => {
      if (current()) this.errors++;
    });
    room.onMessage(RelayMessage.Edited, (result: { ok?: unknown }) => {
      if (current() && result?.ok === false) this.errors++;
    });
    room.onMessage(RelayMessage.Snapshot, () => undefined);
    room.onMessage(RelayMessage.Prims, () => undefined);
    room.onMessage("*", () => undefined);
    room.onLeave(() => {
      if (current()) this.closed = true;
    });
    room.onError(() => {
      if (current()) this.closed = true;
    });
    const [, reconnection] = room.reconnectionToken.split(":");
    if (reconnection) rememberReconnection(this.target, reconnection);
    return room;
  }

  private async ready(): Promise<Room> {
    if (this.room && !this.closed && this.cases < CASES_PER_SESSION) return this.room;
    await this.close();
    return this.open();
  }

  /** Runs one case: sends it, then waits a moment for a refusal. */
  async run(c: MessageCase | FrameCase, frame: boolean): Promise<Outcome> {
    const room = await this.ready();
    this.cases++;
    const wait = this.lastSentAt + LANE_SPACING_MS - performance.now();
    if (wait > 0) await sleep(wait);
    const errors = this.errors;
    let skipped: string | undefined;
    try {
      if (frame) this.sendFrames(room, c as FrameCase);
      else skipped = this.sendMessage(room, c as MessageCase);
    } catch {
      // The socket went away under us: the relay closed it.
    }
    this.lastSentAt = performance.now();
    const burst = !frame && (c as MessageCase).kind === "burst";
    const deadline = performance.now() + (burst ? 150 : ANSWER_WINDOW_MS);
    while (performance.now() < deadline && this.errors === errors && !this.closed) await sleep(5);
    if (burst) this.lastSentAt = performance.now() + 1000;
    return { refused: this.errors !== errors || this.closed, ...(skipped === undefined ? {} : { skipped: true, note: skipped }) };
  }

  /** An `edit` payload from its spec: new prims placed in (or just past) the lane's tile. */
  private edit(spec: EditSpec): unknown {
    if (spec.t === "junk") return spec.value;
    const tile = parseTileId(this.room!.roomId)!;
    const ops: Record<string, unknown>[] = spec.ops.map((op) => {
      switch (op.op) {
        case "create": {
          const prim = { position: { x: tile.tx * 64 + op.dx, y: op.y, z: tile.tz * 64 + op.dz }, shape: presetShape(op.preset as PresetName), scale: { x: op.size, y: op.size, z: op.size } };
          return op.restore === undefined ? { op: "create", prim } : { op: "create", id: op.restore, prim };
        }
        case "change": {
          const to = {
            position: { position: { x: tile.tx * 64 + op.value / 5, y: 1, z: tile.tz * 64 + 32 } },
            scale: { scale: { x: op.value / 10, y: 1, z: 1 } },
            physical: { physical: op.value > 100 },
            root: { root: Math.round(op.value) },
            faces: { faces: [{ ...DEFAULT_FACE, color: { r: Math.round(op.value), g: 0, b: 0, a: 255 } }] },
          }[op.field];
          return op.expect ? { op: "change", id: op.id, to, from: to } : { op: "change", id: op.id, to };
        }
        case "link":
          return { op: "link", root: op.root, children: op.children };
        default:
          return { op: op.op, ids: op.ids };
      }
    });
    const edit: Record<string, unknown> = { id: ++this.edits, ops };
    if (spec.wrong) {
      const { at, key, value } = spec.wrong;
      if (key === "ops" || key === "batchId") edit[key === "ops" ? "ops" : "id"] = value;
      else ops[at % ops.length]![key] = value;
    }
    return edit;
  }

  private input(spec: InputSpec): unknown {
    if (spec.t === "junk") return spec.value;
    this.seq = Math.max(this.seq + spec.step, spec.ticks.length);
    const input: Record<string, unknown> = { seq: this.seq, ticks: spec.ticks.map((tick) => [...tick]) };
    if (spec.t === "valid") return input;
    const ticks = input.ticks as unknown[][];
    const at = spec.at % ticks.length;
    switch (spec.where) {
      case "seq":
        input.seq = spec.value;
        break;
      case "ticks":
        input.ticks = spec.value;
        break;
      case "tick":
        ticks[at] = spec.value as unknown[];
        break;
      case "keys":
        ticks[at]![0] = spec.value;
        break;
      case "yaw":
        ticks[at]![1] = spec.value;
        break;
      case "extra":
        input.extra = spec.value;
        break;
      case "proto":
        Object.defineProperty(input, "__proto__", { value: spec.value, enumerable: true, writable: true, configurable: true });
        break;
      case "missing":
        delete input[at % 2 === 0 ? "seq" : "ticks"];
        break;
    }
    return input;
  }

  /** Why the SDK could not send the case (nothing was sent), or undefined once sent. */
  private sendMessage(room: Room, c: MessageCase): string | undefined {
    try {
      switch (c.kind) {
        case "input":
          room.send(ClientMessage.Input, this.input(c.input));
          return undefined;
        case "edit":
          room.send(ClientMessage.Edit, this.edit(c.edit));
          return undefined;
        case "select":
          room.send(ClientMessage.Select, selectPayload(c.select));
          return undefined;
        case "send":
          room.send(c.type, c.payload);
          return undefined;
        case "bytes":
          room.sendBytes(c.type, c.bytes);
          return undefined;
        case "burst":
          for (let i = 0; i < c.count && !this.closed; i++) room.send(ClientMessage.Input, this.input(c.input));
          return undefined;
      }
    } catch (error) {
      if (this.closed) return undefined;
      // msgpackr cannot encode every JS value; the case never reached the relay.
      if (error instanceof Error && !/not open|CLOSED|CLOSING/i.test(error.message)) return `${error.name}: ${error.message}`.slice(0, 120);
      return undefined;
    }
  }

  private sendFrames(room: Room, frame: FrameCase): void {
    const ws = room.connection.transport as unknown as { ws: WebSocket };
    for (const message of frameMessages(frame)) {
      if (ws.ws.readyState !== WebSocket.OPEN) return;
      ws.ws.send(message);
    }
  }

  async close(): Promise<void> {
    const room = this.room;
    this.room = undefined;
    if (!room || this.closed) return;
    this.closed = true;
    await Promise.race([room.leave(true).catch(() => undefined), sleep(500)]);
    // No answer to the leave in time: the socket is cut all the same, never left open behind.
    const ws = (room.connection.transport as unknown as { ws?: WebSocket }).ws;
    if (ws && ws.readyState !== WebSocket.CLOSED) ws.terminate();
  }
}

// ---------------------------------------------------------------------------------------------
// Whole connections driven by hand

const SOCKET_WAIT_MS = 250;

function wsUrl(target: Target, path: string): string {
  return `ws://${target.host}:${target.port}${path}`;
}

/** A `ws` socket with what it received and whether it closed. */
class Wire {
  readonly ws: WebSocket;
  closed = false;
  joinToken: string | undefined;
  private readonly joined: Promise<void>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, { headers, handshakeTimeout: 2000 });
    this.ws.binaryType = "nodebuffer";
    this.joined = new Promise<void>((resolve) => {
      this.ws.on("message", (data: Buffer) => {
        // JOIN_ROOM: [10][length][reconnection token]...
        if (data[0] === Code.JOIN_ROOM && this.joinToken === undefined) {
          this.joinToken = data.toString("utf8", 2, 2 + (data[1] ?? 0));
          resolve();
        }
      });
      this.ws.on("close", () => {
        this.closed = true;
        resolve();
      });
    });
    this.ws.on("error", () => (this.closed = true));
  }

  opened(timeoutMs = 2000): Promise<boolean> {
    if (this.ws.readyState === WebSocket.OPEN) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.ws.once("open", () => {
        clearTimeout(timer);
        resolve(true);
      });
      this.ws.once("close", () => {
        clearTimeout(timer);
        resolve(false);
      });
      this.ws.once("error", () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
  }

  async joinedOrClosed(timeoutMs = 1000): Promise<void> {
    await Promise.race([this.joined, sleep(timeoutMs)]);
  }

  send(message: Uint8Array | string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(message);
  }

  async closedWithin(ms: number): Promise<boolean> {
    const deadline = performance.now() + ms;
    while (!this.closed && performance.now() < deadline) await sleep(10);
    return this.closed;
  }

  /** Leaves politely when still open (no reconnection window held for it), then cuts the socket. */
  async end(): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(Uint8Array.of(Code.LEAVE_ROOM));
      await this.closedWithin(100);
    }
    this.ws.terminate();
  }
}

function roomPath(seat: Seat, query: Record<string, string | undefined>): string {
  const params = Object.entries(query)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join("&");
  return `/${seat.processId}/${seat.roomId}?sessionId=${encodeURIComponent(seat.sessionId)}${params ? `&${params}` : ""}`;
}

/** A join done by hand (a seat from the matchmaker, then the socket) with steps in any order. */
async function runLife(c: Extract<SocketCase, { kind: "life" }>, target: Target): Promise<Outcome> {
  const token = await newToken(target);
  await openTile(target, c.tile);
  const bearer = c.auth === "ok" ? token : c.auth === "forged" ? forge(token, 7) : c.auth === "junk" ? "junk.token" : undefined;
  const reserved = await matchmake(target, "joinById", c.tile, fill(c.options, target), bearer);
  if (!reserved) return { refused: true };
  const seat: Seat = reserved;
  const wires: Wire[] = [];
  const open = (query: Record<string, string | undefined>) => {
    const wire = new Wire(wsUrl(target, roomPath(seat, { ...query, _authToken: bearer })));
    wires.push(wire);
    return wire;
  };
  let wire = open({});
  let refused = false;
  try {
    if (!(await wire.opened())) return { refused: true };
    for (const step of c.steps) {
      await runStep(step);
      if (wire.closed) refused = true;
    }
    await wire.closedWithin(40);
    return { refused: refused || wire.closed };
  } finally {
    await Promise.all(wires.map((w) => w.end()));
  }

  async function runStep(step: Step): Promise<void> {
    switch (step.t) {
      case "frame":
        for (const message of frameMessages(step.frame)) wire.send(message);
        await sleep(5);
        return;
      case "ack":
        await wire.joinedOrClosed();
        if (wire.joinToken !== undefined) rememberReconnection(target, wire.joinToken);
        wire.send(Uint8Array.of(Code.JOIN_ROOM));
        return;
      case "leave":
        wire.send(Uint8Array.of(Code.LEAVE_ROOM));
        await wire.closedWithin(50);
        return;
      case "terminate":
        wire.ws.terminate();
        await sleep(20);
        return;
      case "close":
        try {
          wire.ws.close(step.code);
        } catch {
          wire.ws.close();
        }
        await wire.closedWithin(50);
        return;
      case "reconnect": {
        await wire.joinedOrClosed(300);
        const reconnectionToken = step.token === "same" ? wire.joinToken : step.token === "junk" ? "junk-token" : undefined;
        if (step.via === "matchmake") {
          const again = await matchmake(target, "reconnect", seat.roomId, JSON.stringify(reconnectionToken === undefined ? {} : { reconnectionToken }), bearer);
          if (!again) return;
          seat.sessionId = again.sessionId;
        }
        wire = open({ reconnectionToken });
        await wire.opened(1000);
        return;
      }
      case "reuseSeat":
        wire = open({});
        await wire.opened(1000);
        return;
      case "wait":
        await sleep(step.ms);
        return;
    }
  }
}

async function runPath(c: Extract<SocketCase, { kind: "path" }>, target: Target): Promise<Outcome> {
  const headers: Record<string, string> = {};
  for (const [name, value] of c.headers) headers[name] = fill(value, target);
  let wire: Wire;
  try {
    wire = new Wire(wsUrl(target, fill(c.path, target)), headers);
  } catch {
    return { refused: true, skipped: true };
  }
  try {
    if (!(await wire.opened())) return { refused: true };
    for (const frame of c.frames) for (const message of frameMessages(frame)) wire.send(message);
    return { refused: await wire.closedWithin(SOCKET_WAIT_MS) };
  } finally {
    wire.ws.terminate();
  }
}

/** A WebSocket frame as bytes, masked or not, its length told truly or not. */
export function rawFrame(frame: RawWsFrame): Buffer {
  const out = new Bytes();
  out.u8((frame.fin ? 0x80 : 0) | ((frame.rsv & 7) << 4) | (frame.opcode & 0xf));
  const length = frame.length === "lie" ? frame.payload.length + frame.lie : frame.payload.length;
  const mask = frame.masked ? 0x80 : 0;
  if (frame.length !== "long" && length < 126) out.u8(mask | length);
  else if (frame.length !== "long" && length <= 0xffff) out.u8(mask | 126).be(length, 2);
  else out.u8(mask | 127).be(length, 8);
  const key = [0x37, 0xfa, 0x21, 0x3d];
  if (frame.masked) out.u8(...key);
  out.bytes(frame.masked ? frame.payload.map((b, i) => b ^ key[i % 4]!) : frame.payload);
  return Buffer.from(out.done());
}

/** Hand-written WebSocket framing on a raw socket: reserved bits, bad opcodes, lying lengths, no mask. */
async function runFraming(c: Extract<SocketCase, { kind: "framing" }>, target: Target): Promise<Outcome> {
  let path = "/";
  if (c.target === "room") {
    const token = await newToken(target);
    await openTile(target, "tile_2_2");
    const seat = await matchmake(target, "joinById", "tile_2_2", "{}", token);
    if (!seat) return { refused: true };
    path = roomPath(seat, { _authToken: token });
  }
  const key = "dGhlIHNhbXBsZSBub25jZQ==";
  const accept = createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
  const socket = connect({ host: target.host, port: target.port });
  let received = Buffer.alloc(0);
  let closed = false;
  socket.on("data", (data: Buffer) => {
    if (received.length < 65536) received = Buffer.concat([received, data]);
  });
  socket.on("close", () => (closed = true));
  socket.on("error", () => undefined);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: ${target.host}:${target.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const deadline = performance.now() + 1000;
    while (!closed && !received.includes("\r\n\r\n") && performance.now() < deadline) await sleep(5);
    if (!received.toString("latin1").startsWith("HTTP/1.1 101") || !received.includes(accept)) return { refused: true };
    for (const frame of c.frames) {
      if (closed) break;
      socket.write(rawFrame(frame));
    }
    const until = performance.now() + SOCKET_WAIT_MS;
    while (!closed && performance.now() < until) await sleep(10);
    if (!closed) {
      // Leave politely if the relay took it all: a masked close frame.
      socket.write(rawFrame({ fin: true, rsv: 0, opcode: 0x8, masked: true, payload: Uint8Array.of(0x03, 0xe8), length: "exact", lie: 0 }));
      await sleep(20);
    }
    return { refused: closed };
  } catch {
    return { refused: true };
  } finally {
    socket.destroy();
  }
}

export async function runSocket(c: SocketCase, target: Target): Promise<Outcome> {
  switch (c.kind) {
    case "path":
      return runPath(c, target);
    case "life":
      return runLife(c, target);
    case "framing":
      return runFraming(c, target);
  }
}
