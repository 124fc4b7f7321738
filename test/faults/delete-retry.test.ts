/**
 * A DELETE retried after its first answer was lost: the retry's 404 most likely means the first
 * attempt removed the member. The gateway then answers success, with a warning and a log line,
 * rather than a NOT_FOUND for a deletion that happened.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { inOrder } from "./support/fault-proxy.js";
import { MEMBERS_QUERY, UNSHARE, startStack, webob, type Stack } from "./support/stack.js";

const owner = { "x-auth-token": "proj-a" };

describe("a retried DELETE whose first attempt may have succeeded", () => {
  let s: Stack;
  let image: string;

  beforeAll(async () => {
    s = await startStack({
      env: { UPSTREAM_RETRIES: "2", UPSTREAM_RETRY_BASE_MS: "5", CIRCUIT_BREAKER_THRESHOLD: "0" },
    });
  });
  afterAll(() => s.close());
  beforeEach(() => {
    s.emulator.reset();
    s.proxy.clear();
    s.proxy.choose = () => null;
    s.logs.length = 0;
    image = s.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
  });

  it("answer lost after the upstream removed the member, then 404: success, with a warning and a log line", async () => {
    s.emulator.addMember(image, "proj-b");
    s.proxy.choose = inOrder([{ kind: "forward-then-reset" }]);

    const answer = await s.post({ query: UNSHARE, variables: { i: image, m: "proj-b" } }, owner);

    expect(answer.json.errors).toBeUndefined();
    expect(answer.json.data).toEqual({ unshareImage: `${image}/proj-b` });
    expect(answer.json.extensions?.warnings).toEqual([
      {
        code: "ASSUMED_APPLIED",
        message: expect.stringMatching(/earlier attempt most likely deleted it/) as string,
        upstream: { method: "DELETE", path: `/v2/images/${image}/members/proj-b` },
      },
    ]);
    expect(s.proxy.records.map((r) => `${r.method} ${r.fault} ${r.forwarded}`)).toEqual([
      "DELETE forward-then-reset true",
      "DELETE null true",
    ]);
    const requestId = answer.headers.get("x-request-id");
    expect(s.logs).toContainEqual(
      expect.objectContaining({
        level: 40,
        requestId,
        method: "DELETE",
        msg: "retried DELETE answered 404 after a lost answer; taken as done",
      }),
    );
    const members = await s.post({ query: MEMBERS_QUERY, variables: { i: image } }, owner);
    expect(members.json.data).toEqual({ imageMembers: [] });
  });

  it("a 503 (not acted on) and then a 404 stays NOT_FOUND: nothing was deleted", async () => {
    s.proxy.choose = inOrder([
      {
        kind: "status",
        status: 503,
        headers: { "content-type": "application/json" },
        body: webob(503, "Service Unavailable", "busy"),
      },
    ]);

    const answer = await s.post({ query: UNSHARE, variables: { i: image, m: "proj-never" } }, owner);

    expect(answer.json.data).toBeNull();
    expect(answer.json.errors?.[0]?.extensions).toMatchObject({
      code: "NOT_FOUND",
      upstream: { status: 404, method: "DELETE" },
    });
    expect(answer.json.extensions?.warnings).toBeUndefined();
    expect(s.proxy.records).toHaveLength(2);
  });

  it("a DELETE answered 404 on its first attempt is NOT_FOUND", async () => {
    const answer = await s.post({ query: UNSHARE, variables: { i: image, m: "proj-never" } }, owner);
    expect(answer.json.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(s.proxy.records).toHaveLength(1);
  });
});
