import { describe, expect, it } from "vitest";
import { applyDiff, linkedPlacement, makePrim, presetShape, type Prim } from "@tessera/prims";
import { applyEdit, type EditContext, type EditOutcome, type EditScope } from "./edit-apply.ts";
import { editMessageSchema, type EditOp } from "./edit.ts";

/** A tile covering x and z in [0, 64) of a 2 x 1 grid (x up to 128). */
function scopeOf(prims: Prim[], tombstones: Prim[] = []): EditScope {
  const byId = new Map(prims.map((p) => [p.id, p]));
  return {
    prim: (id) => byId.get(id),
    children: (rootId) => [...byId.values()].filter((p) => p.root === rootId),
    tombstone: (id) => tombstones.find((p) => p.id === id),
    count: byId.size,
  };
}

function contextOf(extra: Partial<EditContext> = {}): EditContext {
  let next = 100;
  return {
    playerId: "ada",
    admin: false,
    inTile: (x, z) => x >= 0 && x < 64 && z >= 0 && z < 64,
    inWorld: (x, z) => x >= 0 && x < 128 && z >= 0 && z < 64,
    mayBuild: () => true,
    tileCap: 100,
    playerPrims: 0,
    playerCap: 50,
    newId: () => next++,
    ...extra,
  };
}

const box = (id: number, owner: string, x: number, extra: Partial<Prim> = {}) => makePrim(id, presetShape("box"), { x, y: 1, z: 10 }, { owner, ...extra });
/** Ops as they come off the wire: parsed by the message schema. */
const ops = (...list: unknown[]): EditOp[] => editMessageSchema.parse({ id: 1, ops: list }).ops;
const edit = (prims: Prim[], list: unknown[], context = contextOf(), tombstones: Prim[] = []) => applyEdit(scopeOf(prims, tombstones), ops(...list), context);

function applied(outcome: EditOutcome) {
  if (!outcome.ok) throw new Error(`refused: ${outcome.code}: ${outcome.message}`);
  return outcome;
}
const refusal = (outcome: EditOutcome) => (outcome.ok ? "applied" : `${outcome.code}: ${outcome.message}`);

describe("applying an edit", () => {
  it("makes a prim owned by its maker, with defaults for the fields not given", () => {
    const outcome = applied(edit([], [{ op: "create", prim: { position: { x: 5, y: 1, z: 5 }, shape: presetShape("sphere") } }]));
    expect(outcome.created).toEqual([100]);
    expect(outcome.diff.added).toHaveLength(1);
    expect(outcome.diff.added[0]).toMatchObject({ id: 100, owner: "ada", root: 0, physical: false, scale: { x: 1, y: 1, z: 1 }, rotation: { x: 0, y: 0, z: 0, w: 1 } });
    expect(outcome.leaving).toEqual([]);
  });

  it("puts what it makes on the prims' grids", () => {
    const outcome = applied(edit([], [{ op: "create", prim: { position: { x: 5.00049, y: 1, z: 5 }, shape: presetShape("box") } }]));
    expect(outcome.diff.added[0]!.position.x).toBe(5);
  });

  it.each([
    ["outside the tile", { x: 70, y: 1, z: 5 }, /^wrong_tile: .*create it through the tile it stands in/],
    ["off the grid", { x: -3, y: 1, z: 5 }, /^bad_edit: .*off the world's grid/],
  ])("refuses a new prim %s", (_, position, message) => {
    expect(refusal(edit([], [{ op: "create", prim: { position, shape: presetShape("box") } }]))).toMatch(message);
  });

  it("refuses to build where the player has no rights, and when no id is at hand", () => {
    const create = { op: "create", prim: { position: { x: 5, y: 1, z: 5 }, shape: presetShape("box") } };
    expect(refusal(edit([], [create], contextOf({ mayBuild: () => false })))).toMatch(/^no_build_rights: /);
    expect(refusal(edit([], [create], contextOf({ newId: () => undefined })))).toMatch(/^unavailable: /);
  });

  it("changes only the fields named, for the owner", () => {
    const mine = box(1, "ada", 5);
    const outcome = applied(edit([mine], [{ op: "change", id: 1, to: { scale: { x: 2, y: 3, z: 4 } } }]));
    expect(outcome.diff.updated).toEqual([[mine, { ...mine, scale: { x: 2, y: 3, z: 4 } }]]);
  });

  it("refuses anyone but the owner, and the world's prims to all but admins", () => {
    const change = { op: "change", id: 1, to: { physical: true } };
    expect(refusal(edit([box(1, "bob", 5)], [change]))).toMatch(/^not_owner: prim 1 belongs to someone else/);
    expect(refusal(edit([box(1, "", 5)], [change]))).toMatch(/^not_owner: prim 1 belongs to the world/);
    expect(applied(edit([box(1, "", 5)], [change], contextOf({ admin: true }))).diff.updated).toHaveLength(1);
    for (const op of [{ op: "delete", ids: [1] }, { op: "link", root: 2, children: [1] }, { op: "unlink", ids: [1] }]) {
      expect(refusal(edit([box(1, "bob", 5), box(2, "ada", 6)], [op]))).toMatch(/^not_owner: /);
    }
    // Linking needs the root too.
    expect(refusal(edit([box(1, "ada", 5), box(2, "bob", 6)], [{ op: "link", root: 2, children: [1] }]))).toMatch(/^not_owner: prim 2/);
  });

  it("refuses a change whose expected values no longer hold", () => {
    const mine = box(1, "ada", 5);
    expect(applied(edit([mine], [{ op: "change", id: 1, to: { position: { x: 6, y: 1, z: 10 } }, from: { position: { x: 5, y: 1, z: 10 } } }])).diff.updated).toHaveLength(1);
    expect(refusal(edit([mine], [{ op: "change", id: 1, to: { position: { x: 6, y: 1, z: 10 } }, from: { position: { x: 4, y: 1, z: 10 } } }]))).toBe("conflict: prim 1's position was changed meanwhile");
  });

  it("refuses values out of range, and names the field", () => {
    expect(() => ops({ op: "change", id: 1, to: { scale: { x: 0, y: 1, z: 1 } } })).toThrow(/scale must be at least 0.01/);
    expect(() => ops({ op: "change", id: 1, to: {} })).toThrow(/name at least one field/);
    expect(() => ops({ op: "change", id: 1, to: { owner: "me" } })).toThrow(/owner/);
    expect(() => ops({ op: "explode", id: 1 })).toThrow();
  });

  it("applies a batch all or nothing", () => {
    const mine = box(1, "ada", 5);
    const outcome = edit([mine, box(2, "bob", 6)], [
      { op: "change", id: 1, to: { physical: true } },
      { op: "delete", ids: [2] },
    ]);
    expect(refusal(outcome)).toMatch(/^not_owner: prim 2/);
  });

  it("deletes a root with its children, and a child alone", () => {
    const root = box(1, "ada", 5);
    const child = box(2, "ada", 1, { root: 1 });
    expect(applied(edit([root, child], [{ op: "delete", ids: [1] }])).diff.removed.map((p) => p.id).sort()).toEqual([1, 2]);
    expect(applied(edit([root, child], [{ op: "delete", ids: [2, 2] }])).diff.removed.map((p) => p.id)).toEqual([2]);
    expect(refusal(edit([], [{ op: "delete", ids: [9] }]))).toBe("not_found: prim 9 is not in this tile");
  });

  it("links prims to a root where they stand, linksets and all, and unlinks them back", () => {
    const turned = { x: 0, y: Math.SQRT1_2, z: 0, w: Math.SQRT1_2 };
    const root = box(1, "ada", 10, { rotation: turned });
    const other = box(2, "ada", 14);
    const otherChild = box(3, "ada", 0, { root: 2, position: { x: 0, y: 2, z: 0 } });
    const before = new Map([root, other, otherChild].map((p) => [p.id, p]));
    const linked = applied(edit([...before.values()], [{ op: "link", root: 1, children: [2] }]));
    const after = new Map(before);
    applyDiff(after, linked.diff);
    expect([...after.values()].map((p) => p.root)).toEqual([0, 1, 1]);
    // Where each stands in the world is where it stood.
    const world = (p: Prim) => linkedPlacement(after.get(1)!, p).position;
    expect(world(after.get(2)!).x).toBeCloseTo(14, 3);
    const grandchild = world(after.get(3)!);
    expect([grandchild.x, grandchild.y, grandchild.z].map((v) => Math.round(v * 1000) / 1000)).toEqual([14, 3, 10]);

    const unlinked = applied(edit([...after.values()], [{ op: "unlink", ids: [1] }]));
    applyDiff(after, unlinked.diff);
    expect([...after.values()].map((p) => p.root)).toEqual([0, 0, 0]);
    expect(after.get(3)!.position).toEqual({ x: 14, y: 3, z: 10 });
  });

  it("keeps linksets one level deep, close and in one tile", () => {
    const prims = [box(1, "ada", 5), box(2, "ada", 1, { root: 1 }), box(3, "ada", 8)];
    expect(refusal(edit(prims, [{ op: "link", root: 2, children: [3] }]))).toMatch(/^bad_edit: prim 2 is linked to 1/);
    expect(refusal(edit(prims, [{ op: "link", root: 1, children: [1] }]))).toMatch(/^bad_edit: prim 1 cannot be linked to itself/);
    expect(refusal(edit(prims, [{ op: "change", id: 3, to: { root: 2 } }]))).toMatch(/^bad_edit: prim 2 is linked to 1: a child cannot be a root/);
    expect(refusal(edit(prims, [{ op: "change", id: 3, to: { root: 77 } }]))).toMatch(/^bad_edit: prim 77 is not in this tile/);
    expect(refusal(edit([box(1, "ada", 5), box(3, "ada", 50)], [{ op: "link", root: 1, children: [3] }]))).toMatch(/^bad_edit: prim 3 would stand more than 32 m from its root/);
    expect(refusal(edit(prims, [{ op: "change", id: 1, to: { root: 3 } }]))).toMatch(/^bad_edit: /);
  });

  it("refuses to delete a root but leave a child linked to it", () => {
    const prims = [box(1, "ada", 5), box(2, "ada", 1, { root: 1 }), box(3, "ada", 8)];
    expect(refusal(edit(prims, [{ op: "change", id: 3, to: { root: 1, position: { x: 1, y: 0, z: 0 } } }, { op: "change", id: 1, to: { root: 3 } }]))).toMatch(/^bad_edit/);
  });

  it("holds the tile's and the player's caps", () => {
    const create = { op: "create", prim: { position: { x: 5, y: 1, z: 5 }, shape: presetShape("box") } };
    expect(refusal(edit([box(1, "bob", 5)], [create, create], contextOf({ tileCap: 2 })))).toBe("tile_full: this tile holds at most 2 prims");
    expect(refusal(edit([], [create, create], contextOf({ playerPrims: 49 })))).toBe("player_cap: you may own at most 50 prims");
    // Making one and deleting another of one's own stays within the cap.
    expect(applied(edit([box(1, "ada", 5)], [create, { op: "delete", ids: [1] }], contextOf({ playerPrims: 50, tileCap: 1 }))).created).toEqual([100]);
  });

  it("brings back a prim deleted in the tile, with its id and owner, for its owner only", () => {
    const gone = box(7, "ada", 5, { physical: true });
    const { id: _, owner: __, ...fields } = gone;
    const restore = { op: "create", id: 7, prim: fields };
    const outcome = applied(edit([], [restore], contextOf(), [gone]));
    expect(outcome.created).toEqual([7]);
    expect(outcome.diff.added).toEqual([gone]);
    expect(refusal(edit([], [restore], contextOf({ playerId: "bob" }), [gone]))).toMatch(/^not_owner/);
    expect(refusal(edit([], [restore]))).toMatch(/^not_found: prim 7 cannot be brought back here/);
    expect(refusal(edit([gone], [restore], contextOf(), [gone]))).toMatch(/^not_found/);
  });

  it("sends a root moved across the border to its new tile, if the player may build there", () => {
    const root = box(1, "ada", 60);
    const child = box(2, "ada", 1, { root: 1 });
    const move = { op: "change", id: 1, to: { position: { x: 70, y: 1, z: 10 } } };
    expect(applied(edit([root, child], [move])).leaving).toEqual([1]);
    expect(refusal(edit([root, child], [move], contextOf({ mayBuild: (x) => x < 64 })))).toMatch(/^no_build_rights: you may not build at \(70, 10\)/);
    // Moving within the tile needs no rights to build: one's own prims stay one's own to arrange.
    expect(applied(edit([root], [{ op: "change", id: 1, to: { position: { x: 50, y: 1, z: 10 } } }], contextOf({ mayBuild: () => false }))).leaving).toEqual([]);
  });
});
