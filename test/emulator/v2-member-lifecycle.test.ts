/**
 * Glance's own functional scenario for v2 image members (test_image_member_lifecycle), replayed
 * over HTTP against the emulator with image_member_quota=10. The steps build on each other.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { ISO_SECONDS, call, webobJson, type CallOptions, type Reply } from "./client.js";

const VISIBILITIES = ["community", "private", "public", "shared"] as const;
type Visibility = (typeof VISIBILITIES)[number];

describe("v2 image member lifecycle (Glance's functional scenario)", () => {
  let emulator: Emulator;
  const images = new Map<string, string>();
  const TENANT3 = randomUUID();
  const TENANT4 = randomUUID();

  const api = (method: string, path: string, options?: CallOptions): Promise<Reply> =>
    call(emulator.url, method, path, options);
  const image = (owner: string, visibility: Visibility): string => images.get(`${owner}-${visibility}`) ?? "";
  const members = (id: string): string => `/v2/images/${id}/members`;
  const count = async (project: string, query = ""): Promise<number> => {
    const reply = await api("GET", `/v2/images${query}`, { project });
    expect(reply.status).toBe(200);
    return (reply.json as { images: unknown[] }).images.length;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ memberQuota: 10 });
    for (const owner of ["tenant1", "tenant2", "admin"]) {
      for (const visibility of VISIBILITIES) {
        // Publicising needs the admin role; the image still belongs to the caller's project.
        const reply = await api("POST", "/v2/images", {
          project: owner,
          roles: visibility === "public" || owner === "admin" ? "admin" : "member,reader",
          body: { name: `${owner}-${visibility}`, visibility },
        });
        expect(reply.status).toBe(201);
        images.set(`${owner}-${visibility}`, (reply.json as { id: string }).id);
      }
    }
  });
  afterAll(() => emulator.close());

  it("1. an owner lists its four images plus the other public ones; a newcomer only the public ones", async () => {
    expect(await count("tenant1")).toBe(6);
    expect(await count(TENANT3)).toBe(3);
  });

  it("2. the owner shares its shared image: 200 with a pending member", async () => {
    const id = image("tenant1", "shared");
    const reply = await api("POST", members(id), { project: "tenant1", body: { member: TENANT3 } });

    expect(reply.status).toBe(200);
    expect(reply.contentType).toBe("application/json");
    expect(reply.json).toEqual({
      member_id: TENANT3,
      image_id: id,
      status: "pending",
      created_at: expect.stringMatching(ISO_SECONDS) as unknown,
      updated_at: expect.stringMatching(ISO_SECONDS) as unknown,
      schema: "/v2/schemas/member",
    });
  });

  it("3. the pending share shows up only when the member asks for pending shares", async () => {
    expect(await count(TENANT3)).toBe(3);
    expect(await count(TENANT3, "?visibility=shared")).toBe(0);
    expect(await count(TENANT3, "?member_status=pending")).toBe(4);
    expect(await count(TENANT3, "?member_status=all")).toBe(4);
    const pendingShared = await api("GET", "/v2/images?member_status=pending&visibility=shared", {
      project: TENANT3,
    });
    expect((pendingShared.json as { images: Array<{ name: string }> }).images.map((i) => i.name)).toEqual([
      "tenant1-shared",
    ]);
    expect(await count(TENANT3, "?member_status=rejected&visibility=shared")).toBe(0);
    expect(await count(TENANT3, "?member_status=accepted&visibility=shared")).toBe(0);
    expect(await count(TENANT3, "?visibility=private")).toBe(0);
  });

  it("4. an image without members lists an empty member list", async () => {
    const reply = await api("GET", members(image("tenant2", "shared")), { project: "tenant2" });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ members: [], schema: "/v2/schemas/members" });
  });

  it("5. the owner may not accept on the member's behalf", async () => {
    const id = image("tenant1", "shared");
    const reply = await api("PUT", `${members(id)}/${TENANT3}`, {
      project: "tenant1",
      body: { status: "accepted" },
    });
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual(webobJson(403, "Forbidden", `Not allowed to update members for image ${id}.`));
  });

  it("6. owner and member both read the membership", async () => {
    const path = `${members(image("tenant1", "shared"))}/${TENANT3}`;
    const byOwner = await api("GET", path, { project: "tenant1" });
    const byMember = await api("GET", path, { project: TENANT3 });
    expect([byOwner.status, byMember.status]).toEqual([200, 200]);
    expect((byOwner.json as { status: string }).status).toBe("pending");
    expect(byMember.json).toEqual(byOwner.json);
  });

  it("7. an unrelated project gets 404 for the image", async () => {
    const id = image("tenant1", "shared");
    const reply = await api("GET", `${members(id)}/${TENANT3}`, { project: "tenant2" });
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual(webobJson(404, "Not Found", `Image ${id} not found.`));
  });

  it("8. the member accepts and then lists the image by default", async () => {
    const reply = await api("PUT", `${members(image("tenant1", "shared"))}/${TENANT3}`, {
      project: TENANT3,
      body: { status: "accepted" },
    });
    expect(reply.status).toBe(200);
    expect((reply.json as { status: string }).status).toBe("accepted");
    expect(await count(TENANT3)).toBe(4);
  });

  it("9. an invalid status is a 400", async () => {
    const reply = await api("PUT", `${members(image("tenant1", "shared"))}/${TENANT3}`, {
      project: TENANT3,
      body: { status: "invalid-status" },
    });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual(
      webobJson(400, "Bad Request", 'Incorrect request: Status must be "pending", "accepted" or "rejected".'),
    );
  });

  it("11. the owner still cannot set the status", async () => {
    const reply = await api("PUT", `${members(image("tenant1", "shared"))}/${TENANT3}`, {
      project: "tenant1",
      body: { status: "accepted" },
    });
    expect(reply.status).toBe(403);
  });

  it("12. another owner shares its own image", async () => {
    const reply = await api("POST", members(image("tenant2", "shared")), {
      project: "tenant2",
      body: { member: TENANT4 },
    });
    expect(reply.status).toBe(200);
    expect((reply.json as { member_id: string }).member_id).toBe(TENANT4);
  });

  it("13. public, private and community images take no members", async () => {
    for (const visibility of ["public", "private", "community"] as const) {
      const id = image("tenant1", visibility);
      const reply = await api("POST", members(id), { project: "tenant1", body: { member: TENANT3 } });
      expect(reply.status).toBe(403);
      expect(reply.json).toEqual(
        webobJson(403, "Forbidden", `Not allowed to create members for image ${id}.`),
      );
    }
  });

  it("14. the owner, and an admin, list the one member", async () => {
    const path = members(image("tenant1", "shared"));
    const byOwner = await api("GET", path, { project: "tenant1" });
    const byAdmin = await api("GET", path, { project: "tenant1", roles: "admin" });
    expect((byOwner.json as { members: unknown[] }).members).toHaveLength(1);
    expect(byAdmin.json).toEqual(byOwner.json);
  });

  it("15. another owner's shared image is invisible", async () => {
    const reply = await api("GET", members(image("tenant2", "shared")), { project: "tenant1" });
    expect(reply.status).toBe(404);
  });

  it("16. listing members of a non-shared image is a 403 that says why", async () => {
    for (const visibility of ["public", "community", "private"] as const) {
      const id = image("tenant1", visibility);
      const reply = await api("GET", members(id), { project: "tenant1" });
      expect(reply.status).toBe(403);
      expect(reply.json).toEqual(
        webobJson(
          403,
          "Forbidden",
          `Not allowed to list members for image ${id}: Only shared images have members.`,
        ),
      );
    }
  });

  it("17. a member cannot remove itself", async () => {
    const id = image("tenant1", "shared");
    const reply = await api("DELETE", `${members(id)}/${TENANT3}`, { project: TENANT3 });
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual(webobJson(403, "Forbidden", `Not allowed to delete members for image ${id}.`));
  });

  it("18. the owner removes the member: 204 without body or content type", async () => {
    const id = image("tenant1", "shared");
    const reply = await api("DELETE", `${members(id)}/${TENANT3}`, { project: "tenant1" });
    expect(reply.status).toBe(204);
    expect(reply.text).toBe("");
    expect(reply.contentType).toBeUndefined();
    const list = await api("GET", members(id), { project: "tenant1" });
    expect((list.json as { members: unknown[] }).members).toEqual([]);
  });

  it("19. the eleventh member exceeds the quota of 10", async () => {
    const id = image("tenant1", "shared");
    for (let i = 0; i < 10; i++) {
      const reply = await api("POST", members(id), { project: "tenant1", body: { member: randomUUID() } });
      expect(reply.status).toBe(200);
    }
    const reply = await api("POST", members(id), { project: "tenant1", body: { member: randomUUID() } });
    expect(reply.status).toBe(413);
    expect(reply.reason).toBe("Request Entity Too Large");
    expect(reply.json).toEqual(
      webobJson(
        413,
        "Request Entity Too Large",
        `Image member limit exceeded for image ${id}: The limit has been exceeded on the number of allowed image ` +
          "members for this image. Attempted: 11, Maximum: 10:",
      ),
    );
  });

  it("20. showing a member of a non-shared image is a 404", async () => {
    for (const visibility of ["public", "community", "private"] as const) {
      const reply = await api("GET", `${members(image("tenant1", visibility))}/${TENANT3}`, {
        project: "tenant1",
      });
      expect(reply.status).toBe(404);
      expect(reply.json).toEqual(webobJson(404, "Not Found", "Only shared images have members."));
    }
  });

  it("21. deleting a member of a non-shared image is a 403", async () => {
    for (const visibility of ["public", "community", "private"] as const) {
      const id = image("tenant1", visibility);
      const reply = await api("DELETE", `${members(id)}/${TENANT3}`, { project: "tenant1" });
      expect(reply.status).toBe(403);
      expect(reply.json).toEqual(
        webobJson(403, "Forbidden", `Not allowed to delete members for image ${id}.`),
      );
    }
  });
});
