import { defineConfig } from "vite";

/** `npx vite examples/console` serves it; `npx vite build examples/console` builds it into dist/. */
export default defineConfig({
  root: import.meta.dirname,
  // graphql ships CJS and ESM builds; one copy keeps Apollo Client's checks working.
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.mjs" }] },
  build: { outDir: "dist", emptyOutDir: true },
  logLevel: "warn",
});
