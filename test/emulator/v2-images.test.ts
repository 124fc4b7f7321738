/** The v2 images calls used to set up sharing: create, show, patch, delete, and list with its filters. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { ISO_SECONDS, call, webobJson, type CallOptions, type Reply } from "./client.js";

interface ImageJson {
  id: string;
  name: string | null;
  owner: string | null;
  visibility: string;
}
interface ListJson {
  images: ImageJson[];
  first: string;
  schema: string;
  next?: string;
}

const PATCH = { "content-type": "application/openstack-images-v2.1-json-patch" };

describe("v2 images", () => {
  let emulator: Emulator;
  const api = (method: string, path: string, options?: CallOptions): Promise<Reply> =>
    call(emulator.url, method, path, options);
  const list = async (project: string, query = "", roles?: string): Promise<ListJson> => {
    const reply = await api("GET", `/v2/images${query}`, { project, roles });
    expect(reply.status).toBe(200);
    return reply.json as ListJson;
  };
  const names = (body: ListJson): string[] => body.images.map((image) => image.name ?? "").sort();

  beforeAll(async () => {
    emulator = await startEmulator({ pageSize: 3 });
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  describe("create, show, patch, delete", () => {
    it("creates a shared image by default, owned by the caller, with Glance's fields and headers", async () => {
      const reply = await api("POST", "/v2/images", { project: "proj-a", body: { name: "s1" } });

      expect(reply.status).toBe(201);
      expect(reply.reason).toBe("Created");
      expect(reply.contentType).toBe("application/json");
      const body = reply.json as ImageJson & Record<string, unknown>;
      expect(body).toEqual({
        name: "s1",
        disk_format: null,
        container_format: null,
        visibility: "shared",
        size: null,
        virtual_size: null,
        status: "queued",
        checksum: null,
        protected: false,
        min_ram: 0,
        min_disk: 0,
        owner: "proj-a",
        os_hidden: false,
        os_hash_algo: null,
        os_hash_value: null,
        id: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        ) as unknown,
        created_at: expect.stringMatching(ISO_SECONDS) as unknown,
        updated_at: expect.stringMatching(ISO_SECONDS) as unknown,
        tags: [],
        self: `/v2/images/${body.id}`,
        file: `/v2/images/${body.id}/file`,
        schema: "/v2/schemas/image",
      });
      expect(reply.headers.location).toBe(`${emulator.url}/v2/images/${body.id}`);
      expect(reply.headers["openstack-image-import-methods"]).toBe("glance-direct,web-download,copy-image");

      const shown = await api("GET", `/v2/images/${body.id}`, { project: "proj-a" });
      expect([shown.status, shown.json]).toEqual([200, body]);
    });

    it("keeps an explicit id, tags and additional string properties", async () => {
      const id = "0d2e9e8a-8d0c-4bd6-9d2c-7a4f0f3b9a11";
      const reply = await api("POST", "/v2/images", {
        project: "proj-a",
        body: { id, name: "props", tags: ["a", "b", "a"], os_distro: "debian", protected: true },
      });
      expect(reply.status).toBe(201);
      expect(reply.json).toMatchObject({ id, tags: ["a", "b"], os_distro: "debian", protected: true });
      expect(reply.text.startsWith('{"os_distro": "debian", "name": "props"')).toBe(true);
      const again = await api("POST", "/v2/images", { project: "proj-a", body: { id } });
      expect([again.status, again.json]).toEqual([
        409,
        webobJson(409, "Conflict", `Image ID ${id} already exists!`),
      ]);
    });

    it.each<[string, unknown, number, unknown]>([
      [
        "public visibility without the admin role",
        { visibility: "public" },
        403,
        webobJson(403, "Forbidden", "You are not authorized to complete publicize_image action."),
      ],
      [
        "an unknown visibility",
        { visibility: "bogus" },
        400,
        webobJson(
          400,
          "Bad Request",
          "Provided object does not match schema 'image': 'bogus' is not one of ['community', 'public', 'private', 'shared']",
        ),
      ],
      [
        "a numeric name",
        { name: 5 },
        400,
        webobJson(
          400,
          "Bad Request",
          "Provided object does not match schema 'image': 5 is not of type 'null', 'string'",
        ),
      ],
      [
        "a non-string additional property",
        { foo: 1 },
        400,
        webobJson(
          400,
          "Bad Request",
          "Provided object does not match schema 'image': 1 is not of type 'string'",
        ),
      ],
      ["a read-only key", { self: "/x" }, 403, webobJson(403, "Forbidden", "Attribute 'self' is read-only.")],
      [
        "a read-only status",
        { status: "active" },
        403,
        webobJson(403, "Forbidden", "Attribute 'status' is read-only."),
      ],
      [
        "another owner",
        { owner: "proj-b" },
        403,
        webobJson(403, "Forbidden", "You are not permitted to create images owned by 'proj-b'."),
      ],
      [
        "a 4-byte name",
        { name: "\u{1F600}" },
        400,
        webobJson(400, "Bad Request", "Name can't contain 4 byte unicode characters."),
      ],
    ])("refuses %s", async (_what, body, status, json) => {
      const reply = await api("POST", "/v2/images", { project: "proj-a", body });
      expect([reply.status, reply.json]).toEqual([status, json]);
    });

    it("lets an admin create a public image in its project", async () => {
      const reply = await api("POST", "/v2/images", {
        project: "proj-a",
        roles: "admin",
        body: { visibility: "public" },
      });
      expect(reply.status).toBe(201);
      expect(reply.json).toMatchObject({ visibility: "public", owner: "proj-a", name: null });
    });

    it("hides an image from strangers with Glance's message", async () => {
      const { id } = emulator.createImage({ owner: "proj-a", visibility: "shared" });
      const reply = await api("GET", `/v2/images/${id}`, { project: "proj-b" });
      expect([reply.status, reply.json]).toEqual([
        404,
        webobJson(404, "Not Found", `No image found with ID ${id}`),
      ]);
    });

    it("patches name and visibility for the owner, refuses others", async () => {
      const { id } = emulator.createImage({ owner: "proj-a", visibility: "shared", name: "old" });
      emulator.addMember(id, "proj-b");
      const changes = [
        { op: "replace", path: "/name", value: "new" },
        { op: "replace", path: "/visibility", value: "private" },
      ];

      const byMember = await api("PATCH", `/v2/images/${id}`, {
        project: "proj-b",
        headers: PATCH,
        body: changes,
      });
      expect([byMember.status, byMember.json]).toEqual([
        403,
        webobJson(403, "Forbidden", "You do not own this image"),
      ]);

      const byOwner = await api("PATCH", `/v2/images/${id}`, {
        project: "proj-a",
        headers: PATCH,
        body: changes,
      });
      expect(byOwner.status).toBe(200);
      expect(byOwner.json).toMatchObject({ id, name: "new", visibility: "private" });

      const toPublic = await api("PATCH", `/v2/images/${id}`, {
        project: "proj-a",
        headers: PATCH,
        body: [{ op: "replace", path: "/visibility", value: "public" }],
      });
      expect(toPublic.status).toBe(403);
      expect((await api("GET", `/v2/images/${id}`, { project: "proj-a" })).json).toMatchObject({
        visibility: "private",
      });
    });

    it("applies a patch all or nothing", async () => {
      const { id } = emulator.createImage({ owner: "proj-a", name: "kept" });
      const reply = await api("PATCH", `/v2/images/${id}`, {
        project: "proj-a",
        headers: PATCH,
        body: [
          { op: "replace", path: "/name", value: "changed" },
          { op: "replace", path: "/nonexistent", value: "x" },
        ],
      });
      expect(reply.status).toBe(409);
      expect(reply.json).toEqual({
        message:
          "There was a conflict when trying to complete your request.<br /><br />\nProperty nonexistent does not exist.\n\n",
        code: "409 Conflict",
        title: "Conflict",
      });
      expect((await api("GET", `/v2/images/${id}`, { project: "proj-a" })).json).toMatchObject({
        name: "kept",
      });
    });

    it("answers 415 with Accept-Patch for a plain JSON patch", async () => {
      const { id } = emulator.createImage({ owner: "proj-a" });
      const reply = await api("PATCH", `/v2/images/${id}`, {
        project: "proj-a",
        headers: { "content-type": "application/json" },
        body: [],
      });
      expect(reply.status).toBe(415);
      expect(reply.headers["accept-patch"]).toBe(
        "application/openstack-images-v2.0-json-patch, application/openstack-images-v2.1-json-patch",
      );
      expect(reply.json).toEqual({
        message: "The request media type application/json is not supported by this server.\n<br /><br />\n",
        code: "415 Unsupported Media Type",
        title: "Unsupported Media Type",
      });
    });

    it.each<[string, unknown, number, string]>([
      ["a non-array body", {}, 400, "Request body must be a JSON array of operation objects."],
      [
        "an unknown op",
        [{ op: "move", path: "/name" }],
        400,
        "Invalid operation: `move`. It must be one of the following: add, remove, replace.",
      ],
      [
        "a missing value",
        [{ op: "replace", path: "/name" }],
        400,
        'Operation "replace" requires a member named "value".',
      ],
      [
        "a pointer without slash",
        [{ op: "replace", path: "name", value: "x" }],
        400,
        'Pointer `name` does not start with "/".',
      ],
      [
        "a deep pointer",
        [{ op: "replace", path: "/name/x", value: "x" }],
        400,
        "Invalid JSON pointer for this resource: '/name/x'",
      ],
      [
        "a read-only attribute",
        [{ op: "replace", path: "/status", value: "active" }],
        403,
        "Attribute 'status' is read-only.",
      ],
      [
        "locations",
        [{ op: "add", path: "/locations/-", value: {} }],
        403,
        "It's not allowed to add locations if locations are invisible.",
      ],
    ])("refuses a patch with %s", async (_what, body, status, message) => {
      const { id } = emulator.createImage({ owner: "proj-a" });
      const reply = await api("PATCH", `/v2/images/${id}`, { project: "proj-a", headers: PATCH, body });
      expect(reply.status).toBe(status);
      expect((reply.json as { message: string }).message).toBe(`${message}<br /><br />\n\n\n`);
    });

    it("deletes for the owner only, and the id stays taken", async () => {
      const { id } = emulator.createImage({ owner: "proj-a", visibility: "public" });
      const byOther = await api("DELETE", `/v2/images/${id}`, { project: "proj-b" });
      expect([byOther.status, byOther.json]).toEqual([
        403,
        webobJson(403, "Forbidden", "You do not own this image"),
      ]);
      const byOwner = await api("DELETE", `/v2/images/${id}`, { project: "proj-a" });
      // The images controller leaves webob's default Content-Type on its 204.
      expect([byOwner.status, byOwner.text, byOwner.contentType]).toEqual([
        204,
        "",
        "text/html; charset=UTF-8",
      ]);
      const again = await api("DELETE", `/v2/images/${id}`, { project: "proj-a" });
      expect(again.json).toEqual(webobJson(404, "Not Found", `Failed to find image ${id} to delete`));
      expect(() => emulator.createImage({ owner: "proj-a", id })).toThrow(`Image ID ${id} already exists!`);
    });
  });

  describe("listing", () => {
    let shared: string;

    beforeEach(() => {
      for (const visibility of ["public", "community", "private", "shared"] as const) {
        emulator.createImage({ owner: "proj-a", visibility, name: `a-${visibility}` });
      }
      shared = emulator.createImage({ owner: "proj-a", visibility: "shared", name: "a-shared-2" }).id;
      emulator.createImage({ owner: "proj-b", visibility: "shared", name: "b-own" });
      emulator.createImage({ owner: "proj-b", visibility: "community", name: "b-community" });
    });

    it("gives a project public, own and accepted shared images by default", async () => {
      emulator.addMember(shared, "proj-b");
      expect(names(await list("proj-b"))).toEqual(["a-public", "b-community", "b-own"]);
      emulator.addMember(shared, "proj-b", { status: "accepted" });
      expect(names(await list("proj-b", "?limit=10"))).toEqual([
        "a-public",
        "a-shared-2",
        "b-community",
        "b-own",
      ]);
    });

    it("filters only the shared-with-me part by member_status", async () => {
      emulator.addMember(shared, "proj-b", { status: "rejected" });
      expect(names(await list("proj-b", "?member_status=rejected&limit=10"))).toEqual([
        "a-public",
        "a-shared-2",
        "b-community",
        "b-own",
      ]);
      expect(names(await list("proj-b", "?member_status=pending"))).toEqual([
        "a-public",
        "b-community",
        "b-own",
      ]);
      expect(names(await list("proj-b", "?member_status=all&visibility=shared"))).toEqual([
        "a-shared-2",
        "b-own",
      ]);
    });

    it("includes the caller's own shared images in visibility=shared; owner= narrows to a producer", async () => {
      emulator.addMember(shared, "proj-b", { status: "accepted" });
      expect(names(await list("proj-b", "?visibility=shared"))).toEqual(["a-shared-2", "b-own"]);
      expect(names(await list("proj-b", "?visibility=shared&owner=proj-a"))).toEqual(["a-shared-2"]);
    });

    it("shows others' community images only when asked for", async () => {
      expect(names(await list("proj-c"))).toEqual(["a-public"]);
      expect(names(await list("proj-c", "?visibility=community"))).toEqual(["a-community", "b-community"]);
      expect(names(await list("proj-c", "?visibility=all"))).toEqual([
        "a-community",
        "a-public",
        "b-community",
      ]);
    });

    it("shows an admin every image, community ones only when asked for", async () => {
      expect(names(await list("proj-admin", "?limit=100", "admin"))).toEqual([
        "a-private",
        "a-public",
        "a-shared",
        "a-shared-2",
        "b-own",
      ]);
      expect(names(await list("proj-admin", "?visibility=shared&limit=100", "admin"))).toEqual([
        "a-shared",
        "a-shared-2",
        "b-own",
      ]);
    });

    it.each([
      ["?member_status=bogus", "Invalid status: bogus"],
      ["?visibility=bogus", "Invalid visibility value: bogus"],
      ["?visibility=bogus&member_status=bogus", "Invalid visibility value: bogus"],
      ["?limit=abc", "limit param must be an integer"],
      ["?limit=-1", "limit param must be positive"],
      [
        "?sort_key=owner",
        "Invalid sort key: owner. It must be one of the following: name, status, container_format, disk_format, size, id, created_at, updated_at.",
      ],
      [
        "?marker=22222222-2222-3333-4444-555555555555",
        "No image found with ID 22222222-2222-3333-4444-555555555555",
      ],
    ])("answers 400 for %s", async (query, message) => {
      const reply = await api("GET", `/v2/images${query}`, { project: "proj-b" });
      expect([reply.status, reply.json]).toEqual([400, webobJson(400, "Bad Request", message)]);
    });

    it("refuses a marker the caller cannot see", async () => {
      const reply = await api("GET", `/v2/images?marker=${shared}`, { project: "proj-c" });
      expect([reply.status, reply.json]).toEqual([
        403,
        webobJson(403, "Forbidden", `Forbidding request, image ${shared} not visible`),
      ]);
    });

    it("sorts by name when asked", async () => {
      const body = await list("proj-a", "?sort=name:asc&limit=10");
      expect(body.images.map((image) => image.name)).toEqual([
        "a-community",
        "a-private",
        "a-public",
        "a-shared",
        "a-shared-2",
      ]);
      expect(body.first).toBe("/v2/images?sort=name%3Aasc&limit=10");
      expect(body.next).toBeUndefined();
    });
  });

  describe("pagination (page size 3)", () => {
    it("returns newest first and follows next to the end, keeping the other parameters", async () => {
      const created: string[] = [];
      for (let i = 0; i < 8; i++) {
        const { id } = emulator.createImage({ owner: "proj-a", visibility: "shared" });
        emulator.addMember(id, "proj-b", { status: i % 2 === 0 ? "accepted" : "pending" });
        created.push(id);
      }
      emulator.createImage({ owner: "proj-c", visibility: "private" });

      const seen: string[] = [];
      const pages: ListJson[] = [];
      let path: string | undefined = "/v2/images?visibility=shared&member_status=all";
      while (path !== undefined) {
        const reply = await api("GET", path, { project: "proj-b" });
        expect(reply.status).toBe(200);
        const page = reply.json as ListJson;
        pages.push(page);
        seen.push(...page.images.map((image) => image.id));
        path = page.next;
      }

      expect(seen).toEqual([...created].reverse());
      expect(pages.map((page) => page.images.length)).toEqual([3, 3, 2]);
      expect(pages[0]?.first).toBe("/v2/images?visibility=shared&member_status=all");
      expect(pages[0]?.next).toBe(`/v2/images?visibility=shared&member_status=all&marker=${created[5]}`);
      expect(pages[1]?.first).toBe("/v2/images?visibility=shared&member_status=all");
      expect(pages[2]?.schema).toBe("/v2/schemas/images");
    });

    it("gives next on a full last page, which then leads to an empty page without next", async () => {
      for (let i = 0; i < 4; i++) {
        emulator.createImage({ owner: "proj-a", visibility: "private" });
      }
      const first = await list("proj-a", "?limit=2");
      expect(first.next).toMatch(/^\/v2\/images\?limit=2&marker=/);
      const second = (await api("GET", first.next ?? "", { project: "proj-a" })).json as ListJson;
      expect(second.images).toHaveLength(2);
      expect(second.next).toBeDefined();
      const third = (await api("GET", second.next ?? "", { project: "proj-a" })).json as ListJson;
      expect(third.images).toEqual([]);
      expect(third.next).toBeUndefined();
    });

    it("caps limit at 1000 and uses the configured page size without one", async () => {
      for (let i = 0; i < 5; i++) {
        emulator.createImage({ owner: "proj-a", visibility: "private" });
      }
      expect((await list("proj-a")).images).toHaveLength(3);
      expect((await list("proj-a", "?limit=100000")).images).toHaveLength(5);
    });
  });
});
