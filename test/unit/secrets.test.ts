/** Which credentials a request carries, and where in a text they are redacted. */
import { describe, expect, it } from "vitest";
import { scrub } from "../../src/domain/redaction.js";
import { clientSecrets, scrubDeep } from "../../src/server/secrets.js";

describe("scrub", () => {
  it("leaves a short token alone where it is part of a longer word", () => {
    const text = "nothing to do: no-op, no_such member, not found, nó, 1no2";
    expect(scrub(text, ["no"])).toBe(text);
    expect(scrub("abcdef is not abc123 nor xabc", ["abc"])).toBe("abcdef is not abc123 nor xabc");
  });

  it("redacts a token standing as a whole value, however short, wherever it is delimited", () => {
    expect(scrub("no", ["no"])).toBe("[redacted]");
    expect(scrub('Variable "$s" got invalid value "no"', ["no"])).toBe(
      'Variable "$s" got invalid value "[redacted]"',
    );
    expect(scrub("Token abcdef123 may not list members", ["abcdef123"])).toBe(
      "Token [redacted] may not list members",
    );
    expect(scrub("rejected token abcdef123.", ["abcdef123"])).toBe("rejected token [redacted].");
    expect(scrub("/v2/images/i1/members/abcdef123", ["abcdef123"])).toBe("/v2/images/i1/members/[redacted]");
    expect(scrub("?token=abc&x=abc", ["abc"])).toBe("?token=[redacted]&x=[redacted]");
    expect(scrub("(abc) [abc] 'abc', abc:abc", ["abc"])).toBe(
      "([redacted]) [[redacted]] '[redacted]', [redacted]:[redacted]",
    );
  });

  it("tells letters beyond the BMP from delimiters", () => {
    expect(scrub("\u{1d49c}abc abc\u{1d49c} 😀abc😀", ["abc"])).toBe(
      "\u{1d49c}abc abc\u{1d49c} 😀[redacted]😀",
    );
  });

  it("replaces the longest secret first, and ignores empty ones", () => {
    expect(scrub("Bearer abc.def and abc.def", ["Bearer abc.def", "abc.def", ""])).toBe(
      "[redacted] and [redacted]",
    );
    expect(scrub("text", [""])).toBe("text");
  });
});

describe("scrubDeep", () => {
  it("scrubs every string of an error: message, path, extensions at any depth", () => {
    const error = {
      message: "member tok-1 not found",
      locations: [{ line: 1, column: 2 }],
      path: ["tok-1", 0, "status"],
      extensions: {
        code: "NOT_FOUND",
        retryable: false,
        upstream: { status: 404, path: "/v2/images/i1/members/tok-1", requestId: null },
        notes: [["tok-1"], { deeper: ["see tok-1"] }],
      },
    };
    expect(scrubDeep(error, ["tok-1"])).toEqual({
      message: "member [redacted] not found",
      locations: [{ line: 1, column: 2 }],
      path: ["[redacted]", 0, "status"],
      extensions: {
        code: "NOT_FOUND",
        retryable: false,
        upstream: { status: 404, path: "/v2/images/i1/members/[redacted]", requestId: null },
        notes: [["[redacted]"], { deeper: ["see [redacted]"] }],
      },
    });
    expect(error.extensions.upstream.path).toBe("/v2/images/i1/members/tok-1");
  });

  it("returns what has nothing to scrub as it is", () => {
    const error = { message: "member not found", extensions: { upstream: { path: "/v2/x" } } };
    expect(scrubDeep(error, ["tok-1"])).toBe(error);
    expect(scrubDeep(error, [])).toBe(error);
  });
});

describe("clientSecrets", () => {
  it("takes every credential header, however short, also as it appears in a path", () => {
    expect(
      clientSecrets({ "x-auth-token": "a/b+c=", authorization: "Bearer no", "x-service-token": " t " }, [
        "x-service-token",
        "x-project-id",
      ]),
    ).toEqual(["a%2Fb%2Bc%3D", "Bearer%20no", "Bearer no", "a/b+c=", "no", "t"]);
  });
});
