import { describe, expect, it } from "vitest";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { guestNameSchema } from "@tessera/protocol";
import { randomGuestName } from "./guest-names.ts";
import { loadAuthSecret } from "./secret.ts";
import { GuestTokens, TileClaims } from "./signer.ts";

const secret = Buffer.from("x".repeat(32));

describe("guest tokens", () => {
  it("prove the player id they were issued for", () => {
    const tokens = new GuestTokens(secret);
    const { playerId, token } = tokens.issue();
    expect(playerId).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(tokens.verify(token)).toBe(playerId);
  });

  it("refuse forgeries, other secrets and junk", () => {
    const tokens = new GuestTokens(secret);
    const { playerId, token } = tokens.issue();
    const signature = token.split(".")[1]!;
    const other = new GuestTokens(Buffer.from("y".repeat(32)));
    expect(other.verify(token)).toBeUndefined();
    expect(tokens.verify(`AAAAAAAAAAAA.${signature}`)).toBeUndefined();
    expect(tokens.verify(`${playerId}.${signature}x`)).toBeUndefined();
    expect(tokens.verify(`${token}.extra`)).toBeUndefined();
    for (const junk of [undefined, null, 42, "", ".", "a.b", "x".repeat(500), { token }]) {
      expect(tokens.verify(junk)).toBeUndefined();
    }
  });

  it("do not double as tile claims", () => {
    const { playerId, token } = new GuestTokens(secret).issue();
    expect(new TileClaims(secret).verify(playerId, token.split(".")[1])).toBe(false);
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
