import { mkdtempSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig, type PlaywrightTestConfig } from "@playwright/test";
import { TEST_DATABASE_URL } from "@tessera/store/testing";
import { CHROMIUM_ARGS, chromiumExecutable } from "./chromium.ts";

const port = Number(process.env.E2E_PORT ?? 2597);
/** The cluster project's relays: two processes on this port and the next, sharing Redis. */
const clusterPort = port + 10;
const CLUSTER_REDIS = "redis://127.0.0.1:6379/9";
/** The cluster's world: a schema of the test database, emptied first (e2e/cluster-server.ts). */
const CLUSTER_SCHEMA = "tessera_e2e";
const executablePath = chromiumExecutable();
const dataDir = mkdtempSync(join(tmpdir(), "tessera-e2e-"));

/** Whether something answers on 127.0.0.1:`port`: the cluster project needs Redis and PostgreSQL. */
async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("connect", () => done(true)).once("error", () => done(false));
  });
}

const withServices = (await answers(6379)) && (await answers(5432));
if (!withServices) {
  const message = "the e2e cluster project needs Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432";
  if (process.env.REQUIRE_SERVICES === "1") throw new Error(`${message}; REQUIRE_SERVICES=1 makes that a failure.`);
  console.warn(`Skipping the cluster project: ${message}.`);
}

const relay = (env: Record<string, string>, command: string, url: string): Exclude<NonNullable<PlaywrightTestConfig["webServer"]>, unknown[]> => ({
  command,
  cwd: "..",
  url,
  reuseExistingServer: false,
  timeout: 60_000,
  stdout: "pipe",
  env: { DATA_DIR: dataDir, CLIENT_DIR: "dist/client", ...env },
});

export default defineConfig({
  testDir: ".",
  outputDir: "../test-results",
  // Software WebGL on a small shared machine: a test with two players takes 20-30 s; leave room.
  timeout: 90_000,
  // Pages render in software here: a second page can wait seconds for its first frames.
  expect: { timeout: 30_000 },
  // Software WebGL is heavy: one worker keeps frames flowing for every page.
  workers: 1,
  reporter: [["list"]],
  use: {
    viewport: { width: 1280, height: 720 },
    launchOptions: { args: CHROMIUM_ARGS, ...(executablePath ? { executablePath } : {}) },
    trace: "retain-on-failure",
  },
  projects: [
    { name: "one relay", use: { baseURL: `http://localhost:${port}` } },
    // The spawn point on the border between tile_2_1 and tile_2_2, which the test places on different processes.
    ...(withServices ? [{ name: "cluster", testMatch: /handoff\.spec\.ts/, use: { baseURL: `http://localhost:${clusterPort}` } }] : []),
  ],
  webServer: [
    relay({ PORT: String(port) }, "npx tsx apps/relay/src/main.ts", `http://localhost:${port}/api/health`),
    ...(withServices
      ? [relay({ PORT: String(clusterPort), DATA_DIR: join(dataDir, "cluster"), REDIS_URL: CLUSTER_REDIS, DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: CLUSTER_SCHEMA, SPAWN: "160,128", AUTH_SECRET: "e2e-cluster-secret-0123456789-abcdef" }, "npx tsx e2e/cluster-server.ts --processes 2", `http://localhost:${clusterPort + 1}/api/health`)]
      : []),
  ],
});
