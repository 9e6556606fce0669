import { defineConfig } from "vitest/config";

/** Tests of relays sharing Redis: room channels are the same in every Redis database, so they take turns. */
const SHARED_REDIS = ["apps/relay/test/cluster*.test.ts"];

export default defineConfig({
  test: {
    // Each file gets its own process: a relay's matchmaker is a per-process singleton.
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "default",
          include: ["packages/**/*.test.ts", "apps/**/*.test.ts", "bench/**/*.test.ts"],
          exclude: ["**/node_modules/**", ...SHARED_REDIS],
        },
      },
      { extends: true, test: { name: "shared-redis", include: SHARED_REDIS, fileParallelism: false } },
    ],
  },
});
