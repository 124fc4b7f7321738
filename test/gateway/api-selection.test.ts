import { afterEach, describe, expect, it } from "vitest";
import { ImageMembersDocument } from "../__generated__/graphql.js";
import { as, codes, startHarness, type Harness } from "../support/harness.js";
import { calls } from "../support/upstream.js";

const versionsDoc = (ids: string[]): string =>
  JSON.stringify({
    versions: ids.map((id) => ({
      id,
      status: "CURRENT",
      links: [{ rel: "self", href: `http://127.0.0.1/${id.slice(0, 2)}/` }],
    })),
  });

describe("GLANCE_API_VERSION", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("auto reads the version document once and prefers v2", async () => {
    h = await startHarness({ api: "both" });
    const image = h.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;

    await h.request(ImageMembersDocument, { imageId: image }, as("proj-a"));
    await h.request(ImageMembersDocument, { imageId: image }, as("proj-a"));

    expect(calls(h.emulator).map((c) => `${c.method} ${c.path}`)).toEqual([
      "GET /versions",
      `GET /v2/images/${image}/members`,
      `GET /v2/images/${image}/members`,
    ]);
    // The version document is read without the caller's credentials.
    expect(calls(h.emulator)[0]?.headers).not.toHaveProperty("x-auth-token");
  });

  it("auto uses v1 when only v1 is served", async () => {
    h = await startHarness({ api: "v1" });
    const image = h.emulator.createImage({ owner: "proj-a", visibility: "private" }).id;

    const result = await h.request(ImageMembersDocument, { imageId: image }, as("proj-a"));

    expect(result.errors).toBeUndefined();
    expect(calls(h.emulator).map((c) => `${c.method} ${c.path}`)).toEqual([
      "GET /versions",
      `GET /v1/images/${image}/members`,
    ]);
  });

  it("pinned v1 against a v2-only upstream answers UPSTREAM_BAD_RESPONSE (the 300 version list)", async () => {
    h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v1" } });
    const image = h.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;

    const result = await h.request(ImageMembersDocument, { imageId: image }, as("proj-a"));

    expect(codes(result)).toEqual(["UPSTREAM_BAD_RESPONSE"]);
    expect(result.errors?.[0]?.extensions?.upstream).toMatchObject({ status: 300, method: "GET" });
    expect(result.errors?.[0]?.message).toMatch(/does not serve this Images API version/);
  });

  it("auto detects again when the detected version disappears, and the request still succeeds", async () => {
    h = await startHarness({ api: "both" });
    const image = h.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
    h.emulator.injectFault({
      path: "/versions",
      action: {
        kind: "respond",
        status: 200,
        headers: { "content-type": "application/json" },
        body: versionsDoc(["v1.1"]),
      },
    });
    const first = await h.request(ImageMembersDocument, { imageId: image }, as("proj-a"));
    expect(first.errors).toBeUndefined();

    h.emulator.injectFault({
      path: "/v1/",
      action: {
        kind: "respond",
        status: 300,
        headers: { "content-type": "application/json" },
        body: versionsDoc(["v2.15"]),
      },
    });
    const second = await h.request(ImageMembersDocument, { imageId: image }, as("proj-a"));

    expect(second.errors).toBeUndefined();
    expect(calls(h.emulator).map((c) => `${c.method} ${c.path}`)).toEqual([
      "GET /versions",
      `GET /v1/images/${image}/members`,
      `GET /v1/images/${image}/members`,
      "GET /versions",
      `GET /v2/images/${image}/members`,
    ]);
  });

  it("auto with an upstream that lists no usable version → UPSTREAM_BAD_RESPONSE", async () => {
    h = await startHarness({ api: "v2" });
    h.emulator.injectFault({
      path: "/versions",
      action: {
        kind: "respond",
        status: 300,
        headers: { "content-type": "application/json" },
        body: versionsDoc(["v3.0"]),
      },
    });
    const result = await h.request(
      ImageMembersDocument,
      { imageId: "11111111-2222-3333-4444-555555555555" },
      as("proj-a"),
    );
    expect(codes(result)).toEqual(["UPSTREAM_BAD_RESPONSE"]);
    expect(result.errors?.[0]?.message).toMatch(/no v1 or v2 entry among v3\.0/);
  });
});
