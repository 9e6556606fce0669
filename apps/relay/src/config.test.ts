import { describe, expect, it } from "vitest";
import { ConfigError, readRelayConfig } from "./config.ts";

describe("readRelayConfig", () => {
  it("has defaults that start a 4 x 4 world of 64 m tiles on port 2567", () => {
    const config = readRelayConfig({}, []);
    expect(config.port).toBe(2567);
    expect(config.world).toEqual({ tileSize: 64, grid: { width: 4, depth: 4 }, primsPerTile: 2000, spawn: { x: 128, z: 128 } });
    expect(config.authSecret).toBeUndefined();
    expect(config.snapshotBudgetKbps).toBe(100);
    expect(config.viewRadius).toBe(64);
  });

  it("reads the environment, and lets flags win over it", () => {
    const config = readRelayConfig({ PORT: "3000", GRID: "2x3", TILE_SIZE: "32", SPAWN: "10.5,20", PRIMS_PER_TILE: "500" }, ["--port", "4000"]);
    expect(config.port).toBe(4000);
    expect(config.world).toEqual({ tileSize: 32, grid: { width: 2, depth: 3 }, primsPerTile: 500, spawn: { x: 10.5, z: 20 } });
    expect(readRelayConfig({}, ["--grid=8x8"]).world.spawn).toEqual({ x: 256, z: 256 });
    expect(readRelayConfig({ SNAPSHOT_BUDGET_KBPS: "48" }, []).snapshotBudgetKbps).toBe(48);
    expect(readRelayConfig({ SNAPSHOT_BUDGET_KBPS: "48" }, ["--snapshot-budget-kbps", "8"]).snapshotBudgetKbps).toBe(8);
    expect(readRelayConfig({ VIEW_RADIUS: "96" }, []).viewRadius).toBe(96);
  });

  it.each([
    [{ PORT: "http" }, [], /port must be a whole number/],
    [{ PORT: "70000" }, [], /port must be at most 65535/],
    [{ GRID: "4 by 4" }, [], /grid must look like "4x4"/],
    [{ GRID: "0x4" }, [], /grid.width/],
    [{ TILE_SIZE: "4" }, [], /tileSize/],
    [{ PRIMS_PER_TILE: "0" }, [], /primsPerTile/],
    [{ PRIMS_PER_TILE: "lots" }, [], /prims per tile must be a whole number/],
    [{ SPAWN: "500,1" }, [], /spawn.*inside the grid/],
    [{ SPAWN: "here" }, [], /spawn must look like/],
    [{ AUTH_SECRET: "short" }, [], /AUTH_SECRET must be at least 32/],
    [{ SNAPSHOT_BUDGET_KBPS: "fast" }, [], /snapshot budget must be a whole number/],
    [{ SNAPSHOT_BUDGET_KBPS: "7" }, [], /snapshot budget must be at least 8 kbps/],
    [{}, ["--snapshot-budget-kbps", "10001"], /snapshot budget must be at most 10000 kbps/],
    [{ VIEW_RADIUS: "4" }, [], /view radius must be at least 8 m/],
    [{}, ["--colour", "red"], /Unknown option.*Known flags: --port/],
    [{}, ["extra"], /Known flags/],
  ])("refuses %j %j with a clear error", (env, argv, message) => {
    expect(() => readRelayConfig(env, argv)).toThrow(ConfigError);
    expect(() => readRelayConfig(env, argv)).toThrow(message);
  });
});
