import { PrimDecodeError } from "./errors.ts";

/**
 * Byte and bit streams for the prim codec. Varints are unsigned LEB128 of at most 32 bits (5 bytes);
 * signed numbers go through zigzag (0, -1, 1, -2, ... -> 0, 1, 2, 3, ...) so small magnitudes stay short.
 * Writers trust their callers to pass values that fit; readers check every byte they touch.
 */

const zigzag = (n: number) => ((n << 1) ^ (n >> 31)) >>> 0;
const unzigzag = (u: number) => (u >>> 1) ^ -(u & 1);

export class ByteWriter {
  private buffer: Uint8Array;
  length = 0;

  constructor(capacity = 256) {
    this.buffer = new Uint8Array(capacity);
  }

  private reserve(count: number): void {
    if (this.length + count <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + count));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  u8(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  /** An unsigned value below 2^32. */
  varint(value: number): void {
    this.reserve(5);
    while (value >= 0x80) {
      this.buffer[this.length++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    this.buffer[this.length++] = value;
  }

  /** A signed 32-bit value. */
  zigzag(value: number): void {
    this.varint(zigzag(value));
  }

  bytes(source: Uint8Array): void {
    this.reserve(source.length);
    this.buffer.set(source, this.length);
    this.length += source.length;
  }

  /** A copy of what was written. */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

export class ByteReader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}

  get atEnd(): boolean {
    return this.offset === this.bytes.length;
  }

  /** Offset of the next `count` bytes, which the caller reads straight from {@link bytes}. */
  take(count: number, what: string): number {
    if (this.offset + count > this.bytes.length) throw new PrimDecodeError(`prim batch truncated in ${what}`);
    const start = this.offset;
    this.offset += count;
    return start;
  }

  u8(what: string): number {
    return this.bytes[this.take(1, what)]!;
  }

  /** An unsigned value below 2^32 in its shortest encoding. */
  varint(what: string): number {
    let value = 0;
    // Multiplying rather than shifting keeps bit 31 from turning the value negative.
    for (let weight = 1; weight < 2 ** 35; weight *= 0x80) {
      const byte = this.u8(what);
      value += (byte & 0x7f) * weight;
      if (byte < 0x80) {
        if (byte === 0 && weight > 1) throw new PrimDecodeError(`${what}: varint is not in its shortest form`);
        if (value > 0xffff_ffff) throw new PrimDecodeError(`${what}: varint exceeds 32 bits`);
        return value;
      }
    }
    throw new PrimDecodeError(`${what}: varint longer than 5 bytes`);
  }

  /** A signed 32-bit value. */
  zigzag(what: string): number {
    return unzigzag(this.varint(what));
  }
}

/** Packs fields of up to 24 bits, least significant bit first, into a {@link ByteWriter}. */
export class BitWriter {
  private pending = 0;
  private bits = 0;
  constructor(private readonly out: ByteWriter) {}

  write(value: number, width: number): void {
    this.pending |= value << this.bits;
    this.bits += width;
    for (; this.bits >= 8; this.bits -= 8, this.pending >>>= 8) this.out.u8(this.pending & 0xff);
  }

  /** Pads the last byte with zero bits. */
  end(): void {
    if (this.bits > 0) this.out.u8(this.pending);
    this.pending = this.bits = 0;
  }
}

/** Reads {@link BitWriter}'s fields back, pulling bytes from a {@link ByteReader} as it needs them. */
export class BitReader {
  private pending = 0;
  private bits = 0;
  constructor(
    private readonly input: ByteReader,
    private readonly what: string,
  ) {}

  read(width: number): number {
    for (; this.bits < width; this.bits += 8) this.pending |= this.input.u8(this.what) << this.bits;
    const value = this.pending & ((1 << width) - 1);
    this.pending >>>= width;
    this.bits -= width;
    return value;
  }

  /** Checks that the last byte's padding is zero, as {@link BitWriter.end} writes it. */
  end(): void {
    if (this.pending !== 0) throw new PrimDecodeError(`${this.what}: padding bits are not zero`);
    this.bits = 0;
  }
}
