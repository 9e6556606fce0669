/**
 * Terse binary wire codec for batches of prims. All multi-byte numbers are varints (unsigned LEB128,
 * at most 5 bytes, at most 2^32 - 1, shortest form) or zigzag varints (signed 32-bit); every record
 * is byte-aligned. Lengths are whole millimetres, decoded as mm / 1000 so they equal normalizePrim's
 * numbers exactly.
 *
 * Batch:
 *   u8      format (= 1)
 *   zigzag  origin x, zigzag origin z: whole metres, within +-MAX_COORDINATE
 *   owners:      varint count (<= 4096), then each: varint byte length (<= 32) + bytes [A-Za-z0-9_-]
 *   texture ids: varint count (<= 4096), then each: varint byte length (<= 64) + bytes [A-Za-z0-9_-]
 *   varint  prim count (<= 65535)
 *   count x prim record, and nothing after the last.
 *
 * Prim record (prim-codec.ts):
 *   u8      flags: 1 physical, 2 rotated, 4 linked, 8 custom shape, 16 several face styles; 0xe0 reserved (0)
 *   zigzag  id - previous prim's id, mod 2^32 (the first prim counts from 0); ids are 1 to 2^32 - 1
 *   varint  owner index
 *   [zigzag root - id, mod 2^32]          linked only; never 0 or the prim's own id
 *   zigzag  x - origin x * 1000, zigzag y, zigzag z - origin z * 1000: millimetres, within +-1e9
 *           (a linked prim's position is relative to its root already: no origin is subtracted)
 *   [6 bytes packRotation]                rotated only; the rotation must be one quantizeRotation gives
 *   varint  scale x, y, z: millimetres, 10 to 64000
 *   shape:  u8 preset index (PRESET_NAMES) if not custom; else a bit block, LSB first, zero-padded:
 *           4 bits preset index, 17 bits presence mask (bit 0 curves, bit 1 + i SHAPE_NUMBERS[i]),
 *           [2 bits profile, 2 bits hole, 1 bit path], then each present number as its steps
 *           (shapeStep) above its minimum in the fewest bits that hold its range: 10 or 11 bits, 9
 *           for revolutions. The preset is the one whose differences take the fewest bits (ties: the
 *           first); the decoded shape must be its own normalizeShape.
 *   [u8     face style count, 2 to 9]     several face styles only
 *   face styles (face-codec.ts):
 *     u8    flags: 1 texture, 2 alpha, 4 repeats, 8 offset, 16 rotation, 32 full bright; 0xc0 reserved (0)
 *     u8    r, g, b
 *     [u8 alpha]  [varint texture index]  [zigzag repeats u, v: hundredths, within +-100]
 *     [zigzag offset u, v: thousandths, within +-1]  [zigzag rotation: tenths of a degree, -179.9 to 180]
 *     Absent fields are alpha 255, texture "", repeats (1, 1), offset (0, 0), rotation 0.
 *
 * A plain prim (box, rotated, one untextured face, next id) in a 64 m tile around the origin takes
 * 26 to 32 bytes, 6 fewer unrotated. encodePrims refuses (RangeError) what it cannot send exactly:
 * prims out of range or not normalised.
 */
export { PrimDecodeError } from "./errors.ts";
export { decodePrims, encodePrims, primRecordByteLength } from "./batch.ts";
