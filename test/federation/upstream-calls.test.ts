import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, startHarness, type Harness } from "../support/harness.js";
import { calls } from "../support/upstream.js";

describe("upstream calls per GraphQL request", () => {
  let h: Harness;
  const images: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v2" } });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.emulator.reset();
    images.length = 0;
    for (let i = 0; i < 10; i++) {
      const id = h.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
      for (let m = 0; m < 5; m++) {
        h.emulator.addMember(id, `proj-m${m}`);
      }
      images.push(id);
    }
    h.emulator.clearRequests();
  });

  it("one member under ten aliases: 1 call", async () => {
    const aliases = Array.from(
      { length: 10 },
      (_, i) => `a${i}: imageMember(imageId: "${images[0]}", memberId: "proj-m1") { id status }`,
    ).join("\n");
    const result = await h.post(JSON.stringify({ query: `{ ${aliases} }` }), as("proj-a"));

    expect(result.errors).toBeUndefined();
    expect(Object.keys(result.data as object)).toHaveLength(10);
    expect(calls(h.emulator).map((c) => `${c.method} ${c.path}`)).toEqual([
      `GET /v2/images/${images[0]}/members/proj-m1`,
    ]);
  });

  it("fifty entity representations of ten images: 10 calls", async () => {
    const representations = images.flatMap((imageId) =>
      Array.from({ length: 5 }, (_, m) => ({ __typename: "ImageMember", imageId, memberId: `proj-m${m}` })),
    );
    const result = await h.post(
      JSON.stringify({
        query:
          "query($r: [_Any!]!) { _entities(representations: $r) { ... on ImageMember { imageId memberId status } } }",
        variables: { r: representations },
      }),
      as("proj-a"),
    );

    expect(result.errors).toBeUndefined();
    const entities = (result.data as { _entities: Array<{ imageId: string; memberId: string }> })._entities;
    expect(entities).toHaveLength(50);
    expect(entities.map((e) => [e.imageId, e.memberId])).toEqual(
      representations.map((r) => [r.imageId, r.memberId]),
    );
    expect(calls(h.emulator)).toHaveLength(10);
    expect(new Set(calls(h.emulator).map((c) => c.path))).toEqual(
      new Set(images.map((id) => `/v2/images/${id}/members`)),
    );
  });

  it("the members of an image plus one member of it: 1 call", async () => {
    const result = await h.post(
      JSON.stringify({
        query: `{ imageMember(imageId: "${images[0]}", memberId: "proj-m3") { status } imageMembers(imageId: "${images[0]}") { memberId } }`,
      }),
      as("proj-a"),
    );

    expect(result.errors).toBeUndefined();
    expect(calls(h.emulator).map((c) => c.path)).toEqual([`/v2/images/${images[0]}/members`]);
  });

  it("a shared image then its members in one mutation request: the list is not read again", async () => {
    const result = await h.post(
      JSON.stringify({
        query: `mutation {
          first: shareImage(imageId: "${images[1]}", memberId: "proj-new") { status }
          second: unshareImage(imageId: "${images[1]}", memberId: "proj-m0")
        }`,
      }),
      as("proj-a"),
    );
    expect(result.errors).toBeUndefined();
    expect(calls(h.emulator).map((c) => `${c.method} ${c.path}`)).toEqual([
      `POST /v2/images/${images[1]}/members`,
      `DELETE /v2/images/${images[1]}/members/proj-m0`,
    ]);
  });
});
