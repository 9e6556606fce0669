import { ServerError } from "@colyseus/core";
import { formatIssues, joinOptionsSchema, type ResumePosition } from "@tessera/protocol";
import type { ResumeTokens } from "../auth/resume-tokens.ts";
import type { GuestTokens, SeatSigner } from "../auth/signer.ts";
import type { Logger } from "../log.ts";
import type { SeatLedger } from "./seat-ledger.ts";

/** How long a reserved seat waits for its socket, s (Colyseus's default is 15). */
export const SEAT_RESERVATION_S = 10;

/** Who a connection is, established when its seat was reserved. */
export interface PlayerAuth {
  playerId: string;
  name: string;
  /** The player enters the world here (else the connection only watches the tile). */
  enter: boolean;
  /** Where to stand on entering, as a resume token vouched; the spawn point otherwise. */
  resume?: ResumePosition;
  /** The seat: a session id a relay signed (Colyseus uses it as the client's session id). */
  sessionId: string;
}

export interface SeatAdmissionDeps {
  tokens: GuestTokens;
  resumeTokens: ResumeTokens;
  seats: SeatSigner;
  ledger: SeatLedger;
  log: Logger;
}

/** HTTP status of each token problem. */
const TOKEN_STATUS = { invalid: 401, expired: 401, revoked: 403 } as const;

/**
 * Who may take a seat in a tile room, checked once, when the seat is reserved (Colyseus's static
 * `onAuth`, run by whichever relay answers `POST /matchmake/joinById`): a valid, unexpired,
 * unrevoked token, well-formed join options, a resume token that holds, and a player under its
 * seat cap. The seat it hands out is a signed session id, so every relay can tell a real seat
 * from a guess by its socket's URL alone.
 */
export class SeatAdmission {
  private readonly deps: SeatAdmissionDeps;

  constructor(deps: SeatAdmissionDeps) {
    this.deps = deps;
  }

  /** The seat's auth data; throws a {@link ServerError} (an HTTP 4xx for the client) naming what is wrong. */
  admit(token: unknown, options: unknown): PlayerAuth {
    const { tokens, resumeTokens, seats, ledger } = this.deps;
    const check = tokens.check(token);
    if (!check.ok) throw this.refuse(TOKEN_STATUS[check.problem], check.message);
    const join = joinOptionsSchema.safeParse(options ?? {});
    if (!join.success) throw this.refuse(400, `bad join options: ${formatIssues(join.error)}`);
    const { playerId } = check;
    const { name = `Guest-${playerId.slice(0, 4)}`, enter = false, resume } = join.data;
    let position: ResumePosition | undefined;
    if (resume !== undefined) {
      if (!enter) throw this.refuse(400, "bad join options: resume goes with enter");
      const resumed = resumeTokens.check(playerId, resume);
      if (!resumed.ok) throw this.refuse(400, resumed.message);
      position = resumed.position;
    }
    const sessionId = seats.issue();
    if (!ledger.reserve(playerId, sessionId)) {
      throw this.refuse(429, `too many seats: a player holds at most ${ledger.perPlayer} tile connections and reservations on a relay; leave some tiles first`);
    }
    return { playerId, name, enter, sessionId, ...(position ? { resume: position } : {}) };
  }

  private refuse(status: number, message: string): ServerError {
    this.deps.log.refusal(`join: ${message}`);
    return new ServerError(status, message);
  }
}
