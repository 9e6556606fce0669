import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePrim, presetShape, type Prim } from "@tessera/prims";
import { EditRefusalCode, Keys } from "@tessera/protocol";
import { EditError, WorldClient } from "@tessera/sdk";
import { DEFAULT_PLAYER_SETTINGS, DEFAULT_TILE_SETTINGS, openWorldStore, type WorldStore } from "@tessera/store";
import type { Relay } from "../src/relay.ts";
import { RIGHTS_POLL_MS } from "../src/world/world-rights.ts";
import { startTestRelay, waitFor, walk } from "./harness.ts";

/** A world prim (owner "") in the spawn tile, tile_2_2. */
const WORLD_PRIM = makePrim(1, presetShape("box"), { x: 140, y: 0.5, z: 140 });
const SPAWN_TILE = "tile_2_2";

let relay: Relay;
let dataDir: string;
/** The relay's own store, opened beside it (SQLite in WAL mode takes both), as the admin command does. */
let store: WorldStore;
let ada: WorldClient;
let bob: WorldClient;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "tessera-edits-"));
  relay = await startTestRelay({ dataDir }, [WORLD_PRIM]);
  store = await openWorldStore({ dataDir });
  ada = await WorldClient.connect({ endpoint: relay.url, name: "Ada", viewRadius: 8, predict: false });
  bob = await WorldClient.connect({ endpoint: relay.url, name: "Bob", viewRadius: 8, predict: false });
  await waitFor("both loaded", () => ada.loaded && bob.loaded);
});
afterAll(async () => {
  await Promise.all([ada?.leave(), bob?.leave()]);
  await relay?.stop();
  await store?.close();
});

const create = (x: number, z: number, extra: Record<string, unknown> = {}) => ({ op: "create", prim: { position: { x, y: 1, z }, shape: presetShape("box"), ...extra } });
const refusal = (promise: Promise<unknown>) => promise.then(() => "applied", (error: unknown) => (error instanceof EditError ? error.code : `threw ${String(error)}`));

/** Waits until the operators' change of rights has reached the relay. */
const rightsPicked = () => new Promise((resolve) => setTimeout(resolve, RIGHTS_POLL_MS + 500));

describe("prim edits through the SDK", () => {
  it("makes prims owned by their maker, seen at once by a player nearby, and saved", async () => {
    const { created } = await ada.edit([create(135, 135), create(136, 135, { scale: { x: 2, y: 0.5, z: 2 } })]);
    expect(created).toHaveLength(2);
    // Shown to its maker as soon as it is acknowledged.
    for (const id of created) expect(ada.prims.get(id)).toMatchObject({ id, owner: ada.playerId });
    await waitFor("Bob to see both", () => created.every((id) => bob.prims.get(id)?.owner === ada.playerId), 1000);
    expect(bob.prims.get(created[1]!)!.scale).toEqual({ x: 2, y: 0.5, z: 2 });
    const saved = await store.tileContents(SPAWN_TILE);
    expect(saved.prims.filter((prim) => created.includes(prim.id))).toEqual(created.map((id) => ada.prims.get(id)));
  });

  it("refuses another player's change, delete, link and unlink of a prim, and nothing changes anywhere", async () => {
    const [mine] = (await ada.edit([create(138, 135)])).created;
    const [theirs] = (await bob.edit([create(139, 135)])).created;
    await waitFor("both see both", () => ada.prims.get(theirs!) && bob.prims.get(mine!));
    const before = ada.prims.get(mine!);
    for (const ops of [
      [{ op: "change", id: mine, to: { physical: true } }],
      [{ op: "delete", ids: [mine] }],
      [{ op: "link", root: theirs, children: [mine] }],
      [{ op: "unlink", ids: [mine] }],
      [{ op: "change", id: WORLD_PRIM.id, to: { physical: true } }],
    ]) {
      expect(await refusal(bob.edit(ops))).toBe(EditRefusalCode.NotOwner);
    }
    // The refused edit was shown to Bob at once, then taken back.
    expect(bob.prims.get(mine!)).toEqual(before);
    expect(bob.editStats()).toMatchObject({ pending: 0, lastRefusal: { code: EditRefusalCode.NotOwner } });
    expect(ada.prims.get(mine!)).toEqual(before);
    expect((await store.tileContents(SPAWN_TILE)).prims.find((prim) => prim.id === mine)).toEqual(before);
  });

  it("links and unlinks the owner's prims, deletes them for everyone at once", async () => {
    const { created } = await ada.edit([create(141, 136), create(142, 136), create(143, 136)]);
    const [root, ...children] = created as [number, number, number];
    await ada.edit([{ op: "link", root, children }]);
    await waitFor("Bob to see the linkset", () => children.every((id) => bob.prims.get(id)?.root === root));
    expect(bob.prims.get(children[0])!.position).toEqual({ x: 1, y: 0, z: 0 });
    await ada.edit([{ op: "delete", ids: [root] }]);
    await waitFor("Bob to see it go", () => created.every((id) => !bob.prims.get(id)), 1000);
    expect((await store.tileContents(SPAWN_TILE)).deleted.map((prim) => prim.id)).toEqual(expect.arrayContaining(created));
  });

  it("undoes and redoes the player's own steps, a drag as one, and brings a deleted prim back under its id", async () => {
    const [id] = (await ada.edit([create(145, 140)])).created as [number];
    const start = ada.prims.get(id)!;
    // A drag: three moves under one key are one step.
    for (const x of [146, 147, 148]) await ada.edit([{ op: "change", id, to: { position: { x, y: 1, z: 140 } } }], { squash: "drag-1" });
    await ada.edit([{ op: "delete", ids: [id] }]);
    const depth = ada.editStats().undoDepth;

    expect(await ada.undo()).toBe(true);
    await waitFor("Bob to see it back", () => bob.prims.get(id)?.position.x === 148);
    expect(await ada.undo()).toBe(true);
    expect(ada.prims.get(id)!.position).toEqual(start.position);
    await waitFor("Bob to see it at the start", () => bob.prims.get(id)?.position.x === 145);
    expect(ada.editStats()).toMatchObject({ undoDepth: depth - 2, redoDepth: 2 });

    expect(await ada.redo()).toBe(true);
    expect(ada.prims.get(id)!.position.x).toBe(148);
    expect(await ada.redo()).toBe(true);
    await waitFor("Bob to see it gone again", () => !bob.prims.get(id));
    expect(ada.editStats().redoDepth).toBe(0);
  });

  it("edits prims of two tiles, more than one edit holds, as one undo step; a linkset made by two edits comes back whole", async () => {
    // 70 prims: 35 in tile_1_2 (x < 128), 35 in tile_2_2: three edits, one undo step.
    const drafts = Array.from({ length: 70 }, (_, i) => create(i % 2 === 0 ? 120 + (i % 14) * 0.5 : 130 + (i % 14) * 0.5, 142 + Math.floor(i / 14)));
    const made = await ada.editAll(drafts, { squash: "many" });
    expect(made).toHaveLength(70);
    expect(made.map((id) => ada.prims.get(id)!.position.x < 128)).toEqual(drafts.map((_, i) => i % 2 === 0));
    const root = made[1]!;
    const [child] = await ada.editAll([{ op: "create", prim: { position: { x: 0, y: 1, z: 0 }, shape: presetShape("box"), root } }], { squash: "many" });
    expect(ada.prims.get(child!)!.root).toBe(root);
    await waitFor("Bob to see them all", () => [...made, child!].every((id) => bob.prims.get(id)));
    const depth = ada.editStats().undoDepth;

    await ada.undo();
    await waitFor("all gone for Bob", () => [...made, child!].every((id) => !bob.prims.get(id)));
    expect(ada.editStats().undoDepth).toBe(depth - 1);
    await ada.redo();
    await waitFor("all back for Bob", () => [...made, child!].every((id) => bob.prims.get(id)));
    expect(bob.prims.get(child!)!.root).toBe(root);
    await ada.editAll([{ op: "delete", ids: made }]);
  });

  it("refuses an undo that would overwrite someone's later change, as a conflict", async () => {
    const [id] = (await ada.edit([create(150, 140)])).created as [number];
    await ada.edit([{ op: "change", id, to: { scale: { x: 3, y: 1, z: 1 } } }]);
    // An admin (an operator made Bob one) edits Ada's prim afterwards.
    await store.setPlayerSettings({ playerId: bob.playerId, ...DEFAULT_PLAYER_SETTINGS, admin: true });
    await rightsPicked();
    await waitFor("Bob to see the prim", () => bob.prims.get(id)?.scale.x === 3);
    await bob.edit([{ op: "change", id, to: { scale: { x: 5, y: 1, z: 1 } } }]);
    await waitFor("Ada to see Bob's change", () => ada.prims.get(id)?.scale.x === 5);
    const depth = ada.editStats().undoDepth;
    expect(await refusal(ada.undo())).toBe(EditRefusalCode.Conflict);
    expect(ada.prims.get(id)!.scale.x).toBe(5);
    // The step that cannot be taken back is dropped; the one before it still can be.
    expect(ada.editStats().undoDepth).toBe(depth - 1);
    await store.setPlayerSettings({ playerId: bob.playerId, ...DEFAULT_PLAYER_SETTINGS });
    await rightsPicked();
  });

  it("ends two players' edits of one prim, crossing on the wire, the same for both and in the store; edits of other prims go undisturbed", async () => {
    const [shared, other] = (await ada.edit([create(152, 145), create(153, 145)])).created as [number, number];
    await store.setPlayerSettings({ playerId: bob.playerId, ...DEFAULT_PLAYER_SETTINGS, admin: true });
    await rightsPicked();
    await waitFor("Bob to see the prims", () => bob.prims.get(shared) && bob.prims.get(other));
    const scale = (x: number) => ({ scale: { x, y: 1, z: 1 } });
    const moves = [];
    for (let i = 1; i <= 15; i++) {
      moves.push(ada.edit([{ op: "change", id: shared, to: scale(i) }]), bob.edit([{ op: "change", id: shared, to: scale(20 + i) }]));
      moves.push(ada.edit([{ op: "change", id: other, to: { position: { x: 153, y: 1 + i / 10, z: 145 } } }]));
    }
    expect((await Promise.allSettled(moves)).filter((result) => result.status === "rejected")).toEqual([]);
    const saved = async () => (await store.tileContents(SPAWN_TILE)).prims.find((prim) => prim.id === shared);
    await waitFor("both to agree", async () => {
      const [a, b, s] = [ada.prims.get(shared), bob.prims.get(shared), await saved()];
      return JSON.stringify(a) === JSON.stringify(b) && JSON.stringify(a) === JSON.stringify(s);
    });
    // Whoever's last edit the relay applied last.
    expect([15, 35]).toContain(ada.prims.get(shared)!.scale.x);
    expect(ada.prims.get(other)!.position.y).toBe(2.5);
    await store.setPlayerSettings({ playerId: bob.playerId, ...DEFAULT_PLAYER_SETTINGS });
    await rightsPicked();
  });

  it("holds the tile's build rights and prim cap, and the player's cap, as operators set them", async () => {
    expect([ada.mayBuildAt(150, 150), bob.mayBuildAt(150, 150)]).toEqual([true, true]);
    await store.setTileSettings({ tile: SPAWN_TILE, ...DEFAULT_TILE_SETTINGS, rights: "list", allow: [bob.playerId] });
    await rightsPicked();
    // The page marks the tile as one where Ada may not build; Bob may.
    await waitFor("Ada told she may not build", () => ada.mayBuildAt(150, 150) === false);
    expect(bob.mayBuildAt(150, 150)).toBe(true);
    expect(ada.mayBuildAt(120, 150)).toBe(true);
    expect(await refusal(ada.edit([create(155, 150)]))).toBe(EditRefusalCode.NoBuildRights);
    const [allowed] = (await bob.edit([create(155, 150)])).created;
    expect(allowed).toBeGreaterThan(0);

    const count = (await store.tileContents(SPAWN_TILE)).prims.length;
    await store.setTileSettings({ tile: SPAWN_TILE, ...DEFAULT_TILE_SETTINGS, primCap: count + 1 });
    await rightsPicked();
    expect(await refusal(ada.edit([create(156, 150), create(157, 150)]))).toBe(EditRefusalCode.TileFull);
    await ada.edit([create(156, 150)]);
    expect(await refusal(ada.edit([create(157, 150)]))).toBe(EditRefusalCode.TileFull);

    await store.setTileSettings({ tile: SPAWN_TILE, ...DEFAULT_TILE_SETTINGS });
    await waitFor("Ada told she may build again", () => ada.mayBuildAt(150, 150) === true, RIGHTS_POLL_MS + 2000);
    const owned = await store.primCount(ada.playerId);
    await store.setPlayerSettings({ playerId: ada.playerId, admin: false, primCap: owned + 1 });
    await rightsPicked();
    await ada.edit([create(158, 150)]);
    expect(await refusal(ada.edit([create(159, 150)]))).toBe(EditRefusalCode.PlayerCap);
    await store.setPlayerSettings({ playerId: ada.playerId, ...DEFAULT_PLAYER_SETTINGS });
    await rightsPicked();
  });

  it("refuses bad edits with a clear message before they leave the client, and the relay refuses them too", async () => {
    await expect(ada.edit([{ op: "change", id: 1, to: { scale: { x: 0, y: 1, z: 1 } } }])).rejects.toThrow(/bad_edit: .*scale must be at least 0.01/);
    await expect(ada.edit([])).rejects.toThrow(/bad_edit: .*at least one operation/);
    await expect(ada.edit([create(10, 10)])).rejects.toThrow(/wrong_tile: .*no tile this client has joined/);
  });

  it("refreshes a neighbour's border copies: an avatar meets a wall built across the border, and passes once it is gone", async () => {
    // Bob walks 5 m north of the spawn point (the corner of four tiles), then 5 m east into tile_2_2.
    await walk(bob, Keys.Forward, 38, 0);
    await walk(bob, Keys.Forward, 38, Math.PI / 2);
    expect(bob.ownAvatar!.x).toBeGreaterThan(132);
    // A wall in tile_1_2 (its centre west of x = 128) reaching 1.2 m into tile_2_2, across Bob's way back west.
    const [wall] = (await ada.edit([create(127.6, 133, { scale: { x: 3.2, y: 3, z: 8 } })])).created as [number];
    await walk(bob, Keys.Forward, 60, -Math.PI / 2);
    expect(bob.ownAvatar!.x).toBeGreaterThan(129);
    expect(bob.ownAvatar!.x).toBeLessThan(130);
    await ada.edit([{ op: "delete", ids: [wall] }]);
    await walk(bob, Keys.Forward, 30, -Math.PI / 2);
    expect(bob.ownAvatar!.x).toBeLessThan(127);
  });

  it("keeps every edit across a restart of the relay", async () => {
    const { created } = await ada.edit([create(160, 160, { physical: false, scale: { x: 1, y: 4, z: 1 } })]);
    const made: Prim = ada.prims.get(created[0]!)!;
    await Promise.all([ada.leave(), bob.leave()]);
    await relay.stop();
    relay = await startTestRelay({ dataDir });
    ada = await WorldClient.connect({ endpoint: relay.url, name: "Ada", viewRadius: 8, predict: false });
    bob = await WorldClient.connect({ endpoint: relay.url, name: "Bob", viewRadius: 8, predict: false });
    await waitFor("loaded", () => ada.loaded);
    expect(ada.prims.get(made.id)).toEqual(made);
    // The world the first start wrote is not written again.
    expect(ada.prims.get(WORLD_PRIM.id)).toEqual(WORLD_PRIM);
  });
});
