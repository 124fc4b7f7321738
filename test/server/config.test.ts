/** The reliability and limit variables: defaults, validation, and problems named by variable. */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

describe("reliability and limit configuration", () => {
  it("has documented defaults", () => {
    expect(loadConfig({})).toMatchObject({
      upstreamTimeoutMs: 10_000,
      upstreamConnectTimeoutMs: 5_000,
      upstreamHeadersTimeoutMs: 10_000,
      upstreamBodyTimeoutMs: 10_000,
      upstreamMaxBodyBytes: 8_388_608,
      upstreamConnections: 64,
      upstreamMaxConcurrent: 64,
      upstreamMaxQueued: 256,
      upstreamRetries: 2,
      upstreamRetryBaseMs: 100,
      upstreamRetryMaxDelayMs: 2_000,
      requestDeadlineMs: 15_000,
      requestRetryBudget: 10,
      circuitBreakerThreshold: 5,
      circuitBreakerWindowMs: 10_000,
      circuitBreakerCooldownMs: 5_000,
      maxRequestBytes: 1_048_576,
      maxQueryBytes: 16_384,
      maxQueryDepth: 8,
      maxListNesting: 2,
      maxAliases: 30,
      maxRootFields: 20,
      maxMutationFields: 10,
      maxEntities: 100,
      maxListItems: 100,
      readinessCacheMs: 2_000,
      shutdownTimeoutMs: 10_000,
    });
  });

  it("derives the phase deadlines from UPSTREAM_TIMEOUT_MS, and the concurrency from UPSTREAM_CONNECTIONS", () => {
    expect(loadConfig({ UPSTREAM_TIMEOUT_MS: "800", UPSTREAM_CONNECTIONS: "8" })).toMatchObject({
      upstreamConnectTimeoutMs: 800,
      upstreamHeadersTimeoutMs: 800,
      upstreamBodyTimeoutMs: 800,
      upstreamMaxConcurrent: 8,
    });
  });

  it("names every bad variable at once", () => {
    let caught: unknown;
    try {
      loadConfig({
        UPSTREAM_TIMEOUT_MS: "1000",
        UPSTREAM_CONNECT_TIMEOUT_MS: "2000",
        UPSTREAM_HEADERS_TIMEOUT_MS: "fast",
        UPSTREAM_RETRIES: "-1",
        UPSTREAM_RETRY_BASE_MS: "500",
        UPSTREAM_RETRY_MAX_DELAY_MS: "100",
        REQUEST_DEADLINE_MS: "1.5",
        CIRCUIT_BREAKER_THRESHOLD: "x",
        MAX_REQUEST_BYTES: "10",
        MAX_QUERY_DEPTH: "0",
        MAX_ENTITIES: "",
        UPSTREAM_MAX_QUEUED: "-5",
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems).toEqual([
      'UPSTREAM_CONNECT_TIMEOUT_MS must be an integer from 10 to 1000 (UPSTREAM_TIMEOUT_MS) (got "2000")',
      'UPSTREAM_HEADERS_TIMEOUT_MS must be an integer from 10 to 1000 (UPSTREAM_TIMEOUT_MS) (got "fast")',
      'UPSTREAM_MAX_QUEUED must be an integer from 0 to 1000000 (got "-5")',
      'UPSTREAM_RETRIES must be an integer from 0 to 10 (got "-1")',
      'UPSTREAM_RETRY_MAX_DELAY_MS must be an integer from 500 to 600000 (UPSTREAM_RETRY_BASE_MS) (got "100")',
      'REQUEST_DEADLINE_MS must be an integer from 100 to 3600000 (got "1.5")',
      'CIRCUIT_BREAKER_THRESHOLD must be an integer from 0 to 10000 (got "x")',
      'MAX_REQUEST_BYTES must be an integer from 1024 to 1073741824 (got "10")',
      'MAX_QUERY_DEPTH must be an integer from 1 to 1000 (got "0")',
    ]);
  });
});
