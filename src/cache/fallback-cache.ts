/**
 * A cache shared by the replicas (Redis) that never fails a request nor makes one wait long.
 *
 * Why it exists: Apollo Server awaits its persisted-query cache inside the request, and the token
 * validator awaits its cache before every upstream call, so a Redis that refuses connections, was
 * stopped, or accepts them and never answers would otherwise fail or stall requests. Here every
 * read and write of the shared store is bounded in time, and whatever it cannot do is done in this
 * replica's memory. Writes and deletes go to both, so that a replica cut off from Redis still finds
 * what it wrote itself. A read that Redis answers is Redis's answer, found or not (an entry another
 * replica deleted, or Redis evicted, is gone for all); memory answers only when Redis does not. The
 * outage is logged once per replica, by the Reachability all the shared caches report to.
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
    const shared = await this.bounded(() => this.shared.get(key));
    return shared.answered ? shared.value : this.memory.get(key);
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
    return (shared.answered && shared.value === true) || memory === true;
  }

  /** The shared store's answer, or none when it failed, took too long or is known down. */
  private async bounded<T>(operation: () => Promise<T>): Promise<Answer<T>> {
    const { reachability, timeoutMs } = this.options;
    if (!reachability.shouldTry()) {
      return NO_ANSWER;
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<typeof LATE>((resolve) => {
      timer = setTimeout(() => resolve(LATE), timeoutMs);
    });
    try {
      const result = await Promise.race([operation(), late]);
      if (result === LATE) {
        reachability.failed(new Error(`no answer within ${timeoutMs} ms`));
        return NO_ANSWER;
      }
      reachability.answered();
      return { answered: true, value: result };
    } catch (error) {
      reachability.failed(error);
      return NO_ANSWER;
    } finally {
      clearTimeout(timer);
    }
  }
}

type Answer<T> = { readonly answered: true; readonly value: T } | { readonly answered: false };

const NO_ANSWER = { answered: false } as const;
const LATE: unique symbol = Symbol("late");
