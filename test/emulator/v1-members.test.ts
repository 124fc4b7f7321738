/** Images API v1 image members as Queens served them: can_share delegation, replace, shared-images. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { call, type CallOptions, type Reply } from "./client.js";

/** A v1 error whose text came back from the registry in plain text. */
const fromRegistry = (
  status: number,
  title: string,
  apiStatus: number,
  apiTitle: string,
  text: string,
): unknown => ({
  message: `${status} ${title}\n\n${text}\n\n   <br /><br />\n\n\n`,
  code: `${apiStatus} ${apiTitle}`,
  title: apiTitle,
});

const notFoundDetail = (detail: string): unknown => ({
  message: `The resource could not be found.<br /><br />\n${detail}\n\n`,
  code: "404 Not Found",
  title: "Not Found",
});

describe("v1 image members", () => {
  let emulator: Emulator;
  let image: string;
  const api = (method: string, path: string, options?: CallOptions): Promise<Reply> =>
    call(emulator.url, method, path, options);
  const members = (id = image): string => `/v1/images/${id}/members`;
  const listAs = async (project: string, id = image): Promise<unknown> =>
    (await api("GET", members(id), { project })).json;

  beforeAll(async () => {
    emulator = await startEmulator({ api: "both", memberQuota: 3 });
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    emulator.reset();
    image = emulator.createImage({ owner: "proj-a", visibility: "private" }).id;
  });

  it("adds with PUT (no body needed), answers 204 without content type, and lists the rows", async () => {
    const plain = await api("PUT", `${members()}/proj-b`, { project: "proj-a" });
    const shared = await api("PUT", `${members()}/proj-c`, {
      project: "proj-a",
      body: { member: { can_share: true } },
    });
    expect([plain.status, plain.text, plain.contentType]).toEqual([204, "", undefined]);
    expect(shared.status).toBe(204);

    const list = await api("GET", members(), { project: "proj-a" });
    expect([list.status, list.contentType]).toEqual([200, "application/json"]);
    expect(list.text).toBe(
      '{"members": [{"member_id": "proj-b", "can_share": false}, {"member_id": "proj-c", "can_share": true}]}',
    );
  });

  it("shows a member only its own row, others who can see the image nothing, strangers a 404", async () => {
    emulator.addMember(image, "proj-b");
    emulator.addMember(image, "proj-c", { canShare: true });
    const publicImage = emulator.createImage({ owner: "proj-a", visibility: "public" }).id;
    emulator.addMember(publicImage, "proj-b");

    expect(await listAs("proj-b")).toEqual({ members: [{ member_id: "proj-b", can_share: false }] });
    expect(await listAs("proj-x", publicImage)).toEqual({ members: [] });
    expect(await listAs("proj-admin-as-stranger")).toEqual(
      notFoundDetail(`Image with identifier ${image} not found`),
    );
    const admin = await api("GET", members(), { project: "proj-admin", roles: "admin" });
    expect((admin.json as { members: unknown[] }).members).toHaveLength(2);
  });

  it("lets a can_share member add and update others, but answers 404 to a member without it", async () => {
    emulator.addMember(image, "proj-b", { canShare: true });
    emulator.addMember(image, "proj-c");

    const delegated = await api("PUT", `${members()}/proj-d`, {
      project: "proj-b",
      body: { member: { can_share: false } },
    });
    expect(delegated.status).toBe(204);
    expect(await listAs("proj-d")).toEqual({ members: [{ member_id: "proj-d", can_share: false }] });

    const refused = await api("PUT", `${members()}/proj-e`, { project: "proj-c" });
    expect([refused.status, refused.json]).toEqual([
      404,
      fromRegistry(403, "Forbidden", 404, "Not Found", "No permission to share that image"),
    ]);
    const stranger = await api("PUT", `${members()}/proj-e`, { project: "proj-x" });
    expect([stranger.status, stranger.json]).toEqual([
      404,
      notFoundDetail(`Image with identifier ${image} not found`),
    ]);
  });

  it("deletes a member; a second delete is the registry's 404", async () => {
    emulator.addMember(image, "proj-b");
    const first = await api("DELETE", `${members()}/proj-b`, { project: "proj-a" });
    expect([first.status, first.text]).toEqual([204, ""]);
    const second = await api("DELETE", `${members()}/proj-b`, { project: "proj-a" });
    expect([second.status, second.json]).toEqual([
      404,
      fromRegistry(404, "Not Found", 404, "Not Found", "Membership could not be found."),
    ]);
    expect(await listAs("proj-a")).toEqual({ members: [] });
  });

  it("refuses deletes from members without can_share with a 404", async () => {
    emulator.addMember(image, "proj-b");
    const reply = await api("DELETE", `${members()}/proj-b`, { project: "proj-b" });
    expect([reply.status, reply.json]).toEqual([
      404,
      fromRegistry(403, "Forbidden", 404, "Not Found", "No permission to share that image"),
    ]);
  });

  it("counts the quota as len(current) + 1, even when the member exists", async () => {
    for (const member of ["m-1", "m-2", "m-3"]) {
      expect((await api("PUT", `${members()}/${member}`, { project: "proj-a" })).status).toBe(204);
    }
    for (const member of ["m-4", "m-1"]) {
      const reply = await api("PUT", `${members()}/${member}`, { project: "proj-a" });
      expect([reply.status, reply.json]).toEqual([
        413,
        {
          message:
            "The limit has been exceeded on the number of allowed image members for this image. Attempted: 4, Maximum: 3<br /><br />\n\n\n",
          code: "413 Request Entity Too Large",
          title: "Request Entity Too Large",
        },
      ]);
    }
  });

  it('coerces can_share with Python truthiness: the string "false" is true', async () => {
    await api("PUT", `${members()}/proj-b`, { project: "proj-a", body: { member: { can_share: "false" } } });
    await api("PUT", `${members()}/proj-c`, { project: "proj-a", body: { member: { can_share: 0 } } });
    await api("PUT", `${members()}/proj-d`, { project: "proj-a", body: { can_share: true } });
    expect(await listAs("proj-a")).toEqual({
      members: [
        { member_id: "proj-b", can_share: true },
        { member_id: "proj-c", can_share: false },
        { member_id: "proj-d", can_share: false },
      ],
    });
  });

  it("updates can_share of an existing member only when it is given", async () => {
    emulator.addMember(image, "proj-b", { canShare: true });
    await api("PUT", `${members()}/proj-b`, { project: "proj-a" });
    expect(await listAs("proj-b")).toEqual({ members: [{ member_id: "proj-b", can_share: true }] });
    await api("PUT", `${members()}/proj-b`, { project: "proj-a", body: { member: { can_share: false } } });
    expect(await listAs("proj-b")).toEqual({ members: [{ member_id: "proj-b", can_share: false }] });
  });

  it("leaves a deleted member deleted when re-added without a body, revives it with one", async () => {
    emulator.addMember(image, "proj-b");
    await api("DELETE", `${members()}/proj-b`, { project: "proj-a" });
    expect((await api("PUT", `${members()}/proj-b`, { project: "proj-a" })).status).toBe(204);
    expect(await listAs("proj-a")).toEqual({ members: [] });
    await api("PUT", `${members()}/proj-b`, { project: "proj-a", body: { member: { can_share: false } } });
    expect(await listAs("proj-a")).toEqual({ members: [{ member_id: "proj-b", can_share: false }] });
  });

  describe("replacing the list", () => {
    beforeEach(() => {
      emulator.addMember(image, "old-1", { canShare: true });
      emulator.addMember(image, "old-2");
    });

    it("keeps listed members (and their can_share), drops the rest, adds the new ones", async () => {
      const reply = await api("PUT", members(), {
        project: "proj-a",
        body: { memberships: [{ member_id: "new-1", can_share: true }, { member_id: "old-1" }] },
      });
      expect([reply.status, reply.text]).toEqual([204, ""]);
      expect(await listAs("proj-a")).toEqual({
        members: [
          { member_id: "old-1", can_share: true },
          { member_id: "new-1", can_share: true },
        ],
      });
    });

    it("empties the list with an empty memberships array", async () => {
      expect((await api("PUT", members(), { project: "proj-a", body: { memberships: [] } })).status).toBe(
        204,
      );
      expect(await listAs("proj-a")).toEqual({ members: [] });
    });

    it("checks the quota against the new list and changes nothing when it is exceeded", async () => {
      const memberships = ["a", "b", "c", "d"].map((member_id) => ({ member_id }));
      const reply = await api("PUT", members(), { project: "proj-a", body: { memberships } });
      expect(reply.status).toBe(413);
      expect(await listAs("proj-a")).toEqual({
        members: [
          { member_id: "old-1", can_share: true },
          { member_id: "old-2", can_share: false },
        ],
      });
    });

    it.each<[string, unknown, string]>([
      [
        "a body without memberships",
        { image_memberships: [] },
        "Invalid membership association: 'member_id'",
      ],
      [
        "an entry without member_id",
        { memberships: [{ can_share: true }] },
        "Invalid membership association: 'member_id'",
      ],
      [
        "a string entry",
        { memberships: ["proj-b"] },
        "Invalid membership association: string indices must be integers",
      ],
    ])("answers the registry's 400 for %s", async (_what, body, text) => {
      const reply = await api("PUT", members(), { project: "proj-a", body });
      expect([reply.status, reply.json]).toEqual([
        400,
        fromRegistry(400, "Bad Request", 400, "Bad Request", text),
      ]);
      expect(await listAs("proj-a")).toEqual({
        members: [
          { member_id: "old-1", can_share: true },
          { member_id: "old-2", can_share: false },
        ],
      });
    });

    it("answers 500 to a replace without a body", async () => {
      const reply = await api("PUT", members(), { project: "proj-a" });
      expect(reply.status).toBe(500);
    });

    it("lets a can_share member replace, touching only the rows it can see", async () => {
      const reply = await api("PUT", members(), {
        project: "old-1",
        body: { memberships: [{ member_id: "new-1" }] },
      });
      expect(reply.status).toBe(204);
      expect(await listAs("proj-a")).toEqual({
        members: [
          { member_id: "old-2", can_share: false },
          { member_id: "new-1", can_share: false },
        ],
      });
    });
  });

  it("lists shared images of a member as the caller may see them", async () => {
    const other = emulator.createImage({ owner: "proj-z", visibility: "public" }).id;
    emulator.addMember(image, "proj-b", { canShare: true });
    emulator.addMember(other, "proj-b");
    const path = "/v1/shared-images/proj-b";

    const self = await api("GET", path, { project: "proj-b" });
    expect(self.json).toEqual({
      shared_images: [
        { image_id: image, can_share: true },
        { image_id: other, can_share: false },
      ],
    });
    expect((await api("GET", path, { project: "proj-a" })).json).toEqual({
      shared_images: [{ image_id: image, can_share: true }],
    });
    expect((await api("GET", path, { project: "proj-x" })).json).toEqual({ shared_images: [] });
    expect((await api("POST", path, { project: "proj-admin", roles: "admin" })).json).toEqual(self.json);
  });

  it("answers GET of one member with 405 and no Allow; other methods with Allow", async () => {
    emulator.addMember(image, "proj-b");
    const show = await api("GET", `${members()}/proj-b`, { project: "proj-a" });
    expect([show.status, show.headers.allow]).toEqual([405, undefined]);
    expect((show.json as { message: string }).message).toBe(
      "The method GET is not allowed for this resource. <br /><br />\n",
    );
    const post = await api("POST", members(), { project: "proj-a" });
    expect([post.status, post.headers.allow]).toEqual([405, "GET, PUT"]);
    const postOne = await api("POST", `${members()}/proj-b`, { project: "proj-a" });
    expect([postOne.status, postOne.headers.allow]).toEqual([405, "GET, PUT, DELETE"]);
  });

  it("shares one table with v2: v1 rows are pending, ignore visibility, and v2 status changes reset can_share", async () => {
    await api("PUT", `${members()}/proj-b`, { project: "proj-a", body: { member: { can_share: true } } });
    const shared = emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
    await api("PUT", `${members(shared)}/proj-b`, {
      project: "proj-a",
      body: { member: { can_share: true } },
    });

    const v2Private = await api("GET", `/v2/images/${image}/members`, { project: "proj-a" });
    expect(v2Private.status).toBe(403);
    const v2Shared = await api("GET", `/v2/images/${shared}/members/proj-b`, { project: "proj-b" });
    expect((v2Shared.json as { status: string }).status).toBe("pending");

    await api("PUT", `/v2/images/${shared}/members/proj-b`, {
      project: "proj-b",
      body: { status: "accepted" },
    });
    expect(await listAs("proj-b", shared)).toEqual({ members: [{ member_id: "proj-b", can_share: false }] });
  });

  it("answers 404 with 'has been deleted' to an admin asking about a deleted image", async () => {
    await api("DELETE", `/v2/images/${image}`, { project: "proj-a" });
    const admin = await api("GET", members(), { project: "proj-admin", roles: "admin" });
    const owner = await api("GET", members(), { project: "proj-a" });
    expect(admin.json).toEqual(notFoundDetail(`Image with identifier ${image} has been deleted.`));
    expect(owner.json).toEqual(notFoundDetail(`Image with identifier ${image} not found`));
  });
});

describe("v1 on a v1-only emulator", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ api: "v1" });
  });
  afterAll(() => emulator.close());

  it("serves v1 and answers every v2 path with the 300 version list", async () => {
    const image = emulator.createImage({ owner: "proj-a", visibility: "private" }).id;
    const v1 = await call(emulator.url, "GET", `/v1/images/${image}/members`, { project: "proj-a" });
    const v2 = await call(emulator.url, "GET", `/v2/images/${image}/members`, { project: "proj-a" });
    expect([v1.status, v1.json]).toEqual([200, { members: [] }]);
    expect(v2.status).toBe(300);
    expect((v2.json as { versions: Array<{ id: string }> }).versions.map((v) => v.id)).toEqual([
      "v1.1",
      "v1.0",
    ]);
  });
});
