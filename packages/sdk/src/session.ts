import type { RenewResponse, SessionResponse } from "@tessera/protocol";

/** Where a guest identity is kept between visits. */
export interface SessionStore {
  load(): SessionResponse | undefined;
  save(session: SessionResponse): void;
}

/** Keeps the identity for this process only (bots, tests). */
export function memorySessionStore(): SessionStore {
  let kept: SessionResponse | undefined;
  return {
    load: () => kept,
    save: (session) => {
      kept = session;
    },
  };
}

/** Keeps the identity in the browser's localStorage, so a reload is the same player. */
export function localSessionStore(key = "tessera.session"): SessionStore {
  return {
    load() {
      try {
        const value = JSON.parse(localStorage.getItem(key) ?? "null") as Partial<SessionResponse> | null;
        return value && typeof value.playerId === "string" && typeof value.token === "string" && typeof value.name === "string"
          ? { ...(value as SessionResponse), expiresAt: typeof value.expiresAt === "number" ? value.expiresAt : 0 }
          : undefined;
      } catch {
        return undefined;
      }
    },
    save(session) {
      localStorage.setItem(key, JSON.stringify(session));
    },
  };
}

/** Asks the relay for a new guest identity. */
export async function requestSession(httpBase: string, name?: string): Promise<SessionResponse> {
  const response = await fetch(new URL("/api/session", httpBase), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(name === undefined ? {} : { name }),
  });
  if (!response.ok) throw new Error(`POST /api/session: ${response.status} ${await response.text()}`);
  return (await response.json()) as SessionResponse;
}

/** Why the relay would not renew a token: it expired (or is not one), or the player was revoked. */
export class SessionRefused extends Error {
  override name = "SessionRefused";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }

  get revoked(): boolean {
    return this.status === 403;
  }
}

/** Swaps a token for a fresh one of the same player; rejects with {@link SessionRefused} when the relay says no. */
export async function renewSession(httpBase: string, token: string): Promise<RenewResponse> {
  const response = await fetch(new URL("/api/session/renew", httpBase), { method: "POST", headers: { authorization: `Bearer ${token}` } });
  if (response.status === 401 || response.status === 403) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new SessionRefused(response.status, body.message ?? response.statusText);
  }
  if (!response.ok) throw new Error(`POST /api/session/renew: ${response.status} ${await response.text()}`);
  return (await response.json()) as RenewResponse;
}

/** When a token was issued (ms since 1970), read from the token itself; 0 for one that says nothing. */
export function tokenIssuedAt(token: string): number {
  const issued = token.split(".")[1];
  return issued && /^[0-9a-z]{1,8}$/.test(issued) ? parseInt(issued, 36) * 1000 : 0;
}
