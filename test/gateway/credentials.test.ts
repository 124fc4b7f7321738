import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ImageMembersDocument, ShareImageDocument } from "../__generated__/graphql.js";
import { codes, startHarness, type Harness } from "../support/harness.js";
import { calls, expectedHeaders, withJson } from "../support/upstream.js";

describe("what of the client's request reaches the upstream", () => {
  let h: Harness;
  let image: string;

  beforeAll(async () => {
    h = await startHarness({
      api: "v2",
      env: { GLANCE_API_VERSION: "v2", FORWARD_HEADERS: "X-Project-Id,X-Roles,X-Identity-Status" },
    });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.emulator.reset();
    image = h.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
  });

  it("a bearer token goes upstream as X-Auth-Token, with the forwarded headers and nothing else", async () => {
    const result = await h.request(
      ShareImageDocument,
      { imageId: image, memberId: "proj-b" },
      {
        authorization: "Bearer tok-123",
        "x-project-id": "proj-a",
        "x-roles": "member,reader",
        "x-identity-status": "Confirmed",
        cookie: "session=abc",
        "x-forwarded-for": "10.0.0.1",
        "x-custom": "nope",
      },
    );

    expect(result.errors).toBeUndefined();
    expect(calls(h.emulator)).toEqual([
      {
        method: "POST",
        path: `/v2/images/${image}/members`,
        headers: withJson(
          expectedHeaders("tok-123", {
            "x-project-id": "proj-a",
            "x-roles": "member,reader",
            "x-identity-status": "Confirmed",
          }),
        ),
        body: { member: "proj-b" },
      },
    ]);
  });

  it("a token never appears in an error or in the logs", async () => {
    const token = "gAAAAABsecret-keystone-token-value";
    // The stranger (the emulator takes the token as the project) gets a 404 mentioning the image only.
    const result = await h.request(ImageMembersDocument, { imageId: image }, { "x-auth-token": token });
    expect(codes(result)).toEqual(["NOT_FOUND"]);
    expect(result.raw).not.toContain(token);
    expect(h.logs.join("\n")).not.toContain(token);
  });
});
