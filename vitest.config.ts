import { defineConfig } from "vitest/config";

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
          // Tests of relays sharing Redis (apps/relay/test/cluster*.test.ts) run alongside the rest:
          // each file has a Redis database of its own, and the relays prefix their pub/sub channels
          // with it (apps/relay/src/cluster/world-presence.ts), so no two files share a world.
          exclude: ["**/node_modules/**"],
        },
      },
    ],
  },
});
