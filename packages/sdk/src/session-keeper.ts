import type { SessionResponse } from "@tessera/protocol";
import { SessionRefused, renewSession, requestSession, tokenIssuedAt, type SessionStore } from "./session.ts";

/** How often a kept session checks whether its token is due for renewal, ms. */
const CHECK_EVERY_MS = 60_000;

/**
 * A guest identity kept usable: its token is renewed once half its life has gone, at start and
 * then while the client runs, and kept in the store. A token that the relay no longer takes
 * (expired while the player was away) is replaced by a new identity at start; a revoked player gets
 * no new one.
 */
export class SessionKeeper {
  private session: SessionResponse;
  private readonly endpoint: string;
  private readonly store: SessionStore;
  private timer: ReturnType<typeof setInterval> | undefined;
  private renewing: Promise<void> | undefined;

  private constructor(endpoint: string, store: SessionStore, session: SessionResponse) {
    this.endpoint = endpoint;
    this.store = store;
    this.session = session;
  }

  /** The stored identity (renewed if due), or a new one; rejects with {@link SessionRefused} for a revoked player. */
  static async open(endpoint: string, store: SessionStore, name?: string): Promise<SessionKeeper> {
    const stored = store.load();
    if (!stored) return SessionKeeper.fresh(endpoint, store, name);
    const keeper = new SessionKeeper(endpoint, store, stored);
    try {
      await keeper.renewIfDue();
    } catch (error) {
      if (error instanceof SessionRefused && !error.revoked) return SessionKeeper.fresh(endpoint, store, name);
      throw error;
    }
    return keeper;
  }

  private static async fresh(endpoint: string, store: SessionStore, name?: string): Promise<SessionKeeper> {
    const session = await requestSession(endpoint, name);
    store.save(session);
    return new SessionKeeper(endpoint, store, session);
  }

  get current(): Readonly<SessionResponse> {
    return this.session;
  }

  /** Renews the token while the client runs; `onRenewed` gets each new one, `onError` each failure. */
  start(onRenewed: (token: string) => void, onError: (error: Error) => void): void {
    this.timer ??= setInterval(() => {
      const before = this.session.token;
      this.renewIfDue().then(
        () => {
          if (this.session.token !== before) onRenewed(this.session.token);
        },
        (error: Error) => onError(error),
      );
    }, CHECK_EVERY_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Renews the token once half its life has gone (at once for a token that does not say when it expires). */
  private renewIfDue(now = Date.now()): Promise<void> {
    const { token, expiresAt } = this.session;
    const issuedAt = tokenIssuedAt(token);
    if (expiresAt > 0 && issuedAt > 0 && now < issuedAt + (expiresAt - issuedAt) / 2) return Promise.resolve();
    this.renewing ??= renewSession(this.endpoint, token)
      .then(({ token: renewed, expiresAt: until }) => {
        this.session = { ...this.session, token: renewed, expiresAt: until };
        this.store.save(this.session);
      })
      .finally(() => (this.renewing = undefined));
    return this.renewing;
  }
}
