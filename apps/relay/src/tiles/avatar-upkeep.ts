import { TICK_RATE, type ResumeMessage } from "@tessera/protocol";
import type { AvatarMotionState } from "@tessera/sim";
import type { ResumeTokens } from "../auth/resume-tokens.ts";
import { CLAIM_REFRESH_MS, type AvatarClaims } from "./avatar-claims.ts";

/** Each avatar's upkeep comes round once in this many ticks (2 s), a share of the avatars each tick. */
const ROUND_TICKS = 2 * TICK_RATE;
/** A player is sent a new resume token once its avatar is this far from the last one's position, m... */
const RESUME_MOVE_M = 1;
/** ...or once the last one is this old, ms (well inside how long one holds). */
const RESUME_EVERY_MS = 60_000;

interface HeldAvatar {
  readonly playerId: string;
  readonly sessionId: string | undefined;
  readonly info: { readonly netId: number };
  readonly body: { readonly state: Readonly<AvatarMotionState> };
  /** Set while it is being handed to a neighbour: that room vouches for it next. */
  readonly transfer: string | undefined;
}

interface Kept {
  /** The session last vouched to, where, and when (ms); a new session gets a token at its next turn. */
  sessionId?: string;
  x: number;
  z: number;
  vouchedAt: number;
  /** When the claim's counter was last kept alive (ms). */
  refreshedAt: number;
}

/**
 * What a tile room does now and then for the avatars it holds: keeps their claims' counters alive
 * in presence, and sends each player a fresh resume token when its avatar has moved, so that a
 * client that must enter again (its relay restarted) stands where it was. Spread over ticks (an
 * avatar's turn comes by its net id), so that no tick carries all of it.
 */
export class AvatarUpkeep {
  private readonly claims: AvatarClaims;
  private readonly tokens: ResumeTokens;
  private readonly kept = new Map<string, Kept>();

  constructor(claims: AvatarClaims, tokens: ResumeTokens) {
    this.claims = claims;
    this.tokens = tokens;
  }

  /** One tick's share, at world tick `tick` (`now` in ms since 1970); `send` delivers a token to a session. */
  run(avatars: Iterable<HeldAvatar>, tick: number, now: number, send: (sessionId: string, message: ResumeMessage) => void): void {
    const turn = tick % ROUND_TICKS;
    const held = turn === 0 ? new Set<string>() : undefined;
    for (const avatar of avatars) {
      held?.add(avatar.playerId);
      if (avatar.info.netId % ROUND_TICKS !== turn) continue;
      let kept = this.kept.get(avatar.playerId);
      if (!kept) this.kept.set(avatar.playerId, (kept = { x: 0, z: 0, vouchedAt: -Infinity, refreshedAt: now }));
      if (now - kept.refreshedAt >= CLAIM_REFRESH_MS) {
        kept.refreshedAt = now;
        this.claims.refresh([avatar.playerId]);
      }
      if (avatar.sessionId === undefined || avatar.transfer !== undefined) continue;
      const { x, y, z, facing } = avatar.body.state;
      if (kept.sessionId === avatar.sessionId && Math.hypot(x - kept.x, z - kept.z) < RESUME_MOVE_M && now - kept.vouchedAt < RESUME_EVERY_MS) continue;
      Object.assign(kept, { sessionId: avatar.sessionId, x, z, vouchedAt: now });
      send(avatar.sessionId, { token: this.tokens.issue(avatar.playerId, { x, y, z, facing }) });
    }
    if (held) for (const playerId of this.kept.keys()) if (!held.has(playerId)) this.kept.delete(playerId);
  }
}
