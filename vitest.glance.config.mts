import { defineConfig } from "vitest/config";

/** The suites that need a real Glance (npm run test:glance); the global setup installs and starts it. */
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
  test: {
    setupFiles: ["test/setup.ts"],
    globalSetup: ["test/glance/global-setup.ts"],
    include: ["test/glance/**/*.glance.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
