/**
 * Replicas sharing Redis: two gateway processes (the production bundle) behind one real
 * redis-server. An automatic persisted query registered through one is answered by the other; a
 * token validated through one is not validated again through the other; Redis stopped mid-run
 * fails no request, and each replica says so once in its log.
 */
import { createHash } from "node:crypto";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { serviceEnv, startCloud, type Cloud } from "../support/cloud.js";
import { redisCommand, startRedis, startReplica, type Exit, type Replica } from "./processes.js";

const QUERY = "query MembersOf($imageId: ID!) { imageMembers(imageId: $imageId) { memberId status } }";
const HASH = createHash("sha256").update(QUERY).digest("hex");

interface Answer {
  data?: unknown;
  errors?: { extensions?: { code?: string } }[];
}

async function post(replica: Replica, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(replica.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  return (await response.json()) as Answer;
}

async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const register = (replica: Replica, imageId: string, token: string): Promise<Answer> =>
  post(
    replica,
    {
      query: QUERY,
      variables: { imageId },
      extensions: { persistedQuery: { version: 1, sha256Hash: HASH } },
    },
    { "x-auth-token": token },
  );

const byHash = (replica: Replica, imageId: string, token: string): Promise<Answer> =>
  post(
    replica,
    { variables: { imageId }, extensions: { persistedQuery: { version: 1, sha256Hash: HASH } } },
    { "x-auth-token": token },
  );

/** The suite's redis-server (global-setup.ts); each test writes under a prefix of its own. */
const REDIS_URL = inject("redisUrl");
const REDIS_PORT = Number(new URL(REDIS_URL).port);
const newPrefix = (): string => `test-${randomUUID()}:`;

const CLEAN_EXIT: Exit = { code: 0, signal: null };

describe("persisted queries across replicas", () => {
  let emulator: Emulator;
  let image: string;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ api: "v2" });
    image = emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
    emulator.addMember(image, "proj-b");
  });
  afterEach(async () => {
    await Promise.all(replicas.splice(0).map((replica) => replica.stop()));
  });
  afterAll(async () => {
    await emulator.close();
  });

  const start = async (env: Record<string, string>): Promise<Replica> => {
    const replica = await startReplica({ GLANCE_URL: emulator.url, GLANCE_API_VERSION: "v2", ...env });
    replicas.push(replica);
    return replica;
  };

  it("a hash registered through one replica is answered by the other", async () => {
    const env = { REDIS_URL, REDIS_KEY_PREFIX: newPrefix() };
    const [a, b] = await Promise.all([start(env), start(env)]);
    const first = await byHash(b, image, "proj-a");
    expect(first.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    const registered = await register(a, image, "proj-a");
    expect(registered.errors).toBeUndefined();
    expect(await redisCommand(REDIS_PORT, `EXISTS ${env.REDIS_KEY_PREFIX}apq:${HASH}`)).toBe(":1\r\n");
    const answered = await byHash(b, image, "proj-a");
    expect(answered.errors).toBeUndefined();
    expect(answered.data).toEqual({ imageMembers: [{ memberId: "proj-b", status: "PENDING" }] });
  });

  it("without REDIS_URL, each replica knows only its own", async () => {
    const [a, b] = await Promise.all([start({}), start({})]);
    expect((await register(a, image, "proj-a")).errors).toBeUndefined();
    expect((await byHash(a, image, "proj-a")).errors).toBeUndefined();
    const other = await byHash(b, image, "proj-a");
    expect(other.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
  });

  it("Redis stopped mid-run: no request fails, each replica logs it once and still exits", async () => {
    // A server of this test's own, stopped by its pid below.
    const own = await startRedis();
    try {
      const [a, b] = await Promise.all([start({ REDIS_URL: own.url }), start({ REDIS_URL: own.url })]);
      const started = Date.now();
      expect((await register(a, image, "proj-a")).errors).toBeUndefined();
      expect((await byHash(b, image, "proj-a")).errors).toBeUndefined();
      await own.stop();
      for (let round = 0; round < 5; round++) {
        for (const replica of [a, b]) {
          const plain = await post(
            replica,
            { query: QUERY, variables: { imageId: image } },
            { "x-auth-token": "proj-a" },
          );
          expect(plain.errors).toBeUndefined();
          // Registered again and answered from the replica's own memory.
          expect((await register(replica, image, "proj-a")).errors).toBeUndefined();
          expect((await byHash(replica, image, "proj-a")).errors).toBeUndefined();
        }
      }
      // A replica started while Redis is down starts and serves all the same.
      const late = await start({ REDIS_URL: own.url });
      expect((await register(late, image, "proj-a")).errors).toBeUndefined();
      expect((await byHash(late, image, "proj-a")).errors).toBeUndefined();
      for (const replica of [a, b, late]) {
        // Log lines reach standard output a moment after the request that caused them.
        await until(() => replica.logs().includes("redis unreachable"), "the warning");
        const warnings = replica
          .logs()
          .split("\n")
          .filter((line) => line.includes("redis unreachable"));
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toContain('"level":40');
      }
      // 15 requests per replica and a start, all without Redis: no request waited long for it.
      expect(Date.now() - started).toBeLessThan(15_000);
      // Closing the Redis client does not hold the process: SIGTERM ends it by itself.
      const exits = await Promise.all(replicas.splice(0).map((replica) => replica.stop()));
      expect(exits).toEqual([CLEAN_EXIT, CLEAN_EXIT, CLEAN_EXIT]);
    } finally {
      await own.stop();
    }
  });
});

describe("validated tokens across replicas", () => {
  let cloud: Cloud;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    cloud = await startCloud();
  });
  afterAll(async () => {
    await Promise.all(replicas.splice(0).map((replica) => replica.stop()));
    await cloud.close();
  });

  const validations = (token: string): number =>
    cloud.keystone.requests.filter(
      (request) => request.method === "GET" && request.headers["x-subject-token"] === token,
    ).length;

  it("a token validated through one replica is not validated again through the other", async () => {
    const prefix = newPrefix();
    const env = { ...serviceEnv(cloud), REDIS_URL, REDIS_KEY_PREFIX: prefix };
    const [a, b] = await Promise.all([startReplica(env), startReplica(env)]);
    replicas.push(a, b);
    const token = cloud.token(cloud.users.alice, cloud.projects.alpha);
    const viewer = { query: "{ viewer { user { id } project { id } roles } }" };

    const first = await post(a, viewer, { "x-auth-token": token });
    expect(first.errors).toBeUndefined();
    expect(validations(token)).toBe(1);
    const second = await post(b, viewer, { "x-auth-token": token });
    expect(second.errors).toBeUndefined();
    expect(second.data).toEqual(first.data);
    expect(validations(token)).toBe(1);

    const metrics = await (await fetch(b.url.replace(/\/graphql$/, "/metrics"))).text();
    expect(metrics).toMatch(/^gateway_cache_lookups_total\{cache="token",result="hit"\} 1$/m);
    expect(metrics).not.toMatch(/^gateway_cache_lookups_total\{cache="token",result="miss"\}/m);
    const keys = await redisCommand(REDIS_PORT, `KEYS ${prefix}token:*`);
    expect(keys).toMatch(/^\*1\r\n/);
    expect(keys).not.toContain(token);
  });
});

describe("validated tokens across replicas: refusals and expiry", () => {
  let cloud: Cloud;
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    cloud = await startCloud();
    const env = { ...serviceEnv(cloud), REDIS_URL, REDIS_KEY_PREFIX: newPrefix() };
    [a, b] = await Promise.all([startReplica(env), startReplica(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await cloud?.close();
  });

  const validations = (token: string): number =>
    cloud.keystone.requests.filter(
      (request) => request.method === "GET" && request.headers["x-subject-token"] === token,
    ).length;
  const viewer = { query: "{ viewer { user { id } } }" };
  const code = (answer: Answer): string | undefined => answer.errors?.[0]?.extensions?.code;

  it("a token refused through one replica is refused by the other without asking Keystone", async () => {
    const token = "gAAAAA-not-a-token-of-this-cloud";
    expect(code(await post(a, viewer, { "x-auth-token": token }))).toBe("UNAUTHENTICATED");
    expect(validations(token)).toBe(1);
    expect(code(await post(b, viewer, { "x-auth-token": token }))).toBe("UNAUTHENTICATED");
    expect(validations(token)).toBe(1);
  });

  it("a shared entry lasts only until the token expires", async () => {
    const token = cloud.token(cloud.users.alice, cloud.projects.alpha, 2);
    expect((await post(a, viewer, { "x-auth-token": token })).errors).toBeUndefined();
    expect((await post(b, viewer, { "x-auth-token": token })).errors).toBeUndefined();
    expect(validations(token)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    expect(code(await post(b, viewer, { "x-auth-token": token }))).toBe("UNAUTHENTICATED");
    expect(code(await post(a, viewer, { "x-auth-token": token }))).toBe("UNAUTHENTICATED");
  });
});
