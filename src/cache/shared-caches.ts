/**
 * The caches the replicas share when REDIS_URL is set: Apollo Server's automatic persisted queries
 * and the validated tokens. Both live in Redis (`redis-store.ts`: keyv, @keyv/redis and Apollo's
 * KeyvAdapter, maintained libraries) behind a FallbackCache each (`fallback-cache.ts`), which keeps
 * every request independent of Redis's health: bounded waits, this replica's memory when Redis does
 * not answer, one warning per outage (`reachability.ts`). Without REDIS_URL, each replica keeps its
 * caches in memory as before (Apollo's default for the persisted queries).
 */
import { InMemoryLRUCache, type KeyValueCache } from "@apollo/utils.keyvaluecache";
import type { Logger } from "pino";
import { FallbackCache } from "./fallback-cache.js";
import { Reachability } from "./reachability.js";
import { openRedisStore } from "./redis-store.js";

export interface SharedCaches {
  /** For Apollo Server's persisted queries; undefined: its own default, in memory. */
  readonly apq: KeyValueCache<string> | undefined;
  /** For the validated tokens; null: the validator's own memory only. */
  readonly tokens: KeyValueCache<string> | null;
  /** Closes the connection to Redis (bounded in time); the process may then exit. */
  close(): Promise<void>;
}

export interface SharedCachesOptions {
  readonly redisUrl: URL | null;
  readonly keyPrefix: string;
  readonly logger: Logger;
}

/** The longest a request waits for Redis, per operation; then memory answers. */
export const REDIS_TIMEOUT_MS = 250;
/** The longest the start waits for the first connection; then the replica starts without it. */
const CONNECT_TIMEOUT_MS = 1_000;
/** Persisted queries kept in memory per replica, as Apollo's default cache does (about 30 MB). */
const APQ_MEMORY_BYTES = 30_000_000;
/**
 * Validated tokens kept in memory per replica when Redis does not answer: about 10 000 entries of
 * a few hundred bytes, as many as the validator's own cache in front of it holds.
 */
const TOKEN_MEMORY_BYTES = 5_000_000;

/**
 * Opens the shared caches. With REDIS_URL, waits for the first connection at most
 * CONNECT_TIMEOUT_MS: a Redis that is down at start is logged once and the replica starts anyway.
 */
export async function openSharedCaches(options: SharedCachesOptions): Promise<SharedCaches> {
  const { redisUrl, keyPrefix, logger } = options;
  if (redisUrl === null) {
    return { apq: undefined, tokens: null, close: () => Promise.resolve() };
  }
  const log = logger.child({ component: "redis" });
  const reachability = new Reachability(log);
  const redis = openRedisStore({
    url: redisUrl,
    keyPrefix,
    commandTimeoutMs: REDIS_TIMEOUT_MS,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    onError: (error) => reachability.failed(error),
    onReady: () => reachability.answered(),
  });
  const where = { host: redisUrl.hostname, port: redisUrl.port || "6379", keyPrefix };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no connection within ${CONNECT_TIMEOUT_MS} ms`)),
      CONNECT_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([redis.connected, late]);
    log.info(where, "shared caches in redis");
  } catch (error) {
    reachability.failed(error);
  } finally {
    clearTimeout(timer);
  }
  const fallback = (maxSize: number): FallbackCache =>
    new FallbackCache(
      redis.cache,
      new InMemoryLRUCache<string>({ maxSize, sizeCalculation: (value) => value.length + 64 }),
      { timeoutMs: REDIS_TIMEOUT_MS, reachability },
    );
  return {
    apq: fallback(APQ_MEMORY_BYTES),
    tokens: fallback(TOKEN_MEMORY_BYTES),
    close: () => redis.close(),
  };
}
