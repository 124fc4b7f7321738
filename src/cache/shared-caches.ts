/**
 * The caches the replicas share when REDIS_URL is set: Apollo Server's automatic persisted queries
 * and the validated tokens. Redis is reached through maintained libraries: `@keyv/redis` (the
 * official Redis client underneath) behind `keyv`, and Apollo's own `KeyvAdapter`, which turns a
 * Keyv store into the cache Apollo Server takes and batches its reads. FallbackCache keeps every
 * request independent of Redis's health. Without REDIS_URL, each replica keeps its caches in memory
 * as before (Apollo's default for the persisted queries).
 */
import { InMemoryLRUCache, type KeyValueCache } from "@apollo/utils.keyvaluecache";
import { KeyvAdapter } from "@apollo/utils.keyvadapter";
import KeyvRedis, { createClient, Keyv } from "@keyv/redis";
import type { Logger } from "pino";
import { FallbackCache } from "./fallback-cache.js";

export interface SharedCaches {
  /** For Apollo Server's persisted queries; undefined: its own default, in memory. */
  readonly apq: KeyValueCache<string> | undefined;
  /** For the validated tokens; null: the validator's own memory only. */
  readonly tokens: KeyValueCache<string> | null;
  close(): Promise<void>;
}

export interface SharedCachesOptions {
  readonly redisUrl: URL | null;
  readonly keyPrefix: string;
  readonly logger: Logger;
}

/** The longest a request waits for Redis, per operation; then memory answers. */
const REDIS_TIMEOUT_MS = 250;
const CONNECT_TIMEOUT_MS = 1_000;
/** Persisted queries kept in memory per replica, as Apollo's default cache does (about 30 MB). */
const MEMORY_BYTES = 30_000_000;

export function openSharedCaches(options: SharedCachesOptions): SharedCaches {
  const { redisUrl, keyPrefix, logger } = options;
  if (redisUrl === null) {
    return { apq: undefined, tokens: null, close: () => Promise.resolve() };
  }
  const log = logger.child({ component: "redis" });
  const client = createClient({
    url: redisUrl.toString(),
    // Commands fail at once while disconnected instead of queueing without bound; the client
    // reconnects by itself, backing off to one attempt every 5 s.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5_000),
    },
  });
  // Without a listener an 'error' event would end the process; FallbackCache logs the outage.
  client.on("error", (error: unknown) =>
    log.debug({ err: error instanceof Error ? error.message : String(error) }, "redis client error"),
  );
  client.connect().catch(() => undefined);
  const store = new KeyvRedis(client, {
    namespace: keyPrefix,
    keyPrefixSeparator: "",
    throwOnConnectError: false,
    throwOnErrors: true,
  });
  // Keyv hands its namespace to the store, which puts it before every key: `<prefix>apq:<hash>`.
  const keyv = new Keyv<string>({ store, namespace: keyPrefix, useKeyPrefix: false, throwOnErrors: true });
  // KeyvAdapter's types name keyv's CommonJS build, this module its ES one: the same class.
  const shared = new KeyvAdapter<string>(
    keyv as unknown as ConstructorParameters<typeof KeyvAdapter<string>>[0],
  );
  // While the client is not connected, KeyvRedis answers nothing found rather than failing: asked
  // here first, so that FallbackCache knows Redis is away (and says so) instead of missing it.
  const notConnected = (): Promise<never> => Promise.reject(new Error("not connected to redis"));
  const connected: KeyValueCache<string> = {
    get: (key) => (client.isReady ? shared.get(key) : notConnected()),
    set: (key, value, options) => (client.isReady ? shared.set(key, value, options) : notConnected()),
    delete: (key) => (client.isReady ? shared.delete(key) : notConnected()),
  };
  const fallback = (name: string): FallbackCache =>
    new FallbackCache(
      connected,
      new InMemoryLRUCache<string>({ maxSize: MEMORY_BYTES, sizeCalculation: (value) => value.length + 64 }),
      { timeoutMs: REDIS_TIMEOUT_MS, log, name },
    );
  log.info({ host: redisUrl.hostname, port: redisUrl.port || "6379", keyPrefix }, "shared caches in redis");
  return {
    apq: fallback("apq"),
    tokens: fallback("token"),
    async close() {
      try {
        await client.close();
      } catch {
        client.destroy();
      }
    },
  };
}
