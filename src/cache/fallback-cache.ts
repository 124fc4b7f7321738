/**
 * A cache shared by the replicas (Redis) that never fails a request nor makes one wait long.
 *
 * Why it exists: Apollo Server awaits its persisted-query cache inside the request, and the token
 * validator awaits its cache before every upstream call, so a Redis that refuses connections, was
 * stopped, or accepts them and never answers would otherwise fail or stall requests. Here every
 * read and write of the shared store is bounded in time, and whatever it cannot do is done in this
 * replica's memory. Writes go to both, so that a replica cut off from Redis still finds what it
 * wrote itself; reads try the shared store first, then memory. The outage is logged once per
 * replica, by the Reachability all the shared caches report to.
 */
import type { KeyValueCache, KeyValueCacheSetOptions } from "@apollo/utils.keyvaluecache";
import type { Reachability } from "./reachability.js";

export interface FallbackCacheOptions {
  /** The longest wait for the shared store, per operation. */
  readonly timeoutMs: number;
  readonly reachability: Reachability;
}

export class FallbackCache implements KeyValueCache<string> {
  constructor(
    private readonly shared: KeyValueCache<string>,
    private readonly memory: KeyValueCache<string>,
    private readonly options: FallbackCacheOptions,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const found = await this.bounded(() => this.shared.get(key));
    return found ?? this.memory.get(key);
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    await Promise.all([
      this.memory.set(key, value, options),
      this.bounded(() => this.shared.set(key, value, options)),
    ]);
  }

  async delete(key: string): Promise<boolean | void> {
    const [memory, shared] = await Promise.all([
      this.memory.delete(key),
      this.bounded(() => this.shared.delete(key)),
    ]);
    return shared === true || memory === true;
  }

  /** The shared store's answer, or undefined when it failed, took too long or is known down. */
  private async bounded<T>(operation: () => Promise<T>): Promise<T | undefined> {
    const { reachability, timeoutMs } = this.options;
    if (!reachability.shouldTry()) {
      return undefined;
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<typeof LATE>((resolve) => {
      timer = setTimeout(() => resolve(LATE), timeoutMs);
    });
    try {
      const result = await Promise.race([operation(), late]);
      if (result === LATE) {
        reachability.failed(new Error(`no answer within ${timeoutMs} ms`));
        return undefined;
      }
      reachability.answered();
      return result;
    } catch (error) {
      reachability.failed(error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}

const LATE: unique symbol = Symbol("late");
