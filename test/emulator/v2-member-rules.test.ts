/**
 * The v2 member rules case by case: request bodies, the order of checks, quotas, soft-delete reuse,
 * who sees what, methods, and visibility changes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { call, webobJson, type CallOptions, type Reply } from "./client.js";

const MISSING_IMAGE = "11111111-2222-3333-4444-555555555555";

describe("v2 image members, rule by rule", () => {
  let emulator: Emulator;
  let image: string;
  const api = (method: string, path: string, options?: CallOptions): Promise<Reply> =>
    call(emulator.url, method, path, options);
  const members = (id = image): string => `/v2/images/${id}/members`;
  const member = (memberId: string, id = image): string => `${members(id)}/${encodeURIComponent(memberId)}`;

  beforeAll(async () => {
    emulator = await startEmulator({ memberQuota: 3 });
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    emulator.reset();
    image = emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
  });

  describe("request bodies", () => {
    it.each<[string, string | undefined, string]>([
      ["no body", undefined, "Body expected in request."],
      ["invalid JSON", '{"member": ', "Malformed JSON in request body."],
      ["XML", "<member>proj-b</member>", "Malformed JSON in request body."],
      ["a JSON string", '"proj-b"', "Unexpected body type. Expected list/dict."],
      ["a JSON number", "42", "Unexpected body type. Expected list/dict."],
      ["a JSON array", '["proj-b"]', 'Expected a member in the form: {"member": "image_id"}'],
      ["an empty object", "{}", "Member to be added not specified"],
      ["member_id instead of member", '{"member_id": "proj-b"}', "Member to be added not specified"],
      ["an empty member", '{"member": ""}', "Member can't be empty"],
      ["a null member", '{"member": null}', "Member can't be empty"],
      ["a zero member", '{"member": 0}', "Member can't be empty"],
      ["a false member", '{"member": false}', "Member can't be empty"],
    ])("POST with %s → 400, even on an image that does not exist", async (_what, body, message) => {
      for (const id of [image, MISSING_IMAGE]) {
        const reply = await api("POST", members(id), { project: "proj-a", body });
        expect(reply.status).toBe(400);
        expect(reply.json).toEqual(webobJson(400, "Bad Request", message));
      }
    });

    it.each<[string, string | undefined, string]>([
      ["no body", undefined, "Body expected in request."],
      ["invalid JSON", '{"status": ', "Malformed JSON in request body."],
      ["a JSON array", '["accepted"]', 'Expected a status in the form: {"status": "status"}'],
      ["no status key", "{}", "Status not specified"],
    ])("PUT with %s → 400 before the image is looked up", async (_what, body, message) => {
      const reply = await api("PUT", member("proj-b", MISSING_IMAGE), { project: "proj-b", body });
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual(webobJson(400, "Bad Request", message));
    });

    it.each([[""], [1], ["ACCEPTED"], [null]])(
      "PUT status %j → 400 after the member lookup",
      async (status) => {
        emulator.addMember(image, "proj-b");
        const reply = await api("PUT", member("proj-b"), { project: "proj-b", body: { status } });
        expect(reply.status).toBe(400);
        expect(reply.json).toEqual(
          webobJson(
            400,
            "Bad Request",
            'Incorrect request: Status must be "pending", "accepted" or "rejected".',
          ),
        );
        const bogusOnMissingImage = await api("PUT", member("proj-b", MISSING_IMAGE), {
          project: "proj-b",
          body: { status },
        });
        expect(bogusOnMissingImage.status).toBe(404);
      },
    );

    it("ignores the Content-Type and extra fields: a member always starts pending", async () => {
      const reply = await api("POST", members(), {
        project: "proj-a",
        body: { member: "proj-b", status: "accepted", foo: "bar" },
        headers: { "content-type": "text/plain" },
      });
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({ member_id: "proj-b", status: "pending" });
    });

    it("echoes a numeric member as a number, then stores and shows it as a string", async () => {
      const created = await api("POST", members(), { project: "proj-a", body: '{"member": 123}' });
      expect(created.status).toBe(200);
      expect(created.text).toContain('"member_id": 123,');
      const shown = await api("GET", member("123"), { project: "proj-a" });
      expect((shown.json as { member_id: unknown }).member_id).toBe("123");
    });

    it("answers 500 for an object as member", async () => {
      const reply = await api("POST", members(), { project: "proj-a", body: { member: { id: "x" } } });
      expect(reply.status).toBe(500);
      expect(reply.json).toEqual({
        message:
          "The server has either erred or is incapable of performing the requested operation.<br /><br />\n\n\n",
        code: "500 Internal Server Error",
        title: "Internal Server Error",
      });
    });

    it("refuses a member with a 4-byte UTF-8 character", async () => {
      const reply = await api("POST", members(), { project: "proj-a", body: { member: "proj-\u{1F693}" } });
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual(
        webobJson(400, "Bad Request", "Member can't contain 4 byte unicode characters."),
      );
    });

    it("accepts odd member ids as given: whitespace, slash, non-ASCII, 300 characters, the owner itself", async () => {
      const long = "m".repeat(300);
      const second = emulator.createImage({ owner: "proj-a" }).id;
      for (const [id, target] of [
        [" ", image],
        ["a/b", image],
        ["pröj-ü", image],
        [long, second],
        ["proj-a", second],
      ] as const) {
        const reply = await api("POST", members(target), { project: "proj-a", body: { member: id } });
        expect(reply.status).toBe(200);
        expect((reply.json as { member_id: string }).member_id).toBe(id);
      }
      expect((await api("GET", member("pröj-ü"), { project: "proj-a" })).status).toBe(200);
      expect((await api("GET", member(long, second), { project: "proj-a" })).status).toBe(200);
      // An encoded slash is decoded before routing, so that member cannot be addressed by URL.
      expect((await api("GET", member("a/b"), { project: "proj-a" })).status).toBe(404);
    });

    it("rejects a body on GET and DELETE before anything else", async () => {
      emulator.addMember(image, "proj-b");
      for (const [method, path] of [
        ["GET", members()],
        ["GET", member("proj-b")],
        ["DELETE", member("proj-b")],
        ["GET", members(MISSING_IMAGE)],
      ] as const) {
        const reply = await api(method, path, { project: "proj-a", body: {} });
        expect(reply.status).toBe(400);
        expect(reply.json).toEqual(
          webobJson(400, "Bad Request", "A body is not expected with this request."),
        );
      }
      const list = await api("GET", members(), { project: "proj-a" });
      expect((list.json as { members: unknown[] }).members).toHaveLength(1);
    });
  });

  describe("quota (3 here), duplicates and reuse", () => {
    it("counts rejected members, does not exempt admins, and checks the quota before duplicates", async () => {
      emulator.addMember(image, "q-1", { status: "rejected" });
      emulator.addMember(image, "q-2");
      emulator.addMember(image, "q-3", { status: "accepted" });
      const message = `Image member limit exceeded for image ${image}: The limit has been exceeded on the number of allowed image members for this image. Attempted: 4, Maximum: 3:`;
      for (const options of [
        { project: "proj-a", body: { member: "q-4" } },
        { project: "proj-admin", roles: "admin", body: { member: "q-4" } },
        { project: "proj-a", body: { member: "q-1" } },
      ]) {
        const reply = await api("POST", members(), options);
        expect(reply.status).toBe(413);
        expect(reply.json).toEqual(webobJson(413, "Request Entity Too Large", message));
      }
      expect((await api("DELETE", member("q-1"), { project: "proj-a" })).status).toBe(204);
      expect((await api("POST", members(), { project: "proj-a", body: { member: "q-4" } })).status).toBe(200);
    });

    it("answers 409 for a member already present", async () => {
      emulator.addMember(image, "proj-b");
      const reply = await api("POST", members(), { project: "proj-a", body: { member: "proj-b" } });
      expect(reply.status).toBe(409);
      expect(reply.json).toEqual(
        webobJson(409, "Conflict", `Member proj-b is duplicated for image ${image}`),
      );
    });

    it("reuses a deleted membership: back to pending, in its old place, with a new created_at", async () => {
      emulator.addMember(image, "proj-b", { status: "accepted" });
      emulator.addMember(image, "proj-c");
      const before = await api("GET", member("proj-b"), { project: "proj-a" });
      expect((await api("DELETE", member("proj-b"), { project: "proj-a" })).status).toBe(204);
      await new Promise((resolve) => setTimeout(resolve, 1_050));

      const again = await api("POST", members(), { project: "proj-a", body: { member: "proj-b" } });

      expect(again.status).toBe(200);
      const first = before.json as { created_at: string };
      const second = again.json as { created_at: string; status: string };
      expect(second.status).toBe("pending");
      expect(second.created_at > first.created_at).toBe(true);
      const list = await api("GET", members(), { project: "proj-a" });
      expect(
        (list.json as { members: Array<{ member_id: string }> }).members.map((m) => m.member_id),
      ).toEqual(["proj-b", "proj-c"]);
    });

    it("a second delete of the same member is a 404", async () => {
      emulator.addMember(image, "proj-b");
      expect((await api("DELETE", member("proj-b"), { project: "proj-a" })).status).toBe(204);
      const again = await api("DELETE", member("proj-b"), { project: "proj-a" });
      expect(again.status).toBe(404);
      expect(again.json).toEqual(
        webobJson(404, "Not Found", `proj-b not found in the member list of the image ${image}.`),
      );
    });
  });

  describe("who may do what", () => {
    beforeEach(() => {
      emulator.addMember(image, "proj-b");
      emulator.addMember(image, "proj-c", { status: "accepted" });
    });

    it("a member lists only its own row, whatever its status", async () => {
      await api("PUT", member("proj-b"), { project: "proj-b", body: { status: "rejected" } });
      const reply = await api("GET", members(), { project: "proj-b" });
      expect((reply.json as { members: Array<{ member_id: string; status: string }> }).members).toEqual([
        expect.objectContaining({ member_id: "proj-b", status: "rejected" }),
      ]);
    });

    it("a member cannot see another member: 404 on show and update, 403 on delete", async () => {
      const show = await api("GET", member("proj-c"), { project: "proj-b" });
      const update = await api("PUT", member("proj-c"), { project: "proj-b", body: { status: "accepted" } });
      const remove = await api("DELETE", member("proj-c"), { project: "proj-b" });
      const notInList = webobJson(
        404,
        "Not Found",
        `proj-c not found in the member list of the image ${image}.`,
      );
      expect([show.status, show.json]).toEqual([404, notInList]);
      expect([update.status, update.json]).toEqual([404, notInList]);
      expect(remove.status).toBe(403);
    });

    it("a member cannot add members", async () => {
      const reply = await api("POST", members(), { project: "proj-b", body: { member: "proj-d" } });
      expect(reply.status).toBe(403);
      expect(reply.json).toEqual(
        webobJson(403, "Forbidden", `Not allowed to create members for image ${image}.`),
      );
    });

    it("the owner gets 403 when setting any status, even of a non-member", async () => {
      const reply = await api("PUT", member("proj-z"), { project: "proj-a", body: { status: "accepted" } });
      expect(reply.status).toBe(403);
    });

    it("the owner gets a 404 naming the member for a non-member", async () => {
      const reply = await api("GET", member("proj-z"), { project: "proj-a" });
      expect(reply.json).toEqual(
        webobJson(404, "Not Found", `proj-z not found in the member list of the image ${image}.`),
      );
    });

    it("a stranger gets 404 on every call, never 403", async () => {
      const expected = webobJson(404, "Not Found", `Image ${image} not found.`);
      for (const [method, path, body] of [
        ["GET", members(), undefined],
        ["POST", members(), { member: "proj-x" }],
        ["GET", member("proj-b"), undefined],
        ["GET", member("proj-x"), undefined],
        ["PUT", member("proj-x"), { status: "accepted" }],
        ["DELETE", member("proj-b"), undefined],
      ] as const) {
        const reply = await api(method, path, { project: "proj-x", body });
        expect([method, reply.status, reply.json]).toEqual([method, 404, expected]);
      }
    });

    it("an admin adds, sets any member's status and deletes", async () => {
      const admin = { project: "proj-admin", roles: "Member,ADMIN" };
      expect((await api("POST", members(), { ...admin, body: { member: "proj-d" } })).status).toBe(200);
      const put = await api("PUT", member("proj-b"), { ...admin, body: { status: "accepted" } });
      expect((put.json as { status: string }).status).toBe("accepted");
      expect((await api("DELETE", member("proj-c"), admin)).status).toBe(204);
      const list = await api("GET", members(), admin);
      expect(
        (list.json as { members: Array<{ member_id: string }> }).members.map((m) => m.member_id),
      ).toEqual(["proj-b", "proj-d"]);
    });

    it("moves a status any way, back to pending too", async () => {
      const statuses: string[] = [];
      for (const status of ["accepted", "rejected", "pending", "pending", "accepted"]) {
        const reply = await api("PUT", member("proj-b"), { project: "proj-b", body: { status } });
        statuses.push((reply.json as { status: string }).status);
      }
      expect(statuses).toEqual(["accepted", "rejected", "pending", "pending", "accepted"]);
    });

    it("a member reads the image in any status, and loses it when removed", async () => {
      await api("PUT", member("proj-b"), { project: "proj-b", body: { status: "rejected" } });
      expect((await api("GET", `/v2/images/${image}`, { project: "proj-b" })).status).toBe(200);
      await api("DELETE", member("proj-b"), { project: "proj-a" });
      const gone = await api("GET", `/v2/images/${image}`, { project: "proj-b" });
      expect(gone.status).toBe(404);
      expect(gone.json).toEqual(webobJson(404, "Not Found", `No image found with ID ${image}`));
    });
  });

  describe("visibility changes", () => {
    it("keeps the member list while the image is private and brings it back unchanged", async () => {
      emulator.addMember(image, "proj-b", { status: "accepted" });
      const patch = (visibility: string): Promise<Reply> =>
        api("PATCH", `/v2/images/${image}`, {
          project: "proj-a",
          headers: { "content-type": "application/openstack-images-v2.1-json-patch" },
          body: [{ op: "replace", path: "/visibility", value: visibility }],
        });
      expect((await patch("private")).status).toBe(200);

      const list = await api("GET", members(), { project: "proj-a" });
      expect([list.status, list.json]).toEqual([
        403,
        webobJson(
          403,
          "Forbidden",
          `Not allowed to list members for image ${image}: Only shared images have members.`,
        ),
      ]);
      const show = await api("GET", member("proj-b"), { project: "proj-a" });
      expect([show.status, show.json]).toEqual([
        404,
        webobJson(404, "Not Found", "Only shared images have members."),
      ]);
      const put = await api("PUT", member("proj-b"), { project: "proj-b", body: { status: "rejected" } });
      expect([put.status, put.json]).toEqual([404, webobJson(404, "Not Found", `Image ${image} not found.`)]);
      expect((await api("GET", `/v2/images/${image}`, { project: "proj-b" })).status).toBe(404);

      expect((await patch("shared")).status).toBe(200);
      const back = await api("GET", member("proj-b"), { project: "proj-b" });
      expect((back.json as { status: string }).status).toBe("accepted");
    });

    it("deleting the image deletes its memberships", async () => {
      emulator.addMember(image, "proj-b");
      expect((await api("DELETE", `/v2/images/${image}`, { project: "proj-a" })).status).toBe(204);
      const reply = await api("GET", members(), { project: "proj-a" });
      expect([reply.status, reply.json]).toEqual([
        404,
        webobJson(404, "Not Found", `Image ${image} not found.`),
      ]);
    });
  });

  describe("methods and schemas", () => {
    it.each([
      ["PATCH", "/members", "GET, POST"],
      ["PUT", "/members", "GET, POST"],
      ["DELETE", "/members", "GET, POST"],
      ["POST", "/members/proj-b", "GET, PUT, DELETE"],
      ["PATCH", "/members/proj-b", "GET, PUT, DELETE"],
    ])("%s on %s → 405 with Allow: %s", async (method, suffix, allow) => {
      const reply = await api(method, `/v2/images/${image}${suffix}`, { project: "proj-a" });
      expect(reply.status).toBe(405);
      expect(reply.headers.allow).toBe(allow);
      expect(reply.json).toEqual({
        message: `The method ${method} is not allowed for this resource. <br /><br />\n`,
        code: "405 Method Not Allowed",
        title: "Method Not Allowed",
      });
    });

    it("HEAD on /members → 405 with an empty text/html body", async () => {
      const reply = await api("HEAD", members(), { project: "proj-a" });
      expect(reply.status).toBe(405);
      expect(reply.headers.allow).toBe("GET, POST");
      expect(reply.contentType).toBe("text/html; charset=UTF-8");
      expect(reply.text).toBe("");
    });

    it("serves the member schemas", async () => {
      const one = await api("GET", "/v2/schemas/member", { project: "proj-a" });
      const many = await api("GET", "/v2/schemas/members", { project: "proj-a" });
      const memberSchema = {
        name: "member",
        properties: {
          member_id: { type: "string", description: "An identifier for the image member (tenantId)" },
          image_id: {
            type: "string",
            description: "An identifier for the image",
            pattern:
              "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$",
          },
          created_at: { type: "string", description: "Date and time of image member creation" },
          updated_at: { type: "string", description: "Date and time of last modification of image member" },
          status: {
            type: "string",
            description: "The status of this image member",
            enum: ["pending", "accepted", "rejected"],
          },
          schema: { readOnly: true, type: "string" },
        },
      };
      expect([one.status, one.json]).toEqual([200, memberSchema]);
      expect([many.status, many.json]).toEqual([
        200,
        {
          name: "members",
          properties: { members: { type: "array", items: memberSchema }, schema: { type: "string" } },
          links: [{ rel: "describedby", href: "{schema}" }],
        },
      ]);
      expect(one.text.startsWith('{"name": "member", "properties": {"member_id": {"type": "string"')).toBe(
        true,
      );
    });

    it("answers 404 for paths that are not routes", async () => {
      for (const path of [`/v2/images/${image}/members/`, `/v2/images//members`, "/v2/", "/v2/nothing"]) {
        const reply = await api("GET", path, { project: "proj-a" });
        expect([path, reply.status, reply.json]).toEqual([
          path,
          404,
          webobJson(404, "Not Found", "The resource could not be found."),
        ]);
      }
    });
  });
});
