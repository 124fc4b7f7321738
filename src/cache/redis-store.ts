/**
 * One connection to Redis, seen as the key-value cache Apollo Server takes.
 *
 * Redis is reached through maintained libraries rather than our own protocol code: `@keyv/redis`
 * (over the official client, `@redis/client`) behind `keyv`, and Apollo's own `KeyvAdapter`, which
 * turns a Keyv into a `KeyValueCache` (TTLs in seconds, as Apollo Server gives them) and batches
 * concurrent reads into one MGET. This file only sets the client up so that it can never hold a
 * request: commands fail at once while disconnected (no offline queue), each command has a
 * deadline, and every 'error' event has a listener (one without would end the process).
 */
import type { KeyValueCache } from "@apollo/utils.keyvaluecache";
import { KeyvAdapter } from "@apollo/utils.keyvadapter";
import KeyvRedis, { createClient, Keyv } from "@keyv/redis";

export interface RedisStoreOptions {
  readonly url: URL;
  /** Put before every key: `<prefix>apq:<hash>`, `<prefix>token:<hash>`. */
  readonly keyPrefix: string;
  /** The client gives up on a command after this long. */
  readonly commandTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** Every error the client or the store reports (the client reports each failed reconnection). */
  readonly onError: (error: unknown) => void;
  /** The connection is (again) ready for commands. */
  readonly onReady: () => void;
}

export interface RedisStore {
  readonly cache: KeyValueCache<string>;
  /** Resolves when the first connection is ready; rejects when it fails or is closed first. */
  readonly connected: Promise<void>;
  close(): Promise<void>;
}

export function openRedisStore(options: RedisStoreOptions): RedisStore {
  const client = createClient({
    url: options.url.toString(),
    // Commands fail at once while disconnected instead of queueing without bound; the client
    // reconnects by itself, backing off to one attempt every 5 s.
    disableOfflineQueue: true,
    commandOptions: { timeout: options.commandTimeoutMs },
    socket: {
      connectTimeout: options.connectTimeoutMs,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5_000),
    },
  });
  client.on("error", options.onError);
  client.on("ready", options.onReady);
  const connected = client.connect().then(() => undefined);
  // Also reported through 'error'; the caller decides how long to wait for it.
  connected.catch(() => undefined);

  const store = new KeyvRedis(client, {
    namespace: options.keyPrefix,
    keyPrefixSeparator: "",
    throwOnConnectError: false,
    throwOnErrors: true,
  });
  store.on("error", options.onError);
  // Keyv hands its namespace to the store, which puts it before every key: `<prefix>apq:<hash>`.
  const keyv = new Keyv<string>({
    store,
    namespace: options.keyPrefix,
    useKeyPrefix: false,
    throwOnErrors: true,
  });
  keyv.on("error", options.onError);
  // KeyvAdapter's types name keyv's CommonJS build, this module its ES one: the same class.
  const adapter = new KeyvAdapter<string>(
    keyv as unknown as ConstructorParameters<typeof KeyvAdapter<string>>[0],
  );
  // While the client is not connected, KeyvRedis would try to connect itself and then answer
  // "nothing found" rather than fail: asked here first, so that a missing Redis is an error.
  const notConnected = (): Promise<never> => Promise.reject(new Error("not connected to redis"));
  const cache: KeyValueCache<string> = {
    get: (key) => (client.isReady ? adapter.get(key) : notConnected()),
    set: (key, value, setOptions) => (client.isReady ? adapter.set(key, value, setOptions) : notConnected()),
    delete: (key) => (client.isReady ? adapter.delete(key) : notConnected()),
  };

  /**
   * Dropped rather than closed gracefully: the client's close() waits for every reply still owed,
   * forever when Redis has stalled, and its destroy() is refused once close() has begun. By the
   * time the gateway closes its caches no request waits on them, and a write lost is only a cache
   * entry. Also stops the reconnection attempts; closing twice is harmless.
   */
  const close = (): Promise<void> => {
    client.off("ready", options.onReady);
    if (client.isOpen) {
      client.destroy();
    }
    return Promise.resolve();
  };

  return {
    cache,
    connected,
    close,
  };
}
