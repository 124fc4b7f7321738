/**
 * The shared caches on their own (src/cache/), against real redis-servers: what one opening writes,
 * another finds, under the prefix and with the TTL given; a Redis that refuses connections, is
 * stopped mid-run or stalls (SIGSTOP) costs each operation at most its bound and falls back to
 * memory, with one warning and one line when it is back; close() leaves no socket behind.
 */
import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import { openSharedCaches, REDIS_TIMEOUT_MS, type SharedCaches } from "../../src/cache/shared-caches.js";
import { freePort, redisCommand, startRedis, type RedisServer } from "./processes.js";

const REDIS_URL = inject("redisUrl");
const REDIS_PORT = Number(new URL(REDIS_URL).port);

interface Opened {
  readonly caches: SharedCaches;
  /** The log lines written so far, parsed. */
  readonly lines: () => { level: number; msg: string }[];
}

const opened: SharedCaches[] = [];
const servers: RedisServer[] = [];

async function open(url: string, keyPrefix = `test-${randomUUID()}:`): Promise<Opened> {
  const written: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => written.push(line) });
  const caches = await openSharedCaches({ redisUrl: new URL(url), keyPrefix, logger });
  opened.push(caches);
  return {
    caches,
    lines: () => written.map((line) => JSON.parse(line) as { level: number; msg: string }),
  };
}

const warnings = (log: Opened): string[] =>
  log
    .lines()
    .filter((line) => line.level === 40)
    .map((line) => line.msg);
const infos = (log: Opened, text: string): number =>
  log.lines().filter((line) => line.level === 30 && line.msg.includes(text)).length;

/** Runs `operation` and returns how long it took, in ms. */
async function timed<T>(operation: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await operation();
  return [result, performance.now() - started];
}

async function until(check: () => Promise<boolean> | boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sockets = (): number =>
  process.getActiveResourcesInfo().filter((kind) => kind === "TCPSocketWrap").length;

afterEach(async () => {
  await Promise.all(opened.splice(0).map((caches) => caches.close()));
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});
afterAll(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

describe("shared caches in a real Redis", () => {
  it("what one replica writes, another reads, under the prefix and with the TTL", async () => {
    const prefix = `test-${randomUUID()}:`;
    const one = await open(REDIS_URL, prefix);
    const other = await open(REDIS_URL, prefix);
    await one.caches.apq!.set("apq:abc", "{ __typename }", { ttl: 300 });
    await one.caches.tokens!.set("token:xyz", '{"v":1}', { ttl: 60 });
    expect(await other.caches.apq!.get("apq:abc")).toBe("{ __typename }");
    expect(await other.caches.tokens!.get("token:xyz")).toBe('{"v":1}');
    // Keyv's own envelope around the value, under the prefix.
    expect(await redisCommand(REDIS_PORT, `GET ${prefix}apq:abc`)).toContain('"value":"{ __typename }"');
    const ttl = Number(/^:(\d+)/.exec(await redisCommand(REDIS_PORT, `TTL ${prefix}token:xyz`))?.[1]);
    expect(ttl).toBeGreaterThan(55);
    expect(ttl).toBeLessThanOrEqual(60);
    expect(await other.caches.apq!.delete("apq:abc")).toBe(true);
    expect(await one.caches.apq!.get("apq:abc")).toBeUndefined();
    expect(warnings(one)).toEqual([]);
    expect(infos(one, "shared caches in redis")).toBe(1);
  });

  it("without REDIS_URL there is nothing to open", async () => {
    const logger = pino({ level: "silent" });
    const caches = await openSharedCaches({ redisUrl: null, keyPrefix: "x:", logger });
    expect(caches.apq).toBeUndefined();
    expect(caches.tokens).toBeNull();
    await caches.close();
  });

  it("Redis down at start: opens within its bound, serves from memory, and shares once Redis is up", async () => {
    const port = await freePort();
    const [log, openMs] = await timed(() => open(`redis://127.0.0.1:${port}/0`));
    expect(openMs).toBeLessThan(2_000);
    const [, setMs] = await timed(() => log.caches.apq!.set("apq:k", "v"));
    const [found, getMs] = await timed(() => log.caches.apq!.get("apq:k"));
    expect(found).toBe("v");
    expect(setMs + getMs).toBeLessThan(REDIS_TIMEOUT_MS * 2 + 100);
    expect(warnings(log)).toHaveLength(1);

    const redis = await startRedis(port);
    servers.push(redis);
    // The client reconnects by itself (backing off to once every 5 s): one line when it is back.
    await until(() => infos(log, "answering again") === 1, "the reconnection");
    await log.caches.apq!.set("apq:k2", "v2");
    expect(await redis.command("DBSIZE")).toBe(":1\r\n");
    expect(warnings(log)).toHaveLength(1);
  });

  it("Redis stopped mid-run: each operation fails fast to memory, one warning, one line when back", async () => {
    const redis = await startRedis();
    servers.push(redis);
    const log = await open(redis.url);
    await log.caches.tokens!.set("token:a", "A", { ttl: 60 });
    await redis.stop();
    await until(() => warnings(log).length === 1, "the warning");
    for (let i = 0; i < 20; i++) {
      const [, ms] = await timed(async () => {
        await log.caches.tokens!.set(`token:${i}`, String(i), { ttl: 60 });
        expect(await log.caches.tokens!.get(`token:${i}`)).toBe(String(i));
        expect(await log.caches.apq!.get("apq:missing")).toBeUndefined();
      });
      expect(ms).toBeLessThan(REDIS_TIMEOUT_MS * 3 + 100);
    }
    // Written before the outage, read from this replica's memory during it.
    expect(await log.caches.tokens!.get("token:a")).toBe("A");
    expect(warnings(log)).toHaveLength(1);

    const back = await startRedis(redis.port);
    servers.push(back);
    await until(() => infos(log, "answering again") === 1, "the reconnection");
    await log.caches.tokens!.set("token:after", "x", { ttl: 60 });
    expect(await back.command("DBSIZE")).toBe(":1\r\n");
  });

  it("Redis stalled (SIGSTOP): bounded waits, then memory without waiting; close() does not hang", async () => {
    const redis = await startRedis();
    servers.push(redis);
    const log = await open(redis.url);
    await log.caches.apq!.set("apq:q", "Q");
    redis.pause();
    try {
      const [found, firstMs] = await timed(() => log.caches.apq!.get("apq:q"));
      expect(found).toBe("Q");
      expect(firstMs).toBeGreaterThanOrEqual(REDIS_TIMEOUT_MS - 20);
      expect(firstMs).toBeLessThan(REDIS_TIMEOUT_MS + 200);
      expect(warnings(log)).toHaveLength(1);
      // Known down: the next operations do not wait for it (one probe a second at most).
      const [, nextMs] = await timed(async () => {
        for (let i = 0; i < 10; i++) {
          await log.caches.apq!.set(`apq:${i}`, String(i));
          expect(await log.caches.apq!.get(`apq:${i}`)).toBe(String(i));
        }
      });
      expect(nextMs).toBeLessThan(REDIS_TIMEOUT_MS * 2 + 100);
      const [, closeMs] = await timed(() => log.caches.close());
      expect(closeMs).toBeLessThan(2_000);
    } finally {
      redis.resume();
    }
    expect(warnings(log)).toHaveLength(1);
  });

  it("close() leaves no socket open", async () => {
    const before = sockets();
    const log = await open(REDIS_URL);
    await log.caches.apq!.set("apq:z", "z", { ttl: 10 });
    expect(sockets()).toBeGreaterThan(before);
    await log.caches.close();
    await until(() => sockets() === before, "the socket to close", 2_000);
  });
});
