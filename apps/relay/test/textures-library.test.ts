import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LIBRARY, TEXTURE_TIERS, libraryPixels } from "@tessera/textures";
import type * as Textures from "@tessera/textures";
import { openSqliteStore, type WorldStore } from "@tessera/store";
import { LibraryTextures } from "../src/textures/library-textures.ts";
import { TierSource } from "../src/textures/tier-source.ts";
import { recordingLogger } from "./harness.ts";

/**
 * A library of its own, drawn here, so that these tests hold whatever the real library's generators
 * do: "checks" (whose id is right) and "stale" (whose id is not its pixels' hash).
 */
vi.mock("@tessera/textures", async (importOriginal) => {
  const actual = await importOriginal<typeof Textures>();
  const libraryPixels = (name: string, size = actual.LIBRARY_SIZE) => {
    const rgba = new Uint8Array(size * size * 4);
    for (let i = 0; i < size * size; i++) rgba.set([((i >> 6) + name.length * 40) % 256, i % 256, 128, 255], i * 4);
    return rgba;
  };
  const id = await actual.textureId(actual.LIBRARY_SIZE, actual.LIBRARY_SIZE, libraryPixels("checks"));
  const LIBRARY = [
    { name: "checks", label: "Checks", id },
    { name: "stale", label: "Stale", id: "S".repeat(32) },
  ];
  return { ...actual, LIBRARY, libraryPixels };
});

/** The mocked library's painter: a worker thread would load the real library. */
const paint = (name: string) => Promise.resolve(libraryPixels(name));

let dir: string;
let store: WorldStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tessera-library-"));
  store = await openSqliteStore(join(dir, "world.sqlite"));
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe("library textures", () => {
  it("are made and stored on their first request, once however many ask at once", async () => {
    const { log, lines } = recordingLogger();
    const library = new LibraryTextures(store, log, paint);
    const putTexture = vi.spyOn(store, "putTexture");
    const [checks] = LIBRARY;
    expect(await Promise.all([library.provide(checks!.id), library.provide(checks!.id), library.provide(checks!.id)])).toEqual([true, true, true]);
    expect(putTexture).toHaveBeenCalledTimes(1);
    for (const tier of TEXTURE_TIERS) expect((await store.textureTier(checks!.id, tier))?.tier).toBe(tier);
    // Stored now: asked again, it is not made again.
    expect(await library.provide(checks!.id)).toBe(true);
    expect(putTexture).toHaveBeenCalledTimes(1);
    expect(lines.filter((line) => line.includes("made library texture checks"))).toHaveLength(1);
  });

  it("are not stored under an id their pixels do not hash to, and say so", async () => {
    const { log, lines } = recordingLogger();
    const library = new LibraryTextures(store, log, paint);
    expect(await library.provide(LIBRARY[1]!.id)).toBe(false);
    expect(await store.textureCount()).toBe(0);
    expect(lines.some((line) => /library texture stale: its pixels hash to .* The LIBRARY table is stale/.test(line))).toBe(true);
  });

  it("are none but the library's", async () => {
    const library = new LibraryTextures(store, recordingLogger().log, paint);
    expect(await library.provide("N".repeat(32))).toBe(false);
  });
});

describe("a tier source", () => {
  it("reads a tier from the store once, then from memory", async () => {
    const source = new TierSource(store, new LibraryTextures(store, recordingLogger().log, paint));
    const id = LIBRARY[0]!.id;
    const first = await source.read(id, 512);
    const textureTier = vi.spyOn(store, "textureTier");
    expect(await source.read(id, 512)).toBe(first);
    expect(textureTier).not.toHaveBeenCalled();
    expect(await source.read("N".repeat(32), 512)).toBeUndefined();
    expect(textureTier).toHaveBeenCalledTimes(1);
  });
});
