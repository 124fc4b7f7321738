import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS and ESM builds; Vite would load both and break
    // `instanceof` checks between type-graphql, Apollo Server and the tests.
    alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
  },
  test: {
    setupFiles: ["test/setup.ts"],
    include: ["test/**/*.test.ts"],
    exclude: [
      "test/**/*.glance.test.ts",
      "test/**/*.keystone.test.ts",
      "test/**/*.redis.test.ts",
      "node_modules/**",
    ],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
