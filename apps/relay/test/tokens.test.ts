import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client as ColyseusClient } from "@colyseus/sdk";
import type { RenewResponse } from "@tessera/protocol";
import { WorldClient, memorySessionStore } from "@tessera/sdk";
import { GuestTokens } from "../src/auth/signer.ts";
import type { Relay } from "../src/relay.ts";
import { newSession, startTestRelay, waitFor } from "./harness.ts";

const SECRET = "a-test-secret-of-at-least-32-characters";
const ADMIN = "an-operator-token-of-32-characters-or-more";
const TTL_S = 3600;

let relay: Relay;
let dataDir: string;

const start = async () => startTestRelay({ authSecret: SECRET, adminToken: ADMIN, tokenTtlS: TTL_S, dataDir });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "tessera-tokens-"));
  relay = await start();
});
afterAll(async () => {
  await relay.stop();
});

function renew(token: string | undefined): Promise<Response> {
  return fetch(`${relay.url}/api/session/renew`, { method: "POST", headers: token ? { authorization: `Bearer ${token}` } : {} });
}

function revoke(playerId: string, bearer = ADMIN): Promise<Response> {
  return fetch(`${relay.url}/api/admin/revoke`, { method: "POST", headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" }, body: JSON.stringify({ playerId }) });
}

/** A token for `playerId` that was issued `ageS` seconds ago, as the relay would have signed it then. */
function issuedAgo(playerId: string, ageS: number): string {
  return new GuestTokens(Buffer.from(SECRET), { ttlMs: TTL_S * 1000, now: () => Date.now() - ageS * 1000 }).issue(playerId).token;
}

describe("guest tokens", () => {
  it("carry an expiry, and renew into a fresh token of the same player", async () => {
    const session = await newSession(relay.url);
    expect(session.expiresAt).toBeGreaterThan(Date.now() + TTL_S * 1000 - 5000);
    const old = issuedAgo(session.playerId, TTL_S - 60);
    const response = await renew(old);
    expect(response.status).toBe(200);
    const renewed = (await response.json()) as RenewResponse;
    expect(renewed.playerId).toBe(session.playerId);
    expect(renewed.expiresAt).toBeGreaterThan(Date.now() + TTL_S * 1000 - 5000);
  });

  it("expire: an old token neither joins nor renews", async () => {
    const { playerId } = await newSession(relay.url);
    const expired = issuedAgo(playerId, TTL_S + 1);
    const response = await renew(expired);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "expired", message: expect.stringMatching(/expired/) as unknown });
    const client = new ColyseusClient(relay.url);
    client.auth.token = expired;
    await expect(client.joinById("tile_2_2", {})).rejects.toThrow(/expired/);
    expect((await renew(undefined)).status).toBe(401);
  });

  it("are renewed by the SDK when half their life has gone, and a stale stored one gives way to a new identity", async () => {
    const { playerId, name } = await newSession(relay.url);
    const store = memorySessionStore();
    store.save({ playerId, name, token: issuedAgo(playerId, TTL_S / 2 + 10), expiresAt: Date.now() + TTL_S * 500 - 10_000 });
    const client = await WorldClient.connect({ endpoint: relay.url, store, viewRadius: 8 });
    await client.leave();
    expect(client.playerId).toBe(playerId);
    expect(store.load()!.expiresAt).toBeGreaterThan(Date.now() + TTL_S * 1000 - 5000);

    store.save({ playerId, name, token: issuedAgo(playerId, TTL_S + 10), expiresAt: Date.now() - 10_000 });
    const again = await WorldClient.connect({ endpoint: relay.url, store, viewRadius: 8 });
    await again.leave();
    expect(again.playerId).not.toBe(playerId);
  });
});

describe("revoking a player", () => {
  it("needs the operator token", async () => {
    const { playerId } = await newSession(relay.url);
    expect((await revoke(playerId, "not-the-admin-token-but-long-enough-x")).status).toBe(401);
    expect((await fetch(`${relay.url}/api/admin/revoked`)).status).toBe(401);
    const bad = await revoke("nope");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ message: expect.stringMatching(/playerId must be a player id/) as unknown });
  });

  it("closes its sessions at once, refuses its token from then on, and outlives a restart", async () => {
    const store = memorySessionStore();
    const client = await WorldClient.connect({ endpoint: relay.url, name: "Banned", store, viewRadius: 8 });
    await waitFor("a first snapshot", () => client.ownAvatar);
    const { token } = store.load()!;
    expect((await revoke(client.playerId)).status).toBe(200);
    await waitFor("the client to be told", () => client.status === "revoked");
    expect((await renew(token)).status).toBe(403);
    const colyseus = new ColyseusClient(relay.url);
    colyseus.auth.token = token;
    await expect(colyseus.joinById("tile_2_2", {})).rejects.toThrow(/revoked/);

    await relay.stop();
    relay = await start();
    expect((await renew(token)).status).toBe(403);
    const list = await fetch(`${relay.url}/api/admin/revoked`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(await list.json()).toEqual({ players: [client.playerId] });
  });
});

describe("the operator API", () => {
  it("does not exist without an operator token", async () => {
    await relay.stop();
    relay = await startTestRelay({ dataDir });
    const response = await revoke("AAAAAAAAAAAA");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ message: expect.stringMatching(/ADMIN_TOKEN/) as unknown });
  });
});

describe("names", () => {
  it("that mix scripts or hide characters are refused with a message that says so", async () => {
    for (const [name, message] of [
      ["Аlice", /mixes scripts/],
      ["\u3164", /invisible/],
      ["Ali\u200bce", /invisible/],
    ] as const) {
      const response = await fetch(`${relay.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name }) });
      expect(response.status, name).toBe(400);
      expect((await response.json()) as { message: string }, name).toMatchObject({ message: expect.stringMatching(message) as unknown });
    }
  });
});
