import { readResumeToken, resumeBody, type ResumePosition } from "@tessera/protocol";
import { Signer } from "./signer.ts";

/** How long a resume token holds: long enough to ride out a relay restart or a lost connection, ms. */
export const RESUME_MAX_AGE_MS = 10 * 60_000;

/**
 * Resume tokens (`packages/protocol/src/resume.ts`): where the relay last saw a player's avatar,
 * signed for that player, so that a client entering again after its relay restarted stands where
 * it stood. The relay keeps nothing: the token is the proof.
 */
export class ResumeTokens {
  private readonly signer: Signer;
  private readonly now: () => number;

  constructor(secret: Buffer, now: () => number = Date.now) {
    this.signer = new Signer(secret, "resume");
    this.now = now;
  }

  issue(playerId: string, at: Omit<ResumePosition, "issuedAt">): string {
    const body = resumeBody({ ...at, issuedAt: this.now() });
    return `${body}.${this.signer.sign(`${playerId}:${body}`)}`;
  }

  /** The position a token vouches for this player, or why it does not. */
  check(playerId: string, token: unknown): { ok: true; position: ResumePosition } | { ok: false; message: string } {
    const read = readResumeToken(token);
    if (!read || !this.signer.verify(`${playerId}:${read.body}`, read.signature)) return { ok: false, message: "resume token is not one this world issued to this player" };
    if (this.now() - read.position.issuedAt > RESUME_MAX_AGE_MS) return { ok: false, message: `resume token is older than ${RESUME_MAX_AGE_MS / 60_000} minutes: enter at the spawn point` };
    return { ok: true, position: read.position };
  }
}
