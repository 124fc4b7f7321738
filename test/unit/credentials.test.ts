import { describe, expect, it } from "vitest";
import { upstreamIdentity } from "../../src/server/credentials.js";

describe("upstreamIdentity", () => {
  it("sends X-Auth-Token as X-Auth-Token", () => {
    expect(upstreamIdentity({ "x-auth-token": "t1" }, []).headers).toEqual({ "x-auth-token": "t1" });
  });

  it("turns an Authorization bearer token into X-Auth-Token", () => {
    expect(upstreamIdentity({ authorization: "Bearer abc.def" }, []).headers).toEqual({
      "x-auth-token": "abc.def",
    });
  });

  it("prefers X-Auth-Token over Authorization", () => {
    expect(upstreamIdentity({ "x-auth-token": "t1", authorization: "Bearer t2" }, []).headers).toEqual({
      "x-auth-token": "t1",
    });
  });

  it("ignores Authorization schemes other than Bearer", () => {
    expect(upstreamIdentity({ authorization: "Basic dXNlcjpwdw==" }, []).headers).toEqual({});
  });

  it("forwards only the configured headers, verbatim", () => {
    const identity = upstreamIdentity(
      { "x-project-id": "proj-a", "x-roles": "member,reader", cookie: "s=1", "x-other": "y" },
      ["x-project-id", "x-roles", "x-identity-status"],
    );
    expect(identity.headers).toEqual({ "x-project-id": "proj-a", "x-roles": "member,reader" });
    expect(identity.project).toBe("proj-a");
  });

  it("knows no project when none is forwarded", () => {
    expect(upstreamIdentity({ "x-project-id": "proj-a" }, []).project).toBeNull();
  });
});
