import { describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import express from "express";
import { defaultWorldConfig } from "@tessera/protocol";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Revocations } from "../auth/revocations.ts";
import { GuestTokens } from "../auth/signer.ts";
import { createLogger } from "../log.ts";
import { apiRouter } from "./api.ts";

describe("the API while the relay starts", () => {
  it("answers 503 'starting' to everything until the relay is ready, then serves", async () => {
    let ready = false;
    const app = express().use(
      "/api",
      apiRouter({
        version: "0",
        world: defaultWorldConfig(),
        tokens: new GuestTokens(Buffer.from("s".repeat(32)), { ttlMs: 60_000 }),
        startedAt: Date.now(),
        load: () => ({ rooms: 0, players: 0 }),
        viewRadius: 64,
        tiles: () => Promise.resolve([]),
        avatars: () => ({ process: "p", tick: 0, avatars: [] }),
        openTile: (tile) => Promise.resolve({ id: `tile_${tile.tx}_${tile.tz}`, processId: "p" }),
        ready: () => ready,
        revocations: await Revocations.load(await mkdtemp(join(tmpdir(), "tessera-api-"))),
        log: createLogger({ quiet: true }),
      }),
    );
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
    try {
      for (const path of ["/health", "/world", "/tiles"]) {
        const response = await fetch(base + path);
        expect(response.status, path).toBe(503);
        expect(await response.json()).toMatchObject({ error: "starting" });
      }
      expect((await fetch(`${base}/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(503);
      ready = true;
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect((await fetch(`${base}/world`)).status).toBe(200);
    } finally {
      server.close();
    }
  });
});
