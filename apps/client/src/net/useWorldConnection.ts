import { useEffect, useState, useSyncExternalStore } from "react";
import { WorldClient, localSessionStore, type WorldClientOptions } from "@tessera/sdk";

const RETRY_MS = 2000;

export interface WorldConnection {
  client?: WorldClient;
  /** Why the last attempt to reach the world failed; cleared on success. */
  error?: string;
}

/** What the page asks of its connection (from its address). */
export type ConnectOptions = Pick<WorldClientOptions, "name" | "lag" | "viewRadius">;

/** Connects to the world once per mount, retrying until the relay answers; leaves on unmount. */
export function useWorldConnection(endpoint: string, options: ConnectOptions): WorldConnection {
  const [connection, setConnection] = useState<WorldConnection>({});
  useEffect(() => {
    let cancelled = false;
    let client: WorldClient | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const attempt = () => {
      WorldClient.connect({ ...options, endpoint, store: localSessionStore() }).then(
        (connected) => {
          if (cancelled) {
            void connected.leave();
            return;
          }
          client = connected;
          setConnection({ client });
        },
        (error: unknown) => {
          if (cancelled) return;
          setConnection({ error: error instanceof Error ? error.message : String(error) });
          retry = setTimeout(attempt, RETRY_MS);
        },
      );
    };
    // Closing the tab leaves at once; a dropped connection would linger for the reconnection window.
    const leave = () => void client?.leave();
    window.addEventListener("pagehide", leave);
    attempt();
    return () => {
      cancelled = true;
      clearTimeout(retry);
      window.removeEventListener("pagehide", leave);
      leave();
    };
  }, [endpoint, options]);
  return connection;
}

/** Re-renders on the client's slow changes (status, avatars arriving or leaving). */
export function useWorldVersion(client: WorldClient): number {
  return useSyncExternalStore(client.subscribe, () => client.version);
}
