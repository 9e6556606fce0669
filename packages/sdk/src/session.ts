import type { SessionResponse } from "@tessera/protocol";

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
          ? (value as SessionResponse)
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
