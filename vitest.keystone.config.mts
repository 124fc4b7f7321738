import { defineConfig } from "vitest/config";

/** The suites that need a real Keystone and Glance behind it (npm run test:keystone). */
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
  test: {
    setupFiles: ["test/setup.ts"],
    globalSetup: ["test/keystone/global-setup.ts"],
    include: ["test/keystone/**/*.keystone.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    pool: "forks",
    // One file at a time: the suites share the regions' Glance instances and the Keystone users.
    fileParallelism: false,
  },
});
