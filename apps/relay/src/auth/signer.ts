import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Signs short strings with the relay secret; one purpose per signer, so signatures never cross over. */
export class Signer {
  private readonly secret: Buffer;
  private readonly purpose: string;

  constructor(secret: Buffer, purpose: string) {
    this.secret = secret;
    this.purpose = purpose;
  }

  sign(value: string): string {
    return createHmac("sha256", this.secret).update(`${this.purpose}:${value}`).digest("base64url").slice(0, 22);
  }

  verify(value: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(value));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

const PLAYER_ID = /^[A-Za-z0-9_-]{12}$/;

/**
 * Guest identity: a random player id and a token `<playerId>.<signature>` that proves it.
 * Guests keep no password; whoever holds the token is the player (like a device key).
 */
export class GuestTokens {
  private readonly signer: Signer;

  constructor(secret: Buffer) {
    this.signer = new Signer(secret, "guest");
  }

  issue(): { playerId: string; token: string } {
    const playerId = randomBytes(9).toString("base64url");
    return { playerId, token: `${playerId}.${this.signer.sign(playerId)}` };
  }

  /** The player id a token proves, or undefined for anything forged, malformed or missing. */
  verify(token: unknown): string | undefined {
    if (typeof token !== "string" || token.length > 64) return undefined;
    const [playerId, signature, ...rest] = token.split(".");
    if (rest.length > 0 || !playerId || !signature || !PLAYER_ID.test(playerId)) return undefined;
    return this.signer.verify(playerId, signature) ? playerId : undefined;
  }
}

/**
 * Proof that a relay (not a client) asked for a tile room: clients may join tiles by id, never
 * create them. Holds across processes that share the secret.
 */
export class TileClaims {
  private readonly signer: Signer;

  constructor(secret: Buffer) {
    this.signer = new Signer(secret, "tile");
  }

  claim(tileRoomId: string): string {
    return this.signer.sign(tileRoomId);
  }

  verify(tileRoomId: string, claim: unknown): boolean {
    return typeof claim === "string" && this.signer.verify(tileRoomId, claim);
  }
}
