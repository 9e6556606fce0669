import { describe, expect, it } from "vitest";
import { PrimDecodeError } from "@tessera/prims";
import { PrimStream, decodePrimStream, encodePrimRemoval } from "./prim-stream.ts";

describe("prim removal messages", () => {
  it("round-trip the ids of the prims that left a tile", () => {
    expect(decodePrimStream(encodePrimRemoval([1, 70_000, 0xffff_ffff]))).toEqual({ kind: PrimStream.Removed, ids: [1, 70_000, 0xffff_ffff] });
    expect(decodePrimStream(encodePrimRemoval([]))).toEqual({ kind: PrimStream.Removed, ids: [] });
    expect(decodePrimStream(encodePrimRemoval([5, 6], PrimStream.Deleted))).toEqual({ kind: PrimStream.Deleted, ids: [5, 6] });
  });

  it("refuse a count that does not match the bytes", () => {
    const bytes = encodePrimRemoval([1, 2]);
    expect(() => decodePrimStream(bytes.subarray(0, bytes.length - 1))).toThrow(PrimDecodeError);
    expect(() => decodePrimStream(Uint8Array.of(PrimStream.Removed, 1))).toThrow(PrimDecodeError);
    const extra = new Uint8Array(bytes.length + 4);
    extra.set(bytes);
    expect(() => decodePrimStream(extra)).toThrow(PrimDecodeError);
  });
});
