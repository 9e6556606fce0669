import { describe, expect, it } from "vitest";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { guestNameSchema } from "@tessera/protocol";
import { randomGuestName } from "./guest-names.ts";
import { loadAuthSecret } from "./secret.ts";
import { GuestTokens, SeatSigner, TileClaims } from "./signer.ts";

const secret = Buffer.from("x".repeat(32));
const DAY_MS = 86_400_000;

describe("guest tokens", () => {
  it("prove the player id they were issued for, until they expire", () => {
    const tokens = new GuestTokens(secret, { ttlMs: DAY_MS });
    const { playerId, token, expiresAt } = tokens.issue();
    expect(playerId).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(tokens.verify(token)).toBe(playerId);
    expect(expiresAt).toBeGreaterThan(Date.now() + DAY_MS - 2000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + DAY_MS);
  });

  it("expire after their lifetime, and a renewal proves the same player afresh", () => {
    let now = Date.UTC(2026, 11, 1);
    const tokens = new GuestTokens(secret, { ttlMs: DAY_MS, now: () => now });
    const first = tokens.issue();
    now += DAY_MS - 1000;
    expect(tokens.check(first.token)).toMatchObject({ ok: true, playerId: first.playerId });
    const renewed = tokens.issue(first.playerId);
    now += 2000;
    expect(tokens.check(first.token)).toMatchObject({ ok: false, problem: "expired", message: expect.stringMatching(/expired.*renew/) as unknown });
    expect(tokens.verify(renewed.token)).toBe(first.playerId);
  });

  it("prove nothing for a revoked player", () => {
    const revoked = new Set<string>();
    const tokens = new GuestTokens(secret, { ttlMs: DAY_MS, revoked: (id) => revoked.has(id) });
    const { playerId, token } = tokens.issue();
    revoked.add(playerId);
    expect(tokens.check(token)).toMatchObject({ ok: false, problem: "revoked" });
    expect(tokens.verify(tokens.issue(playerId).token)).toBeUndefined();
  });

  it("refuse forgeries, other secrets, a moved issue time, and junk", () => {
    const tokens = new GuestTokens(secret, { ttlMs: DAY_MS });
    const { playerId, token } = tokens.issue();
    const [, issued, signature] = token.split(".") as [string, string, string];
    const other = new GuestTokens(Buffer.from("y".repeat(32)), { ttlMs: DAY_MS });
    expect(other.verify(token)).toBeUndefined();
    expect(tokens.verify(`AAAAAAAAAAAA.${issued}.${signature}`)).toBeUndefined();
    expect(tokens.verify(`${playerId}.${(parseInt(issued, 36) + 86_400).toString(36)}.${signature}`)).toBeUndefined();
    expect(tokens.verify(`${playerId}.${issued}.${signature}x`)).toBeUndefined();
    expect(tokens.verify(`${playerId}.${signature}`)).toBeUndefined();
    expect(tokens.verify(`${token}.extra`)).toBeUndefined();
    for (const junk of [undefined, null, 42, "", ".", "a.b", "a.b.c", "x".repeat(500), { token }]) {
      expect(tokens.verify(junk)).toBeUndefined();
    }
  });

  it("do not double as tile claims", () => {
    const { playerId, token } = new GuestTokens(secret, { ttlMs: DAY_MS }).issue();
    expect(new TileClaims(secret).verify(playerId, token.split(".")[2])).toBe(false);
  });
});

describe("seats", () => {
  it("are session ids any relay of the world can check, and no one can guess", () => {
    const seats = new SeatSigner(secret);
    const seat = seats.issue();
    expect(seat).toMatch(/^[A-Za-z0-9_-]{28}$/);
    expect(seats.verify(seat)).toBe(true);
    expect(new SeatSigner(secret).verify(seat)).toBe(true);
    expect(new SeatSigner(Buffer.from("y".repeat(32))).verify(seat)).toBe(false);
    const flipped = seat.slice(0, -1) + (seat.endsWith("A") ? "B" : "A");
    for (const junk of [flipped, seat.slice(1), `${seat}x`, "abcdefghi", "", null, undefined, 7]) expect(seats.verify(junk)).toBe(false);
  });
});

describe("tile claims", () => {
  it("hold for the tile they name only", () => {
    const claims = new TileClaims(secret);
    const claim = claims.claim("tile_1_2");
    expect(claims.verify("tile_1_2", claim)).toBe(true);
    expect(claims.verify("tile_2_1", claim)).toBe(false);
    expect(claims.verify("tile_1_2", undefined)).toBe(false);
  });
});

describe("auth secret", () => {
  it("is generated once, kept private in the data dir and reused", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tessera-secret-"));
    const first = await loadAuthSecret(undefined, dir);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect((await stat(join(dir, "auth-secret"))).mode & 0o777).toBe(0o600);
    expect((await loadAuthSecret(undefined, dir)).equals(first)).toBe(true);
    expect((await readFile(join(dir, "auth-secret"), "utf8")).trim()).toBe(first.toString());
  });

  it("comes from configuration when given", async () => {
    expect((await loadAuthSecret("s".repeat(40), "/nonexistent")).toString()).toBe("s".repeat(40));
  });
});

describe("guest names", () => {
  it("are always valid names", () => {
    for (let i = 0; i < 200; i++) expect(guestNameSchema.safeParse(randomGuestName()).success).toBe(true);
  });
});
