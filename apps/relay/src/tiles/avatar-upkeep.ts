import type { ResumeMessage } from "@tessera/protocol";
import type { AvatarMotionState } from "@tessera/sim";
import type { ResumeTokens } from "../auth/resume-tokens.ts";
import { CLAIM_REFRESH_MS, type AvatarClaims } from "./avatar-claims.ts";

/** A player is sent a new resume token once its avatar is this far from the last one's position, m... */
const RESUME_MOVE_M = 1;
/** ...or once the last one is this old, ms (well inside how long one holds). */
const RESUME_EVERY_MS = 60_000;

interface HeldAvatar {
  readonly playerId: string;
  readonly sessionId: string | undefined;
  readonly body: { readonly state: Readonly<AvatarMotionState> };
  /** Set while it is being handed to a neighbour: that room vouches for it next. */
  readonly transfer: string | undefined;
}

/**
 * What a tile room does now and then for the avatars it holds: keeps their claims' counters alive
 * in presence, and sends each player a fresh resume token when its avatar has moved, so that a
 * client that must enter again (its relay restarted) stands where it was.
 */
export class AvatarUpkeep {
  private readonly claims: AvatarClaims;
  private readonly tokens: ResumeTokens;
  private refreshedAt = -Infinity;
  /** Where and when each session's avatar was last vouched for (a new session gets a token at once). */
  private readonly vouched = new Map<string, { x: number; z: number; at: number }>();

  constructor(claims: AvatarClaims, tokens: ResumeTokens) {
    this.claims = claims;
    this.tokens = tokens;
  }

  /** One round over the avatars held now (`now` in ms since 1970); `send` delivers a token to a session. */
  run(avatars: Iterable<HeldAvatar>, now: number, send: (sessionId: string, message: ResumeMessage) => void): void {
    const held: string[] = [];
    const sessions = new Set<string>();
    for (const avatar of avatars) {
      held.push(avatar.playerId);
      if (avatar.sessionId === undefined || avatar.transfer !== undefined) continue;
      sessions.add(avatar.sessionId);
      const { x, y, z, facing } = avatar.body.state;
      const last = this.vouched.get(avatar.sessionId);
      if (last && Math.hypot(x - last.x, z - last.z) < RESUME_MOVE_M && now - last.at < RESUME_EVERY_MS) continue;
      this.vouched.set(avatar.sessionId, { x, z, at: now });
      send(avatar.sessionId, { token: this.tokens.issue(avatar.playerId, { x, y, z, facing }) });
    }
    for (const sessionId of this.vouched.keys()) if (!sessions.has(sessionId)) this.vouched.delete(sessionId);
    if (now - this.refreshedAt < CLAIM_REFRESH_MS) return;
    this.refreshedAt = now;
    this.claims.refresh(held);
  }
}
