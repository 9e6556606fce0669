import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openWorldStore, type WorldStore } from "@tessera/store";
import { ConfigError } from "../config.ts";
import { RIGHTS_POLL_MS, WorldRights } from "../world/world-rights.ts";
import { runAdmin } from "./admin-command.ts";

let store: WorldStore;
beforeEach(async () => {
  store = await openWorldStore({ dataDir: await mkdtemp(join(tmpdir(), "tessera-admin-")) });
});
afterEach(async () => {
  await store.close();
});

describe("npm run admin", () => {
  it("sets a tile's owner, rights, allow list and cap, keeping what it does not name", async () => {
    expect(JSON.parse(await runAdmin(store, ["tile", "2,1", "--owner", "ada", "--rights", "list", "--allow", "bob, cy"]))).toEqual({ tile: "tile_2_1", owner: "ada", rights: "list", allow: ["bob", "cy"], primCap: 5000 });
    await runAdmin(store, ["tile", "tile_2_1", "--cap", "40"]);
    expect(await store.tileSettings()).toEqual([{ tile: "tile_2_1", owner: "ada", rights: "list", allow: ["bob", "cy"], primCap: 40 }]);
  });

  it("grants and takes back admin, and sets a player's cap", async () => {
    await runAdmin(store, ["player", "ada", "--admin", "true"]);
    await runAdmin(store, ["player", "ada", "--cap", "10"]);
    expect(await store.playerSettings()).toEqual([{ playerId: "ada", admin: true, primCap: 10 }]);
    await runAdmin(store, ["player", "ada", "--admin", "false"]);
    expect(JSON.parse(await runAdmin(store, ["show"]))).toEqual({ tiles: [], players: [{ playerId: "ada", admin: false, primCap: 10 }] });
  });

  it.each([
    [["tile", "x,y"], /is not a tile/],
    [["tile", "1,1", "--rights", "everyone"], /rights/],
    [["tile", "1,1", "--cap=-3"], /a cap is a whole number/],
    [["tile", "1,1", "--allow", "ok,not ok"], /a player id is/],
    [["player", "ada", "--admin", "yes"], /admin/],
    [["player", "ada", "--colour", "red"], /Unknown option '--colour'/],
    [["promote", "ada"], /unknown command "promote"/],
    [[], /Usage/],
  ])("refuses %j, saying why, and writes nothing", async (argv, message) => {
    await expect(runAdmin(store, argv)).rejects.toThrow(ConfigError);
    await expect(runAdmin(store, argv)).rejects.toThrow(message);
    expect(await store.settingsVersion()).toBe(0);
  });

  it("reaches a running relay's rights without a restart", async () => {
    const rights = await WorldRights.load(store, (error) => {
      throw error;
    });
    try {
      expect(rights.mayBuild("tile_1_1", "bob")).toBe(true);
      await runAdmin(store, ["tile", "1,1", "--owner", "ada", "--rights", "owner"]);
      await new Promise((resolve) => setTimeout(resolve, RIGHTS_POLL_MS + 300));
      expect(rights.mayBuild("tile_1_1", "bob")).toBe(false);
      expect(rights.mayBuild("tile_1_1", "ada")).toBe(true);
    } finally {
      rights.stop();
    }
  });
});
