/** OPTIONS as Glance's CORS middleware answers it, and the image schema documents. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { call } from "./client.js";

describe("the emulator's pipeline edges", () => {
  let emulator: Emulator;
  let image: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    image = emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
  });
  afterAll(() => emulator.close());

  it.each([
    ["a member, with identity", () => `/v2/images/${image}/members/proj-b`, { project: "proj-a" }],
    ["the image list, without identity", () => "/v2/images", {}],
    ["an unknown path", () => "/nowhere", {}],
  ])("answers OPTIONS on %s with an empty 200, before identity and routing", async (_what, path, options) => {
    const reply = await call(emulator.url, "OPTIONS", path(), options);
    expect([reply.status, reply.text, reply.contentType]).toEqual([200, "", undefined]);
    expect(reply.headers["x-openstack-request-id"]).toBeUndefined();
  });

  it("serves the image schema, and the image list schema built on it", async () => {
    const one = await call(emulator.url, "GET", "/v2/schemas/image", { project: "proj-a" });
    const list = await call(emulator.url, "GET", "/v2/schemas/images", { project: "proj-a" });
    expect([one.status, list.status]).toEqual([200, 200]);
    const schema = one.json as {
      name: string;
      properties: Record<string, unknown>;
      additionalProperties: unknown;
    };
    expect(schema.name).toBe("image");
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["id", "visibility", "owner", "os_distro"]),
    );
    expect(schema.additionalProperties).toEqual({ type: "string" });
    const images = list.json as { name: string; properties: { images: { items: unknown } } };
    expect(images.name).toBe("images");
    expect(images.properties.images.items).toEqual(schema);
  });
});
