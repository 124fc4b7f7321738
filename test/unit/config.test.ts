import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, operationLimits } from "../../src/config.js";

describe("loadConfig", () => {
  it("has working defaults: port 4000, loopback, embedded emulator, auto version", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: "127.0.0.1",
      port: 4000,
      glanceUrl: null,
      apiVersion: "auto",
      forwardHeaders: [],
      upstreamTimeoutMs: 10_000,
      emulatorApi: "v2",
    });
  });

  it("names every bad variable at once", () => {
    let caught: unknown;
    try {
      loadConfig({
        PORT: "abc",
        GLANCE_API_VERSION: "v3",
        GLANCE_URL: "ftp://x",
        FORWARD_HEADERS: "x-ok, bad header",
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toContain('PORT must be an integer from 0 to 65535 (got "abc")');
    expect(message).toContain('GLANCE_API_VERSION must be one of auto, v1, v2 (got "v3")');
    expect(message).toContain("GLANCE_URL must use http or https");
    expect(message).toContain('FORWARD_HEADERS: "bad header" is not a valid header name');
  });

  it("refuses to forward headers the gateway owns", () => {
    expect(() => loadConfig({ FORWARD_HEADERS: "Host" })).toThrow(/"host" cannot be forwarded/);
    expect(() => loadConfig({ FORWARD_HEADERS: "Authorization" })).toThrow(/cannot be forwarded/);
  });

  it("lower-cases and de-duplicates forwarded header names", () => {
    expect(loadConfig({ FORWARD_HEADERS: "X-Project-Id, x-roles,X-PROJECT-ID" }).forwardHeaders).toEqual([
      "x-project-id",
      "x-roles",
    ]);
  });

  it("takes the version from a versioned catalog endpoint", () => {
    const config = loadConfig({ GLANCE_URL: "https://dfw.images.api.rackspacecloud.com/v2" });
    expect(config.glanceUrl?.toString()).toBe("https://dfw.images.api.rackspacecloud.com/");
    expect(config.apiVersion).toBe("v2");
  });

  it("keeps a base path such as devstack's /image", () => {
    const config = loadConfig({ GLANCE_URL: "http://127.0.0.1/image" });
    expect(config.glanceUrl?.pathname).toBe("/image");
    expect(config.apiVersion).toBe("auto");
  });

  it("refuses a versioned URL that contradicts GLANCE_API_VERSION", () => {
    expect(() => loadConfig({ GLANCE_URL: "http://127.0.0.1:9292/v2/", GLANCE_API_VERSION: "v1" })).toThrow(
      /ends in \/v2 but GLANCE_API_VERSION is v1/,
    );
  });

  it("refuses credentials in GLANCE_URL", () => {
    expect(() => loadConfig({ GLANCE_URL: "http://user:secret@127.0.0.1:9292" })).toThrow(
      /must not carry credentials/,
    );
  });

  it("lets auto take the version a versioned GLANCE_URL pins, and accepts the same version named", () => {
    expect(loadConfig({ GLANCE_URL: "http://127.0.0.1/v1/", GLANCE_API_VERSION: "auto" }).apiVersion).toBe(
      "v1",
    );
    expect(loadConfig({ GLANCE_URL: "http://127.0.0.1/v2.1", GLANCE_API_VERSION: "v2" }).apiVersion).toBe(
      "v2",
    );
  });

  it("moves a default into a range that another variable sets", () => {
    expect(loadConfig({ UPSTREAM_TIMEOUT_MS: "3000" }).upstreamConnectTimeoutMs).toBe(3_000);
    expect(loadConfig({ UPSTREAM_TIMEOUT_MS: "20000" }).upstreamConnectTimeoutMs).toBe(5_000);
    expect(loadConfig({ UPSTREAM_RETRY_BASE_MS: "5000" }).upstreamRetryMaxDelayMs).toBe(5_000);
  });

  it("reads flags, trimmed text and the presence of APOLLO_KEY", () => {
    expect(loadConfig({ INTROSPECTION: "FALSE", HOST: " 0.0.0.0 " })).toMatchObject({
      introspection: false,
      host: "0.0.0.0",
    });
    expect(loadConfig({ INTROSPECTION: "1" }).introspection).toBe(true);
    expect(() => loadConfig({ INTROSPECTION: "maybe" })).toThrow(
      'INTROSPECTION must be true or false (got "maybe")',
    );
    expect(loadConfig({ APOLLO_KEY: " " }).apolloKeySet).toBe(false);
    expect(loadConfig({ APOLLO_KEY: "service:graph:key" }).apolloKeySet).toBe(true);
  });

  it("allows any browser origin by default, and none in production unless listed", () => {
    expect(loadConfig({})).toMatchObject({ production: false, corsOrigins: "*" });
    expect(loadConfig({ NODE_ENV: "production" })).toMatchObject({ production: true, corsOrigins: [] });
    expect(
      loadConfig({ NODE_ENV: "production", CORS_ORIGINS: "https://app.example.com/" }).corsOrigins,
    ).toEqual(["https://app.example.com"]);
  });

  it("takes the operation limits from the variables tagged as limits", () => {
    const config = loadConfig({
      MAX_QUERY_DEPTH: "3",
      MAX_LIST_NESTING: "4",
      MAX_ALIASES: "5",
      MAX_ROOT_FIELDS: "6",
      MAX_MUTATION_FIELDS: "7",
      MAX_ENTITIES: "8",
      MAX_LIST_ITEMS: "9",
    });
    expect(operationLimits(config)).toEqual({
      maxDepth: 3,
      maxListNesting: 4,
      maxAliases: 5,
      maxRootFields: 6,
      maxMutationFields: 7,
      maxEntities: 8,
      maxListItems: 9,
    });
  });
});
