import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/**/*.test.ts", "apps/**/*.test.ts", "bench/**/*.test.ts"],
    // Each file gets its own process: a relay's matchmaker is a per-process singleton.
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
