import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

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
});
