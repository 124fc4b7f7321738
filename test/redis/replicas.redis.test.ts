/**
 * Replicas sharing Redis: two gateway processes (the production bundle) behind one real
 * redis-server. An automatic persisted query registered through one is answered by the other; a
 * token validated through one is not validated again through the other; Redis stopped mid-run
 * fails no request, and each replica says so once in its log.
 */
import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { serviceEnv, startCloud, type Cloud } from "../support/cloud.js";
import { redisInstalled, startRedis, startReplica, type RedisServer, type Replica } from "./processes.js";

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

if (!redisInstalled()) {
  throw new Error("redis-server is not installed: run `bash test/redis/setup.sh` first");
}

describe("persisted queries across replicas", () => {
  let emulator: Emulator;
  let redis: RedisServer;
  let image: string;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ api: "v2" });
    image = emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
    emulator.addMember(image, "proj-b");
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(replicas.splice(0).map((replica) => replica.stop()));
  });
  afterAll(async () => {
    await redis.stop();
    await emulator.close();
  });

  const start = async (env: Record<string, string>): Promise<Replica> => {
    const replica = await startReplica({ GLANCE_URL: emulator.url, GLANCE_API_VERSION: "v2", ...env });
    replicas.push(replica);
    return replica;
  };

  it("a hash registered through one replica is answered by the other", async () => {
    const [a, b] = await Promise.all([start({ REDIS_URL: redis.url }), start({ REDIS_URL: redis.url })]);
    const first = await byHash(b, image, "proj-a");
    expect(first.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    const registered = await register(a, image, "proj-a");
    expect(registered.errors).toBeUndefined();
    expect(await redis.command(`EXISTS image-members-gateway:apq:${HASH}`)).toBe(":1\r\n");
    const answered = await byHash(b, image, "proj-a");
    expect(answered.errors).toBeUndefined();
    expect(answered.data).toEqual({ imageMembers: [{ memberId: "proj-b", status: "PENDING" }] });
    await redis.command("FLUSHALL");
  });

  it("without REDIS_URL, each replica knows only its own", async () => {
    const [a, b] = await Promise.all([start({}), start({})]);
    expect((await register(a, image, "proj-a")).errors).toBeUndefined();
    expect((await byHash(a, image, "proj-a")).errors).toBeUndefined();
    const other = await byHash(b, image, "proj-a");
    expect(other.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
  });

  it("Redis stopped mid-run: no request fails, and each replica logs it once", async () => {
    const own = await startRedis();
    try {
      const [a, b] = await Promise.all([start({ REDIS_URL: own.url }), start({ REDIS_URL: own.url })]);
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
    } finally {
      await own.stop();
    }
  });
});

describe("validated tokens across replicas", () => {
  let cloud: Cloud;
  let redis: RedisServer;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    cloud = await startCloud();
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(replicas.splice(0).map((replica) => replica.stop()));
    await redis.stop();
    await cloud.close();
  });

  const validations = (token: string): number =>
    cloud.keystone.requests.filter(
      (request) => request.method === "GET" && request.headers["x-subject-token"] === token,
    ).length;

  it("a token validated through one replica is not validated again through the other", async () => {
    const env = { ...serviceEnv(cloud), REDIS_URL: redis.url };
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
    const keys = await redis.command("KEYS image-members-gateway:token:*");
    expect(keys).toMatch(/^\*1\r\n/);
    expect(keys).not.toContain(token);
  });
});
