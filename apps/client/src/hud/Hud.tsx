import { useEffect, useState } from "react";
import type { WorldClient } from "@tessera/sdk";
import { tileOf } from "@tessera/protocol";
import { ChatPanel } from "../chat/ChatPanel.tsx";
import { useWorldVersion } from "../net/useWorldConnection.ts";
import { NetPanel } from "./NetPanel.tsx";
import type { TextureSource } from "../textures/texture-source.ts";

const REFRESH_MS = 200;

function Readout({ client }: { client: WorldClient }) {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  useWorldVersion(client);
  const own = client.ownShownPosition;
  const tile = own ? tileOf(own.x, own.z, client.world.tileSize) : undefined;
  return (
    <div className="hud-panel" data-testid="hud">
      <div className="hud-title">
        <span className={`status-dot status-${client.status}`} />
        <strong>{client.name}</strong>
        <span className="muted">{client.status}{client.rttMs > 0 ? ` · ${Math.round(client.rttMs)} ms` : ""}</span>
      </div>
      <div className="hud-row">
        <span className="muted">position</span>
        <span data-testid="hud-position">{own ? `${own.x.toFixed(1)}, ${own.y.toFixed(1)}, ${own.z.toFixed(1)}` : "…"}</span>
      </div>
      <div className="hud-row">
        <span className="muted">tile</span>
        <span data-testid="hud-tile">{tile ? `${tile.tx}, ${tile.tz}` : "…"}</span>
      </div>
      <div className="hud-row">
        <span className="muted">nearby</span>
        <span>{[...client.avatars()].length}</span>
      </div>
    </div>
  );
}

/** The connection banner: shown whenever the player is not live in the world. */
function Banner({ client, error, now = 0 }: { client?: WorldClient; error?: string; now?: number }) {
  const status = client?.status;
  if (!client) {
    return <div className="banner banner-wait" role="status">{error ? `Can't reach the world (${error}). Retrying…` : "Connecting to the world…"}</div>;
  }
  if (status === "reconnecting") {
    const away = client.reconnect;
    const seconds = away ? Math.floor((now - away.since) / 1000) : 0;
    return (
      <div className="banner banner-wait" role="status">
        Connection lost {seconds > 0 ? `${seconds} s ago` : "just now"}. Reconnecting…
        {away && away.attempt > 0 ? ` (attempt ${away.attempt}${away.lastError ? `: ${away.lastError}` : ""})` : ""}
      </div>
    );
  }
  if (status === "replaced") {
    return (
      <div className="banner banner-stop" role="status">
        You joined from another tab or device, so this one is paused.{" "}
        <button type="button" onClick={() => location.reload()}>Play here</button>
      </div>
    );
  }
  if (status === "revoked") return <div className="banner banner-stop" role="status">An operator removed this player from the world.</div>;
  if (status === "offline") return <div className="banner banner-stop" role="status">Disconnected.</div>;
  return null;
}

/** Overlay: who and where the player is, connection state, and how to move. */
export function Hud({ client, textures, error, notices }: { client?: WorldClient; textures: TextureSource; error?: string; notices: string[] }) {
  return (
    <div className="hud">
      {client && <Readout client={client} />}
      {client && <NetPanel client={client} textures={textures} />}
      {client && <ChatPanel client={client} />}
      {client ? <ClientBanner client={client} /> : <Banner {...(error ? { error } : {})} />}
      {notices.length > 0 && (
        <div className="notice" role="alert">
          {notices.map((notice) => (
            <div key={notice}>{notice}</div>
          ))}
        </div>
      )}
      <div className="help">
        <kbd>W A S D</kbd> walk · <kbd>Shift</kbd> run · <kbd>Space</kbd> jump · drag to look · wheel to zoom · <kbd>Enter</kbd> chat · <kbd>B</kbd> build · <kbd>F3</kbd> network
      </div>
    </div>
  );
}

function ClientBanner({ client }: { client: WorldClient }) {
  useWorldVersion(client);
  // While away, the banner counts the seconds.
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (client.status !== "reconnecting") return;
    const timer = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(timer);
  }, [client, client.status]);
  return <Banner client={client} now={now} />;
}
