import { describe, expect, it } from "vitest";
import { imageIdProblem, memberIdProblem } from "../../src/domain/validation.js";

describe("imageIdProblem", () => {
  it.each(["11111111-2222-3333-4444-555555555555", "0B5C6D1E-3A1F-4C2B-9D7E-8F9A0B1C2D3E"])(
    "accepts %s",
    (id) => {
      expect(imageIdProblem(id)).toBeNull();
    },
  );

  it.each([
    "",
    "not-a-uuid",
    "11111111-2222-3333-4444-55555555555",
    "11111111-2222-3333-4444-555555555555/x",
    "../etc",
  ])("refuses %j", (id) => {
    expect(imageIdProblem(id)).toMatch(/UUID/);
  });
});

describe("memberIdProblem", () => {
  it.each(["proj-b", "123456", "pröj-ü", "a".repeat(255), "ä".repeat(255), "a:b@c"])("accepts %j", (id) => {
    expect(memberIdProblem(id)).toBeNull();
  });

  it.each([
    ["", /empty/],
    ["a".repeat(256), /at most 255/],
    [" ", /whitespace/],
    ["a b", /whitespace/],
    ["a\tb", /whitespace/],
    ["a\u0000b", /control/],
    ["a\u007fb", /control/],
    ["a/b", /'\/'/],
    ["a\u00a0b", /whitespace/],
    ["😀", /Basic Multilingual Plane/],
    ["a\ud800b", /well-formed/],
  ])("refuses %j", (id, message) => {
    expect(memberIdProblem(id)).toMatch(message);
  });
});
