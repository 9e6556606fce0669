import { describe, expect, it } from "vitest";
import { DEFAULT_TILE_SETTINGS } from "@tessera/store";
import { mayBuildIn } from "./world-rights.ts";

describe("build rights", () => {
  const tile = (rights: "open" | "owner" | "list", allow: string[] = []) => ({ ...DEFAULT_TILE_SETTINGS, owner: "olga", rights, allow });

  it.each([
    ["open", [], "anyone", false, true],
    ["owner", [], "anyone", false, false],
    ["owner", [], "olga", false, true],
    ["list", ["ada"], "ada", false, true],
    ["list", ["ada"], "bob", false, false],
    ["list", ["ada"], "olga", false, true],
    ["owner", [], "root", true, true],
  ] as const)("%s (allowing %j): %s (admin %s) may build: %s", (rights, allow, player, admin, expected) => {
    expect(mayBuildIn(tile(rights, [...allow]), player, admin)).toBe(expected);
  });

  it("gives no one the owner's rights in a tile without an owner", () => {
    expect(mayBuildIn({ ...DEFAULT_TILE_SETTINGS, rights: "owner" }, "", false)).toBe(false);
  });
});
