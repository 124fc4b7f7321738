/**
 * The production build: tsc's output (dist/src) bundled into a few ES modules under dist/bundle,
 * which `npm start` runs. One file instead of some 700 modules to resolve, read and link spares
 * most of the start-up time; packages resolve exactly as Node.js resolves them.
 */
import { defineConfig } from "rolldown";

export default defineConfig({
  input: {
    // The entry point, and the two modules the benchmark and embedding code load.
    index: "dist/src/index.js",
    app: "dist/src/app.js",
    config: "dist/src/config.js",
  },
  platform: "node",
  // type-graphql imports class-validator only when argument validation is switched on, which the
  // gateway never does; it is not installed.
  // OpenTelemetry's SDK is loaded only when an OTEL_* setting asks for it: left out of the bundle,
  // it costs the default start nothing, and Node.js loads its CommonJS modules natively (bundled,
  // every access between its modules went through an interop getter).
  external: ["class-validator", /^@opentelemetry\//],
  output: {
    dir: "dist/bundle",
    format: "esm",
    sourcemap: true,
    chunkFileNames: "chunks/[name]-[hash].js",
    // Chunks are content-hashed: without this, every build would leave the previous ones behind.
    cleanDir: true,
    // V8 keeps each script's source in the heap, as one byte per character only when every
    // character is Latin-1: a single non-ASCII character in a dependency's string literal doubled
    // the 2 MB main chunk to 4 MB. Escaped, and without comments, it takes 1.8 MB.
    charset: "ascii",
    comments: false,
  },
});
