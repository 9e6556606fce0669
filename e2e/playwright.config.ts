import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumExecutable } from "./chromium.ts";

const port = Number(process.env.E2E_PORT ?? 2597);
const executablePath = chromiumExecutable();
const dataDir = mkdtempSync(join(tmpdir(), "tessera-e2e-"));

export default defineConfig({
  testDir: ".",
  outputDir: "../test-results",
  timeout: 60_000,
  // Pages render in software here: a second page can wait seconds for its first frames.
  expect: { timeout: 30_000 },
  // Software WebGL is heavy: one worker keeps frames flowing for every page.
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    viewport: { width: 1280, height: 720 },
    launchOptions: { args: CHROMIUM_ARGS, ...(executablePath ? { executablePath } : {}) },
    trace: "retain-on-failure",
  },
  webServer: {
    command: "npx tsx apps/relay/src/main.ts",
    cwd: "..",
    url: `http://localhost:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    env: { PORT: String(port), DATA_DIR: dataDir, CLIENT_DIR: "dist/client" },
  },
});
