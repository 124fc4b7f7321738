/**
 * A cache shared by the replicas (Redis) that never fails a request: every read and write of the
 * shared store is bounded in time, and whatever it cannot do is done in this replica's memory.
 * Writes go to both, so that a replica cut off from Redis still finds what it wrote itself; reads
 * try the shared store first, then memory. One warning when the shared store stops answering, one
 * line when it answers again.
 */
import type { KeyValueCache, KeyValueCacheSetOptions } from "@apollo/utils.keyvaluecache";

export interface FallbackLog {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

export interface FallbackCacheOptions {
  /** The longest wait for the shared store, per operation. */
  readonly timeoutMs: number;
  readonly log: FallbackLog;
  /** Named in the log lines. */
  readonly name: string;
}

export class FallbackCache implements KeyValueCache<string> {
  private down = false;

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

  /** The shared store's answer, or undefined when it failed or took too long. */
  private async bounded<T>(operation: () => Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), this.options.timeoutMs);
    });
    try {
      const result = await Promise.race([operation(), late]);
      if (result === "late") {
        this.markDown(new Error(`no answer within ${this.options.timeoutMs} ms`));
        return undefined;
      }
      this.markUp();
      return result;
    } catch (error) {
      this.markDown(error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private markDown(error: unknown): void {
    if (!this.down) {
      this.down = true;
      this.options.log.warn(
        { cache: this.options.name, err: error instanceof Error ? error.message : String(error) },
        "shared cache unreachable: this replica uses its own memory until it answers again",
      );
    }
  }

  private markUp(): void {
    if (this.down) {
      this.down = false;
      this.options.log.info({ cache: this.options.name }, "shared cache answering again");
    }
  }
}
