/**
 * Byte-level encoders for the fuzzer: MessagePack (big-endian, as msgpackr reads it) with the
 * liberties a hostile client takes (lengths that lie, odd integer widths, extension types, nesting
 * bombs, raw bytes), and the Colyseus frame header (a protocol code, then the message type encoded as
 * @colyseus/schema does: msgpack-like prefixes with little-endian lengths and numbers).
 */

export type IntWidth = "fix" | "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64";

/** A MessagePack value as bytes will say it, lies included. */
export type Msg =
  | { t: "nil" }
  | { t: "bool"; v: boolean }
  | { t: "int"; v: bigint; as: IntWidth }
  | { t: "float"; v: number; as: "f32" | "f64" }
  /** `lie` is added to the declared length (the bytes stay what they are). */
  | { t: "str"; v: string; as: "fix" | "8" | "16" | "32"; lie: number }
  | { t: "bin"; v: Uint8Array; as: "8" | "16" | "32"; lie: number }
  | { t: "arr"; items: Msg[]; lie: number }
  | { t: "map"; entries: [Msg, Msg][]; lie: number }
  | { t: "ext"; type: number; data: Uint8Array }
  | { t: "raw"; bytes: Uint8Array }
  /** `depth` times the one-element container `open` (0x91 fixarray, 0x81 fixmap with a nil key...), then nil. */
  | { t: "nest"; depth: number; open: "array" | "map" };

/** A growable byte buffer. */
export class Bytes {
  private buf = new Uint8Array(256);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(...values: number[]): this {
    this.ensure(values.length);
    for (const v of values) this.buf[this.length++] = v & 0xff;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.ensure(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** Unsigned big-endian integer of `n` bytes (wrapping). */
  be(value: bigint | number, n: number): this {
    let v = BigInt.asUintN(n * 8, BigInt(value));
    const out = new Array<number>(n);
    for (let i = n - 1; i >= 0; i--) {
      out[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    return this.u8(...out);
  }

  /** Unsigned little-endian integer of `n` bytes (wrapping). */
  le(value: bigint | number, n: number): this {
    let v = BigInt.asUintN(n * 8, BigInt(value));
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      out[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    return this.u8(...out);
  }

  float(value: number, as: "f32" | "f64", littleEndian: boolean): this {
    const view = new DataView(new ArrayBuffer(8));
    if (as === "f32") view.setFloat32(0, value, littleEndian);
    else view.setFloat64(0, value, littleEndian);
    return this.bytes(new Uint8Array(view.buffer, 0, as === "f32" ? 4 : 8));
  }

  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

const utf8 = new TextEncoder();

/** Declared length, never below 0 nor past what the width can say. */
const declared = (real: number, lie: number, max: number) => Math.min(max, Math.max(0, real + lie));

export function writeMsg(out: Bytes, msg: Msg): void {
  switch (msg.t) {
    case "nil":
      out.u8(0xc0);
      return;
    case "bool":
      out.u8(msg.v ? 0xc3 : 0xc2);
      return;
    case "int": {
      const v = msg.v;
      switch (msg.as) {
        case "fix":
          // Positive fixint 0..127 or negative fixint -32..-1; other values wrap into those bytes.
          out.u8(v < 0n ? 0xe0 | Number(BigInt.asUintN(5, v)) : Number(BigInt.asUintN(7, v)));
          return;
        case "u8":
          out.u8(0xcc).be(v, 1);
          return;
        case "u16":
          out.u8(0xcd).be(v, 2);
          return;
        case "u32":
          out.u8(0xce).be(v, 4);
          return;
        case "u64":
          out.u8(0xcf).be(v, 8);
          return;
        case "i8":
          out.u8(0xd0).be(v, 1);
          return;
        case "i16":
          out.u8(0xd1).be(v, 2);
          return;
        case "i32":
          out.u8(0xd2).be(v, 4);
          return;
        case "i64":
          out.u8(0xd3).be(v, 8);
          return;
      }
      return;
    }
    case "float":
      out.u8(msg.as === "f32" ? 0xca : 0xcb).float(msg.v, msg.as, false);
      return;
    case "str": {
      const data = utf8.encode(msg.v);
      if (msg.as === "fix") out.u8(0xa0 | declared(data.length, msg.lie, 31));
      else if (msg.as === "8") out.u8(0xd9).be(declared(data.length, msg.lie, 0xff), 1);
      else if (msg.as === "16") out.u8(0xda).be(declared(data.length, msg.lie, 0xffff), 2);
      else out.u8(0xdb).be(declared(data.length, msg.lie, 0xffff_ffff), 4);
      out.bytes(data);
      return;
    }
    case "bin":
      if (msg.as === "8") out.u8(0xc4).be(declared(msg.v.length, msg.lie, 0xff), 1);
      else if (msg.as === "16") out.u8(0xc5).be(declared(msg.v.length, msg.lie, 0xffff), 2);
      else out.u8(0xc6).be(declared(msg.v.length, msg.lie, 0xffff_ffff), 4);
      out.bytes(msg.v);
      return;
    case "arr": {
      const n = declared(msg.items.length, msg.lie, 0xffff_ffff);
      if (n < 16) out.u8(0x90 | n);
      else if (n <= 0xffff) out.u8(0xdc).be(n, 2);
      else out.u8(0xdd).be(n, 4);
      for (const item of msg.items) writeMsg(out, item);
      return;
    }
    case "map": {
      const n = declared(msg.entries.length, msg.lie, 0xffff_ffff);
      if (n < 16) out.u8(0x80 | n);
      else if (n <= 0xffff) out.u8(0xde).be(n, 2);
      else out.u8(0xdf).be(n, 4);
      for (const [key, value] of msg.entries) {
        writeMsg(out, key);
        writeMsg(out, value);
      }
      return;
    }
    case "ext": {
      const n = msg.data.length;
      const fixed: Record<number, number> = { 1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8 };
      const prefix = fixed[n];
      if (prefix !== undefined) out.u8(prefix);
      else if (n <= 0xff) out.u8(0xc7).be(n, 1);
      else if (n <= 0xffff) out.u8(0xc8).be(n, 2);
      else out.u8(0xc9).be(n, 4);
      out.u8(msg.type).bytes(msg.data);
      return;
    }
    case "raw":
      out.bytes(msg.bytes);
      return;
    case "nest":
      for (let i = 0; i < msg.depth; i++) {
        if (msg.open === "array") out.u8(0x91);
        else out.u8(0x81, 0xc0);
      }
      out.u8(0xc0);
      return;
  }
}

export function encodeMsg(msg: Msg): Uint8Array {
  const out = new Bytes();
  writeMsg(out, msg);
  return out.done();
}

/** A plain JSON-like value as ordinary MessagePack (smallest widths, as a normal encoder would). */
export function msgOf(value: unknown): Msg {
  if (value === null || value === undefined) return { t: "nil" };
  if (typeof value === "boolean") return { t: "bool", v: value };
  if (typeof value === "bigint") return { t: "int", v: value, as: value < 0n ? "i64" : "u64" };
  if (typeof value === "number") {
    if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) {
      const v = BigInt(value);
      const as: IntWidth =
        value >= 0 ? (value < 128 ? "fix" : value <= 0xff ? "u8" : value <= 0xffff ? "u16" : value <= 0xffff_ffff ? "u32" : "u64")
        : value >= -32 ? "fix" : value >= -128 ? "i8" : value >= -32768 ? "i16" : value >= -(2 ** 31) ? "i32" : "i64";
      return { t: "int", v, as };
    }
    return { t: "float", v: value, as: "f64" };
  }
  if (typeof value === "string") {
    const n = utf8.encode(value).length;
    return { t: "str", v: value, as: n < 32 ? "fix" : n <= 0xff ? "8" : n <= 0xffff ? "16" : "32", lie: 0 };
  }
  if (value instanceof Uint8Array) return { t: "bin", v: value, as: value.length <= 0xff ? "8" : value.length <= 0xffff ? "16" : "32", lie: 0 };
  if (Array.isArray(value)) return { t: "arr", items: value.map(msgOf), lie: 0 };
  if (typeof value === "object") return { t: "map", entries: Object.entries(value).map(([k, v]) => [msgOf(k), msgOf(v)] as [Msg, Msg]), lie: 0 };
  return { t: "nil" };
}

/** How a frame names its message type (see @colyseus/schema's `encode.string` / `encode.number`). */
export type TypeHeader =
  | { t: "str"; v: string; lie: number }
  | { t: "num"; v: number; as: "fix" | "f32" | "f64" | "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" }
  /** A prefix byte that is neither a string nor a number to the schema decoder (or cut short). */
  | { t: "bad"; prefix: number; tail: Uint8Array }
  | { t: "none" };

export function writeType(out: Bytes, type: TypeHeader): void {
  switch (type.t) {
    case "str": {
      const data = utf8.encode(type.v);
      const n = Math.max(0, data.length + type.lie);
      if (n < 32 && data.length < 32) out.u8(0xa0 | n);
      else if (n <= 0xff) out.u8(0xd9, n);
      else if (n <= 0xffff) out.u8(0xda).le(n, 2);
      else out.u8(0xdb).le(n, 4);
      out.bytes(data);
      return;
    }
    case "num": {
      const v = type.v;
      const int = (n: number) => BigInt(Number.isFinite(v) ? Math.trunc(v) : 0) & ((1n << BigInt(n * 8)) - 1n);
      switch (type.as) {
        case "fix":
          out.u8(v < 0 ? 0xe0 | (Math.trunc(v) & 0x1f) : Math.trunc(v) & 0x7f);
          return;
        case "f32":
          out.u8(0xca).float(v, "f32", true);
          return;
        case "f64":
          out.u8(0xcb).float(v, "f64", true);
          return;
        case "u8":
          out.u8(0xcc).le(int(1), 1);
          return;
        case "u16":
          out.u8(0xcd).le(int(2), 2);
          return;
        case "u32":
          out.u8(0xce).le(int(4), 4);
          return;
        case "u64":
          out.u8(0xcf).le(int(8), 8);
          return;
        case "i8":
          out.u8(0xd0).le(int(1), 1);
          return;
        case "i16":
          out.u8(0xd1).le(int(2), 2);
          return;
        case "i32":
          out.u8(0xd2).le(int(4), 4);
          return;
        case "i64":
          out.u8(0xd3).le(int(8), 8);
          return;
      }
      return;
    }
    case "bad":
      out.u8(type.prefix).bytes(type.tail);
      return;
    case "none":
      return;
  }
}
