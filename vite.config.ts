import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
/** In dev, the relay that Vite proxies to: an existing one (`RELAY_URL`), or one this config starts. */
const relayUrl = process.env.RELAY_URL ?? `http://localhost:${process.env.RELAY_PORT ?? 2567}`;

/** Starts a relay that restarts on change next to `vite` (dev only), unless RELAY_URL names one. */
function relayDuringDev(): Plugin {
  let relay: ChildProcess | undefined;
  return {
    name: "tessera-relay",
    apply: "serve",
    configureServer(server) {
      if (process.env.RELAY_URL) return;
      relay = spawn(process.execPath, ["--import", "tsx", "--watch", "apps/relay/src/main.ts"], {
        cwd: root,
        stdio: "inherit",
        env: { ...process.env, PORT: new URL(relayUrl).port },
      });
      server.httpServer?.once("close", () => relay?.kill());
    },
  };
}

export default defineConfig({
  root: "apps/client",
  publicDir: `${root}public`,
  plugins: [react(), relayDuringDev()],
  build: {
    outDir: `${root}dist/client`,
    emptyOutDir: true,
    sourcemap: true,
    target: "es2022",
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: { main: `${root}apps/client/index.html`, gallery: `${root}apps/client/gallery.html` },
    },
  },
  server: {
    proxy: {
      "/api": relayUrl,
      "/textures": relayUrl,
      "/matchmake": relayUrl,
      // Colyseus room sockets live at /<processId>/<roomId>.
      "^/[A-Za-z0-9_-]+/tile_-?\\d+_-?\\d+": { target: relayUrl, ws: true },
    },
  },
});
