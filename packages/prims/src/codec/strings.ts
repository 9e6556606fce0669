import { ID_TEXT } from "../prim.ts";
import type { ByteReader, ByteWriter } from "./bytes.ts";
import { PrimDecodeError } from "./errors.ts";

/** Most strings in one table of a batch. */
const MAX_TABLE_STRINGS = 4096;

// Player and texture ids are URL-safe base64 (ID_TEXT), so their UTF-8 is one byte a character.

/** The distinct strings of a batch, numbered in order of first use, for the encoder. */
export class StringTable {
  private readonly indexes = new Map<string, number>();

  constructor(
    private readonly maxLength: number,
    private readonly what: string,
  ) {}

  add(value: string): void {
    if (this.indexes.has(value)) return;
    if (value.length > this.maxLength || !ID_TEXT.test(value)) {
      throw new RangeError(`${this.what} "${value}" is not an id of at most ${this.maxLength} letters, digits, '_' and '-'`);
    }
    if (this.indexes.size === MAX_TABLE_STRINGS) throw new RangeError(`a batch holds at most ${MAX_TABLE_STRINGS} distinct ${this.what}s`);
    this.indexes.set(value, this.indexes.size);
  }

  /** Index of a string {@link add}ed before. */
  indexOf(value: string): number {
    return this.indexes.get(value)!;
  }

  /** varint count, then each string as varint byte length + bytes. */
  write(out: ByteWriter): void {
    out.varint(this.indexes.size);
    for (const value of this.indexes.keys()) {
      out.varint(value.length);
      for (let i = 0; i < value.length; i++) out.u8(value.charCodeAt(i));
    }
  }
}

/** Reads a table {@link StringTable.write} wrote. */
export function readStrings(input: ByteReader, maxLength: number, what: string): string[] {
  const count = input.varint(`${what} count`);
  if (count > MAX_TABLE_STRINGS) throw new PrimDecodeError(`${count} ${what}s exceed the ${MAX_TABLE_STRINGS} a batch may hold`);
  const strings: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = input.varint(what);
    if (length > maxLength) throw new PrimDecodeError(`${what} of ${length} bytes exceeds ${maxLength}`);
    const start = input.take(length, what);
    const value = String.fromCharCode(...input.bytes.subarray(start, start + length));
    if (!ID_TEXT.test(value)) throw new PrimDecodeError(`${what} holds characters other than letters, digits, '_' and '-'`);
    strings.push(value);
  }
  return strings;
}

/** The string a varint index names in a table read by {@link readStrings}. */
export function readIndexed(input: ByteReader, table: readonly string[], what: string): string {
  const index = input.varint(`${what} index`);
  if (index >= table.length) throw new PrimDecodeError(`${what} index ${index} is past the table's ${table.length} entries`);
  return table[index]!;
}
