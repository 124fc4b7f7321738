import { defineConfig } from "vitest/config";

/**
 * Replicas sharing a real redis-server (npm run test:redis). The global setup starts the shared
 * server with test/redis/redis.sh, which installs Debian's redis-server when it is missing.
 */
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
  test: {
    setupFiles: ["test/setup.ts"],
    globalSetup: ["test/redis/global-setup.ts"],
    include: ["test/redis/**/*.redis.test.ts"],
    testTimeout: 60_000,
    // The first run may install redis-server.
    hookTimeout: 600_000,
    pool: "forks",
  },
});
