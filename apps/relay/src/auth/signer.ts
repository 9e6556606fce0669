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
/** Seconds since 1970 in base 36: the token's issue time. */
const ISSUED_AT = /^[0-9a-z]{1,8}$/;

/** Why a token does not prove a player. */
export type TokenProblem = "invalid" | "expired" | "revoked";

export type TokenCheck = { ok: true; playerId: string; issuedAt: number } | { ok: false; problem: TokenProblem; message: string };

export interface GuestTokenOptions {
  /** How long a token holds after it is issued, ms; a client renews it while in use. */
  ttlMs: number;
  /** Whether an operator revoked the player. */
  revoked?: (playerId: string) => boolean;
  now?: () => number;
}

/**
 * Guest identity: a random player id and a token `<playerId>.<issued at>.<signature>` that proves
 * it until it expires. Guests keep no password; whoever holds the token is the player (like a
 * device key). A token in use is renewed for a fresh one of the same player before it expires; an
 * operator can revoke a player, whose tokens then prove nothing.
 */
export class GuestTokens {
  private readonly signer: Signer;
  private readonly ttlMs: number;
  private readonly revoked: (playerId: string) => boolean;
  private readonly now: () => number;

  constructor(secret: Buffer, options: GuestTokenOptions) {
    this.signer = new Signer(secret, "guest");
    this.ttlMs = options.ttlMs;
    this.revoked = options.revoked ?? (() => false);
    this.now = options.now ?? Date.now;
  }

  /** A token for a new player, or a fresh one for `playerId` (a renewal). */
  issue(playerId = randomBytes(9).toString("base64url")): { playerId: string; token: string; expiresAt: number } {
    const issuedAt = Math.floor(this.now() / 1000);
    const body = `${playerId}.${issuedAt.toString(36)}`;
    return { playerId, token: `${body}.${this.signer.sign(body)}`, expiresAt: issuedAt * 1000 + this.ttlMs };
  }

  /** Whom a token proves, or why it proves no one (forged, malformed, missing, expired or revoked). */
  check(token: unknown): TokenCheck {
    if (typeof token !== "string" || token.length > 64) return invalid;
    const [playerId, issued, signature, ...rest] = token.split(".");
    if (rest.length > 0 || !playerId || !issued || !signature || !PLAYER_ID.test(playerId) || !ISSUED_AT.test(issued)) return invalid;
    if (!this.signer.verify(`${playerId}.${issued}`, signature)) return invalid;
    const issuedAt = parseInt(issued, 36) * 1000;
    if (this.now() - issuedAt >= this.ttlMs) return { ok: false, problem: "expired", message: "guest token expired: renew tokens before they expire (POST /api/session/renew), or get a new identity from POST /api/session" };
    if (this.revoked(playerId)) return { ok: false, problem: "revoked", message: "this player was revoked by an operator" };
    return { ok: true, playerId, issuedAt };
  }

  /** The player id a token proves, or undefined. */
  verify(token: unknown): string | undefined {
    const check = this.check(token);
    return check.ok ? check.playerId : undefined;
  }
}

const invalid: TokenCheck = { ok: false, problem: "invalid", message: "missing or invalid guest token: get one from POST /api/session" };

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

/** Characters of a seat's random part and of its signature. */
const SEAT_RANDOM = 12;
const SEAT_SIGNATURE = 16;
const SEAT = new RegExp(`^[A-Za-z0-9_-]{${SEAT_RANDOM + SEAT_SIGNATURE}}$`);

/**
 * Seat reservations as Colyseus session ids that carry a relay's signature: any relay of the world
 * can tell, from a socket's URL alone, that a relay handed out its seat, before it spends anything
 * on the socket (a handshake, a pipe to a peer).
 */
export class SeatSigner {
  private readonly signer: Signer;

  constructor(secret: Buffer) {
    this.signer = new Signer(secret, "seat");
  }

  /** A new session id. */
  issue(): string {
    const random = randomBytes((SEAT_RANDOM * 3) / 4).toString("base64url");
    return random + this.signer.sign(random).slice(0, SEAT_SIGNATURE);
  }

  /** Whether a relay of this world issued `sessionId`. */
  verify(sessionId: unknown): boolean {
    if (typeof sessionId !== "string" || !SEAT.test(sessionId)) return false;
    const expected = Buffer.from(this.signer.sign(sessionId.slice(0, SEAT_RANDOM)).slice(0, SEAT_SIGNATURE));
    return timingSafeEqual(expected, Buffer.from(sessionId.slice(SEAT_RANDOM)));
  }
}
