import { defineConfig } from "vitest/config";

/** Replicas sharing a real redis-server (npm run test:redis; bash test/redis/setup.sh installs it). */
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
  test: {
    setupFiles: ["test/setup.ts"],
    include: ["test/redis/**/*.redis.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
