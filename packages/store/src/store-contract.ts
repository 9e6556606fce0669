import { afterEach, describe, expect, it } from "vitest";
import { PRESET_NAMES, makePrim, presetShape, solidFace, type Prim } from "@tessera/prims";
import { LATEST_VERSION } from "./migrations.ts";
import { MAX_COMPRESSED_BYTES } from "./records.ts";
import { TOMBSTONES_PER_TILE, type EditRecord, type PlacedPrim, type StoredTexture, type TextureTierImage, type WorldStore } from "./world-store.ts";

/** A row of `schema_migrations`, as the engine's test reads it. */
export interface AppliedMigration {
  version: number;
  appliedAt: string;
}

/** What the contract needs to see or do behind a store's back, in the database of the running test. */
export interface StoreHarness {
  /** The rows of `schema_migrations`, by version. */
  migrations(): Promise<AppliedMigration[]>;
  /** Makes the database refuse, from now on, to log an edit with this client edit id, as a full disk would refuse a write. */
  refuseEdit(clientEditId: number): Promise<void>;
}

/** A prim with a bit of everything (shape, rotation, faces) so that a round trip has something to lose. */
export function testPrim(id: number, owner = "", extra: Partial<Prim> = {}): Prim {
  const angle = id / 7;
  return makePrim(id, presetShape(PRESET_NAMES[id % PRESET_NAMES.length]!), { x: id * 0.25, y: 1.125, z: -id }, {
    owner,
    rotation: { x: 0, y: Math.sin(angle), z: 0, w: Math.cos(angle) },
    scale: { x: 0.5, y: 2, z: 1.001 },
    faces: [solidFace(id % 256, 10, 200), { ...solidFace(1, 2, 3, 128), texture: "tex_1", repeats: { u: 2.5, v: -1 }, offset: { u: 0.125, v: 0 }, rotation: 90, fullBright: true }],
    ...extra,
  });
}

const placed = (tile: string, ...prims: Prim[]): PlacedPrim[] => prims.map((prim) => ({ tile, prim }));

let clientEditId = 0;
/** An edit of `player` in `tile`. */
function edit(tile: string, put: PlacedPrim[], deleted: number[] = [], player = "alice"): EditRecord {
  return { player, clientEditId: ++clientEditId, tile, put, deleted };
}

const ids = (prims: readonly Prim[]) => prims.map((prim) => prim.id);

/** A texture of `width` x `height` px whose id is `name` (padded to the relay's 32 characters), and its tiers. */
function texture(name: string, width = 300, height = 200, tiers = [32, 128, 512]): { texture: StoredTexture; tiers: TextureTierImage[] } {
  return {
    texture: { id: name.padEnd(32, "_"), width, height },
    // Bytes that differ by texture and tier, so that a mix-up shows.
    tiers: tiers.map((tier) => ({ tier, bytes: new TextEncoder().encode(`${name}@${tier}:`.repeat(tier)) })),
  };
}

/** A tier as read back: bytes compared as bytes (an engine may hand out a Buffer). */
const asRead = ({ tier, bytes }: TextureTierImage) => ({ tier, bytes: [...bytes] });

/**
 * The behaviour every {@link WorldStore} engine must have. `open` opens the store of the running
 * test: a new, empty one in each test, the same one however often a test calls it (to reopen it, or
 * to have two instances share it, as two relays do).
 */
export function describeStoreContract(name: string, open: () => Promise<WorldStore>, harness: StoreHarness): void {
  describe(`${name} world store`, () => {
    const opened: WorldStore[] = [];
    const openStore = async () => {
      const store = await open();
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      // Some are closed already: closing again is harmless.
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    it("starts empty", async () => {
      const store = await openStore();
      expect(await store.tileContents("tile_0_0")).toEqual({ prims: [], deleted: [] });
      expect(await store.editCount()).toBe(0);
      expect(await store.settingsVersion()).toBe(0);
      expect(await store.tileSettings()).toEqual([]);
      expect(await store.playerSettings()).toEqual([]);
      expect(await store.primCount("alice")).toBe(0);
      expect(await store.allocatePrimIds(1)).toBe(1);
      expect(await store.textureCount()).toBe(0);
      expect(await store.hasTexture("a".repeat(32))).toBe(false);
      expect(await store.textureTier("a".repeat(32), 512)).toBeUndefined();
      expect(await store.textureUsage("alice")).toEqual({ count: 0, bytes: 0 });
      expect(await store.compressedTier("a".repeat(32), 512)).toBeUndefined();
    });

    it("seeds once, by tile, ordered by id, and gives out ids past the seeded ones", async () => {
      const store = await openStore();
      const world = [...placed("tile_0_0", testPrim(3), testPrim(1), testPrim(40, "", { root: 3 })), ...placed("tile_1_-1", testPrim(900))];
      expect(await store.seed(world)).toBe(true);
      expect(await store.tileContents("tile_0_0")).toEqual({ prims: [testPrim(1), testPrim(3), testPrim(40, "", { root: 3 })], deleted: [] });
      expect(await store.tileContents("tile_1_-1")).toEqual({ prims: [testPrim(900)], deleted: [] });
      expect(await store.allocatePrimIds(2)).toBe(901);

      expect(await store.seed(placed("tile_0_0", testPrim(5000)))).toBe(false);
      expect(ids((await store.tileContents("tile_0_0")).prims)).toEqual([1, 3, 40]);
      expect(await store.allocatePrimIds(1)).toBe(903);
    });

    it("loads a big tile whole, in id order, however it reads it", async () => {
      const store = await openStore();
      const many = Array.from({ length: 1234 }, (_, i) => testPrim(i + 1));
      await store.seed([...placed("tile_0_0", ...many.filter((prim) => prim.id % 5 !== 0)), ...placed("tile_1_0", ...many.filter((prim) => prim.id % 5 === 0))]);
      expect(ids((await store.tileContents("tile_0_0")).prims)).toEqual(ids(many.filter((prim) => prim.id % 5 !== 0)));
      expect((await store.tileContents("tile_1_0")).prims).toEqual(many.filter((prim) => prim.id % 5 === 0));
    });

    it("refuses to seed a store that holds prims without a seed", async () => {
      const store = await openStore();
      await store.commit([edit("tile_0_0", placed("tile_0_0", testPrim(7, "alice")))]);
      expect(await store.seed(placed("tile_0_0", testPrim(1)))).toBe(false);
      expect(ids((await store.tileContents("tile_0_0")).prims)).toEqual([7]);
    });

    it("lets exactly one of two stores seeding at once win", async () => {
      const [a, b] = await Promise.all([openStore(), openStore()]);
      const results = await Promise.all([a.seed(placed("tile_0_0", testPrim(1), testPrim(2))), b.seed(placed("tile_0_0", testPrim(1), testPrim(3)))]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(ids((await a.tileContents("tile_0_0")).prims)).toEqual(results[0] ? [1, 2] : [1, 3]);
    });

    it("commits puts, moves between tiles, deletes as tombstones and restores by a put", async () => {
      const store = await openStore();
      await store.seed(placed("tile_0_0", testPrim(1), testPrim(2)));
      const moved = testPrim(2, "", { position: { x: 70, y: 1, z: 3 } });
      await store.commit([
        edit("tile_0_0", placed("tile_0_0", testPrim(10, "alice"), testPrim(11, "alice", { root: 10 }))),
        edit("tile_0_0", [{ tile: "tile_1_0", prim: moved }]),
      ]);
      expect(await store.tileContents("tile_0_0")).toEqual({ prims: [testPrim(1), testPrim(10, "alice"), testPrim(11, "alice", { root: 10 })], deleted: [] });
      expect(await store.tileContents("tile_1_0")).toEqual({ prims: [moved], deleted: [] });

      await store.commit([edit("tile_0_0", [], [10, 11])]);
      await store.commit([edit("tile_0_0", [], [1])]);
      // Most recent first; one edit's deletions by id, descending.
      expect(await store.tileContents("tile_0_0")).toEqual({ prims: [], deleted: [testPrim(1), testPrim(11, "alice", { root: 10 }), testPrim(10, "alice")] });

      const restored = testPrim(11, "alice", { root: 0 });
      await store.commit([edit("tile_0_0", placed("tile_0_0", restored))]);
      expect(await store.tileContents("tile_0_0")).toEqual({ prims: [restored], deleted: [testPrim(1), testPrim(10, "alice")] });
      // Deleting a deleted prim again keeps when it was deleted first.
      await store.commit([edit("tile_0_0", [], [10])]);
      expect(ids((await store.tileContents("tile_0_0")).deleted)).toEqual([1, 10]);
    });

    it(`keeps the ${TOMBSTONES_PER_TILE} most recent tombstones of a tile`, async () => {
      const store = await openStore();
      const count = TOMBSTONES_PER_TILE + 5;
      const prims = Array.from({ length: count }, (_, i) => testPrim(i + 1));
      await store.commit([edit("tile_0_0", placed("tile_0_0", ...prims))]);
      await store.commit([edit("tile_0_0", [], prims.slice(0, 10).map((prim) => prim.id))]);
      await store.commit([edit("tile_0_0", [], prims.slice(10).map((prim) => prim.id))]);
      const { prims: live, deleted } = await store.tileContents("tile_0_0");
      expect(live).toEqual([]);
      expect(deleted).toHaveLength(TOMBSTONES_PER_TILE);
      expect(deleted[0]).toEqual(prims[count - 1]);
      expect(ids(deleted).slice(-5)).toEqual([10, 9, 8, 7, 6]);
    });

    it("gives out ids no one had, in ranges that never overlap, also to two stores at once", async () => {
      const [a, b] = await Promise.all([openStore(), openStore()]);
      await a.seed(placed("tile_0_0", testPrim(100)));
      const counts = Array.from({ length: 60 }, (_, i) => 1 + ((i * 37) % 200));
      const firsts = await Promise.all(counts.map((count, i) => (i % 2 ? a : b).allocatePrimIds(count)));
      const taken = new Set<number>([100]);
      firsts.forEach((first, i) => {
        for (let id = first; id < first + counts[i]!; id++) {
          expect(taken.has(id)).toBe(false);
          taken.add(id);
        }
      });
      expect(Math.min(...firsts)).toBe(101);
      expect(taken.size).toBe(1 + counts.reduce((sum, count) => sum + count, 0));
    });

    it("moves the id counter past a put prim's id", async () => {
      const store = await openStore();
      await store.commit([edit("tile_0_0", placed("tile_0_0", testPrim(500, "alice")))]);
      expect(await store.allocatePrimIds(65_536)).toBe(501);
      expect(await store.allocatePrimIds(1)).toBe(501 + 65_536);
    });

    it("refuses id counts outside 1 to 65536", async () => {
      const store = await openStore();
      for (const count of [0, -1, 1.5, 65_537, Number.NaN]) await expect(store.allocatePrimIds(count)).rejects.toThrow(/1 to 65536/);
      expect(await store.allocatePrimIds(1)).toBe(1);
    });

    it("commits nothing of a group that holds an invalid edit", async () => {
      const store = await openStore();
      await store.seed(placed("tile_0_0", testPrim(1), testPrim(2)));
      const before = await store.tileContents("tile_0_0");
      const group = [
        edit("tile_0_0", placed("tile_0_0", testPrim(3, "alice"), testPrim(7000, "alice"))),
        edit("tile_0_0", [], [1]),
        edit("tile_0_0", placed("tile:0:0", testPrim(4, "alice"))),
      ];
      await expect(store.commit(group)).rejects.toThrow(/edit 3 of 3/);
      expect(await store.tileContents("tile_0_0")).toEqual(before);
      expect(await store.editCount()).toBe(0);
      expect(await store.allocatePrimIds(1)).toBe(3);
    });

    it("commits nothing of a group when the database fails partway", async () => {
      const store = await openStore();
      await store.seed(placed("tile_0_0", testPrim(1), testPrim(2)));
      const before = await store.tileContents("tile_0_0");
      const group = [
        edit("tile_0_0", placed("tile_0_0", testPrim(3, "alice"), testPrim(7000, "alice"))),
        edit("tile_0_0", [], [1]),
        edit("tile_0_0", placed("tile_0_0", testPrim(2, "alice"))),
        edit("tile_1_0", placed("tile_1_0", testPrim(4, "alice"))),
      ];
      await harness.refuseEdit(group[3]!.clientEditId);
      await expect(store.commit(group)).rejects.toThrow();
      expect(await store.tileContents("tile_0_0")).toEqual(before);
      expect(await store.tileContents("tile_1_0")).toEqual({ prims: [], deleted: [] });
      expect(await store.editCount()).toBe(0);
      expect(await store.primCount("alice")).toBe(0);
      expect(await store.allocatePrimIds(1)).toBe(3);

      await store.commit(group.slice(0, 3));
      expect(ids((await store.tileContents("tile_0_0")).prims)).toEqual([2, 3, 7000]);
      expect(await store.editCount()).toBe(3);
    });

    it("applies a group's edits in order", async () => {
      const store = await openStore();
      const first = testPrim(1, "alice");
      const second = testPrim(1, "alice", { physical: true });
      await store.commit([edit("tile_0_0", placed("tile_0_0", first)), edit("tile_0_0", [], [1]), edit("tile_0_0", placed("tile_0_0", second))]);
      expect(await store.tileContents("tile_0_0")).toEqual({ prims: [second], deleted: [] });
      await store.commit([edit("tile_0_0", placed("tile_0_0", first)), edit("tile_0_0", [], [1]), edit("tile_0_0", [], [1])]);
      expect(await store.tileContents("tile_0_0")).toEqual({ prims: [], deleted: [first] });

      await store.commit([edit("tile_0_0", placed("tile_0_0", testPrim(10), testPrim(11), testPrim(12)))]);
      await store.commit([
        edit("tile_0_0", [], [10]),
        edit("tile_0_0", placed("tile_0_0", testPrim(10, "bob"))),
        edit("tile_0_0", placed("tile_0_0", testPrim(11, "bob")), [11]),
        edit("tile_0_0", [], [12, 10]),
        edit("tile_0_0", placed("tile_0_0", testPrim(10, "carol"))),
      ]);
      // Most recent first: 12, then 11, then 1 from the commit before.
      expect(await store.tileContents("tile_0_0")).toEqual({ prims: [testPrim(10, "carol")], deleted: [testPrim(12), testPrim(11, "bob"), first] });
      expect(await store.primCount("bob")).toBe(0);
      expect(await store.primCount("carol")).toBe(1);
    });

    it("refuses a record that names a prim twice or an invalid tile, player or prim", async () => {
      const store = await openStore();
      const bad: EditRecord[] = [
        edit("tile_0_0", placed("tile_0_0", testPrim(1), testPrim(1))),
        edit("tile:0:0", []),
        edit("tile_0_0", placed("nowhere", testPrim(1))),
        edit("tile_0_0", [], [], ""),
        edit("tile_0_0", [], [0]),
        edit("tile_0_0", placed("tile_0_0", { ...testPrim(1), root: 1 })),
      ];
      for (const record of bad) await expect(store.commit([record])).rejects.toThrow(/The store refuses edit 1 of 1/);
      expect(await store.editCount()).toBe(0);
    });

    it("counts the live prims a player owns in the whole world", async () => {
      const store = await openStore();
      await store.seed(placed("tile_0_0", testPrim(1), testPrim(2, "alice")));
      await store.commit([
        edit("tile_0_0", placed("tile_0_0", testPrim(3, "alice"), testPrim(4, "bob"))),
        edit("tile_5_5", placed("tile_5_5", testPrim(5, "alice"))),
      ]);
      expect(await store.primCount("alice")).toBe(3);
      expect(await store.primCount("bob")).toBe(1);
      expect(await store.primCount("")).toBe(1);
      await store.commit([edit("tile_0_0", [], [2]), edit("tile_0_0", placed("tile_0_0", testPrim(4, "alice")))]);
      expect(await store.primCount("alice")).toBe(3);
      expect(await store.primCount("bob")).toBe(0);
      await store.commit([edit("tile_0_0", placed("tile_0_0", testPrim(2, "alice")))]);
      expect(await store.primCount("alice")).toBe(4);
    });

    it("keeps settings, counting every change in the settings version", async () => {
      const store = await openStore();
      const tile = { tile: "tile_1_2", owner: "bob", rights: "list" as const, allow: ["alice", "carol"], primCap: 300 };
      await store.setTileSettings(tile);
      await store.setTileSettings({ tile: "tile_-1_0", owner: "", rights: "open", allow: [], primCap: 0 });
      await store.setPlayerSettings({ playerId: "alice", admin: true, primCap: 10_000 });
      expect(await store.settingsVersion()).toBe(3);
      await store.setTileSettings({ ...tile, rights: "owner", allow: [] });
      await store.setPlayerSettings({ playerId: "bob", admin: false, primCap: 5 });
      expect(await store.settingsVersion()).toBe(5);
      expect(await store.tileSettings()).toEqual([
        { tile: "tile_-1_0", owner: "", rights: "open", allow: [], primCap: 0 },
        { ...tile, rights: "owner", allow: [] },
      ]);
      expect(await store.playerSettings()).toEqual([
        { playerId: "alice", admin: true, primCap: 10_000 },
        { playerId: "bob", admin: false, primCap: 5 },
      ]);
    });

    it("refuses invalid settings and leaves the version alone", async () => {
      const store = await openStore();
      await expect(store.setTileSettings({ tile: "tile_0_0", owner: "", rights: "nobody" as "open", allow: [], primCap: 1 })).rejects.toThrow(/tile settings/);
      await expect(store.setTileSettings({ tile: "tile_0_0", owner: "", rights: "open", allow: [], primCap: -1 })).rejects.toThrow(/tile settings/);
      await expect(store.setPlayerSettings({ playerId: "", admin: false, primCap: 1 })).rejects.toThrow(/player settings/);
      expect(await store.settingsVersion()).toBe(0);
      expect(await store.tileSettings()).toEqual([]);
    });

    it("counts committed edits", async () => {
      const store = await openStore();
      await store.commit([]);
      await store.commit([edit("tile_0_0", placed("tile_0_0", testPrim(1, "alice"))), edit("tile_0_0", [])]);
      await store.commit([edit("tile_0_0", [], [1])]);
      expect(await store.editCount()).toBe(3);
    });

    it("stores a texture once, however often and by whomever it is put, and counts each player's uploads", async () => {
      const store = await openStore();
      const brick = texture("brick");
      expect(await store.putTexture(brick.texture, brick.tiers, { player: "alice", bytes: 5000 })).toBe(true);
      expect(await store.hasTexture(brick.texture.id)).toBe(true);
      // The same content again, from Bob and from Alice: upload rows, no second copy, tiers untouched.
      const other = texture("brick", 300, 200, [32]);
      other.tiers[0]!.bytes = new Uint8Array([1, 2, 3]);
      expect(await store.putTexture(brick.texture, other.tiers, { player: "bob", bytes: 7000 })).toBe(false);
      expect(await store.putTexture(brick.texture, brick.tiers, { player: "alice", bytes: 9000 })).toBe(false);
      expect(await store.textureCount()).toBe(1);
      expect(asRead((await store.textureTier(brick.texture.id, 32))!)).toEqual(asRead(brick.tiers[0]!));
      expect(await store.textureUsage("alice")).toEqual({ count: 1, bytes: 5000 });
      expect(await store.textureUsage("bob")).toEqual({ count: 1, bytes: 7000 });

      // A library texture: stored without an upload.
      const stone = texture("stone", 1024, 1024, [32, 128, 512, 1024]);
      expect(await store.putTexture(stone.texture, stone.tiers)).toBe(true);
      expect(await store.putTexture(stone.texture, stone.tiers, { player: "alice", bytes: 100 })).toBe(false);
      expect(await store.textureCount()).toBe(2);
      expect(await store.textureUsage("alice")).toEqual({ count: 2, bytes: 5100 });
    });

    it("answers the largest stored tier up to the one asked for, else the smallest", async () => {
      const store = await openStore();
      const { texture: small, tiers } = texture("small", 100, 40, [32, 128]);
      await store.putTexture(small, tiers);
      const servedFor = async (tier: number) => (await store.textureTier(small.id, tier))?.tier;
      expect(await servedFor(1024)).toBe(128);
      expect(await servedFor(512)).toBe(128);
      expect(await servedFor(128)).toBe(128);
      expect(await servedFor(127)).toBe(32);
      expect(await servedFor(32)).toBe(32);
      expect(await servedFor(8)).toBe(32);
      expect(asRead((await store.textureTier(small.id, 1024))!)).toEqual(asRead(tiers[1]!));
      expect(await store.textureTier("unknown".padEnd(32, "_"), 1024)).toBeUndefined();
    });

    it("refuses an invalid texture, tier or upload and writes nothing", async () => {
      const store = await openStore();
      const { texture: good, tiers } = texture("good");
      const bad: [StoredTexture, TextureTierImage[], { player: string; bytes: number }?][] = [
        [{ ...good, id: "not/an/id" }, tiers],
        [{ ...good, width: 0 }, tiers],
        [{ ...good, height: 1.5 }, tiers],
        [good, []],
        [good, [...tiers, tiers[0]!]],
        [good, [{ tier: 32, bytes: new Uint8Array() }]],
        [good, [{ tier: -32, bytes: new Uint8Array([1]) }]],
        [good, tiers, { player: "", bytes: 10 }],
        [good, tiers, { player: "alice", bytes: -1 }],
      ];
      for (const [entry, images, upload] of bad) await expect(store.putTexture(entry, images, upload)).rejects.toThrow(/The store refuses the (texture|texture's tiers|upload)/);
      expect(await store.textureCount()).toBe(0);
      expect(await store.textureUsage("alice")).toEqual({ count: 0, bytes: 0 });
    });

    it("lets exactly one of two stores putting the same texture at once store it", async () => {
      const [a, b] = await Promise.all([openStore(), openStore()]);
      const { texture: same, tiers } = texture("same");
      const results = await Promise.all([a.putTexture(same, tiers, { player: "alice", bytes: 10 }), b.putTexture(same, tiers, { player: "bob", bytes: 20 })]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await a.textureCount()).toBe(1);
      expect(await b.textureUsage("bob")).toEqual({ count: 1, bytes: 20 });
    });

    it("stores a compressed tier of a stored texture once, and reads it back by its exact tier", async () => {
      const [a, b] = await Promise.all([openStore(), openStore()]);
      const stone = texture("stone", 1024, 1024, [32, 128, 512, 1024]);
      await a.putTexture(stone.texture, stone.tiers);
      const { id } = stone.texture;
      expect(await a.compressedTier(id, 512)).toBeUndefined();
      const form = new TextEncoder().encode("KTX2 of stone at 512");
      await a.putCompressedTier(id, 512, form);
      expect([...(await b.compressedTier(id, 512))!]).toEqual([...form]);
      // A second put of the same tier (another relay made it too) keeps the first.
      await b.putCompressedTier(id, 512, new Uint8Array([1, 2, 3]));
      expect([...(await a.compressedTier(id, 512))!]).toEqual([...form]);
      // Exact tiers only: no other tier stands in for one not made.
      expect(await a.compressedTier(id, 1024)).toBeUndefined();
      expect(await a.compressedTier(id, 128)).toBeUndefined();
      // Two stores putting one tier at once: both succeed, one copy is kept.
      const [x, y] = [new Uint8Array([7, 7]), new Uint8Array([8, 8])];
      await Promise.all([a.putCompressedTier(id, 1024, x), b.putCompressedTier(id, 1024, y)]);
      expect([[7, 7], [8, 8]]).toContainEqual([...(await a.compressedTier(id, 1024))!]);
    });

    it("refuses an invalid compressed tier, or one of a texture not stored, and writes nothing", async () => {
      const store = await openStore();
      const stone = texture("stone", 1024, 1024, [32, 128, 512, 1024]);
      await store.putTexture(stone.texture, stone.tiers);
      const { id } = stone.texture;
      const bytes = new Uint8Array([1, 2, 3]);
      const bad: [string, number, Uint8Array][] = [
        ["not/an/id", 512, bytes],
        [id, 128, bytes],
        [id, 600, bytes],
        [id, 512, new Uint8Array()],
        [id, 512, new Uint8Array(MAX_COMPRESSED_BYTES + 1)],
        ["unknown".padEnd(32, "_"), 512, bytes],
      ];
      for (const [badId, tier, form] of bad) await expect(store.putCompressedTier(badId, tier, form)).rejects.toThrow(/The store refuses the compressed tier/);
      expect(await store.compressedTier(id, 512)).toBeUndefined();
      expect(await store.compressedTier("unknown".padEnd(32, "_"), 512)).toBeUndefined();
      await store.putCompressedTier(id, 512, new Uint8Array(MAX_COMPRESSED_BYTES));
      expect((await store.compressedTier(id, 512))?.length).toBe(MAX_COMPRESSED_BYTES);
    });

    it("keeps textures when closed and opened again", async () => {
      const store = await openStore();
      const { texture: kept, tiers } = texture("kept");
      await store.putTexture(kept, tiers, { player: "alice", bytes: 42 });
      await store.putCompressedTier(kept.id, 512, new Uint8Array([4, 2]));
      await store.close();
      const again = await openStore();
      expect(await again.hasTexture(kept.id)).toBe(true);
      expect(asRead((await again.textureTier(kept.id, 512))!)).toEqual(asRead(tiers[2]!));
      expect([...(await again.compressedTier(kept.id, 512))!]).toEqual([4, 2]);
      expect(await again.textureUsage("alice")).toEqual({ count: 1, bytes: 42 });
    });

    it("keeps everything when closed and opened again, without migrating again", async () => {
      const store = await openStore();
      await store.seed(placed("tile_0_0", testPrim(1), testPrim(2)));
      await store.commit([edit("tile_0_0", placed("tile_0_0", testPrim(3, "alice")), [2])]);
      await store.setPlayerSettings({ playerId: "alice", admin: false, primCap: 7 });
      const first = await store.allocatePrimIds(5);
      const applied = await harness.migrations();
      expect(applied.map((row) => row.version)).toEqual(Array.from({ length: LATEST_VERSION }, (_, i) => i + 1));
      await store.close();

      const again = await openStore();
      expect(await again.tileContents("tile_0_0")).toEqual({ prims: [testPrim(1), testPrim(3, "alice")], deleted: [testPrim(2)] });
      expect(await again.editCount()).toBe(1);
      expect(await again.primCount("alice")).toBe(1);
      expect(await again.playerSettings()).toEqual([{ playerId: "alice", admin: false, primCap: 7 }]);
      expect(await again.settingsVersion()).toBe(1);
      expect(await again.allocatePrimIds(1)).toBe(first + 5);
      expect(await again.seed(placed("tile_0_0", testPrim(9)))).toBe(false);
      expect(await harness.migrations()).toEqual(applied);
    });
  });
}
