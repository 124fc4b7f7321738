/**
 * undici's connection pool and the one error class the HTTP client tells apart, loaded from their
 * own modules rather than from the package index. The index also loads fetch, WebSocket, caches,
 * proxies and mocks, none of which the gateway uses: about 9 MB of resident memory in every
 * process. The classes are the very ones the index exports (a test checks it), typed as such.
 */
import { createRequire } from "node:module";
import type { Pool as UndiciPool, errors as undiciErrors } from "undici";

const load = createRequire(import.meta.url);

export const Pool = load("undici/lib/dispatcher/pool.js") as typeof UndiciPool;
export type Pool = UndiciPool;

export const { ResponseContentLengthMismatchError } = load(
  "undici/lib/core/errors.js",
) as typeof undiciErrors;
