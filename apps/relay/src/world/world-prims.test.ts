import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makePrim, presetShape } from "@tessera/prims";
import { ConfigError } from "../config.ts";
import { readWorldPrims } from "./world-prims.ts";

describe("WORLD_PRIMS files", () => {
  it("read a list of prims with their tiles", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "tessera-prims-")), "ok.json");
    await writeFile(path, JSON.stringify([makePrim(1, presetShape("box"), { x: 10, y: 1, z: 70 })]));
    expect((await readWorldPrims(path, 64)).map(({ tile, prim }) => [tile, prim.id])).toEqual([["tile_0_1", 1]]);
  });

  it.each([
    ["missing.json", null, /cannot read/],
    ["bad.json", "{not json", /cannot read/],
    ["object.json", JSON.stringify({ id: 1 }), /is not a list of prims/],
    ["scale.json", JSON.stringify([{ ...makePrim(1, presetShape("box"), { x: 1, y: 1, z: 1 }), scale: { x: 100, y: 1, z: 1 } }]), /is not a list of prims: 0\.scale/],
    ["twice.json", JSON.stringify([makePrim(1, presetShape("box"), { x: 1, y: 1, z: 1 }), makePrim(1, presetShape("box"), { x: 2, y: 1, z: 1 })]), /uses a prim id twice/],
    ["orphan.json", JSON.stringify([makePrim(2, presetShape("box"), { x: 1, y: 1, z: 1 }, { root: 7 })]), /linked to 7/],
  ])("refuse %s with a clear error", async (name, text, message) => {
    const path = join(await mkdtemp(join(tmpdir(), "tessera-prims-")), name);
    if (text !== null) await writeFile(path, text);
    await expect(readWorldPrims(path, 64)).rejects.toThrow(ConfigError);
    await expect(readWorldPrims(path, 64)).rejects.toThrow(message);
  });
});
