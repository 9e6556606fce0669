import { useEffect, useState } from "react";
import type { NetStats, WorldClient } from "@tessera/sdk";
import { TEXTURE_TIERS } from "@tessera/textures";
import type { TextureSource, TextureStats } from "../textures/texture-source.ts";

const REFRESH_MS = 250;
const TOGGLE_KEY = "F3";

const rows: [label: string, value: (net: NetStats) => string][] = [
  ["round trip", (net) => `${Math.round(net.rttMs)} ms`],
  ["server tick", (net) => String(net.serverTick)],
  ["interp. delay", (net) => `${Math.round(net.interpolationDelayMs)} ms (jitter ${Math.round(net.jitterMs)})`],
  ["pred. error", (net) => `${net.predictionErrorCm.p50.toFixed(1)} / ${net.predictionErrorCm.p99.toFixed(1)} cm (p50 / p99)`],
  ["corrections", (net) => `${Math.round(net.correctionsPerMinute)} / min`],
  ["down / up", (net) => `${net.kbpsDown.toFixed(1)} / ${net.kbpsUp.toFixed(1)} kbps`],
  ["in view", (net) => `${net.entities}`],
];

const MIB = 1024 * 1024;
const textureRows: [label: string, value: (stats: TextureStats) => string][] = [
  ["fetched", (stats) => `${(stats.bytesFetched / MIB).toFixed(1)} MiB in ${stats.fetched} images`],
  ["by tier", (stats) => TEXTURE_TIERS.map((tier) => `${tier}: ${stats.tiers[tier]}`).join(" · ")],
  ["GPU-compressed", (stats) => String(stats.compressed)],
  ["GPU", (stats) => `${(stats.gpuBytes / MIB).toFixed(1)} of ${Math.round(stats.budgetBytes / MIB)} MiB (${(stats.usedBytes / MIB).toFixed(1)} in use)`],
  ["queue", (stats) => `${stats.queued} waiting · ${stats.inFlight} fetching${stats.failed > 0 ? ` · ${stats.failed} failed` : ""}`],
];

/** The network and texture stats overlay, shown and hidden with F3: what `__world.net()` and `__world.textures()` report. */
export function NetPanel({ client, textures }: { client: WorldClient; textures: TextureSource }) {
  const [open, setOpen] = useState(false);
  const [net, setNet] = useState<NetStats>(() => client.net);
  const [texture, setTexture] = useState<TextureStats>(() => textures.stats);
  useEffect(() => {
    const toggle = (event: KeyboardEvent) => {
      if (event.code !== TOGGLE_KEY) return;
      event.preventDefault();
      setOpen((shown) => !shown);
    };
    window.addEventListener("keydown", toggle);
    return () => window.removeEventListener("keydown", toggle);
  }, []);
  useEffect(() => {
    if (!open) return;
    const timer = setInterval(() => {
      setNet(client.net);
      setTexture(textures.stats);
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [client, textures, open]);
  if (!open) return null;
  return (
    <div className="hud-panel net-panel" data-testid="net-panel">
      <div className="hud-title">
        <strong>Network</strong>
        <span className="muted">F3 to hide</span>
      </div>
      {rows.map(([label, value]) => (
        <div className="hud-row" key={label}>
          <span className="muted">{label}</span>
          <span>{value(net)}</span>
        </div>
      ))}
      <div className="hud-title">
        <strong>Textures</strong>
      </div>
      {textureRows.map(([label, value]) => (
        <div className="hud-row" key={label}>
          <span className="muted">{label}</span>
          <span>{value(texture)}</span>
        </div>
      ))}
    </div>
  );
}
