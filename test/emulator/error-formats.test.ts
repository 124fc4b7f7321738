/** Error bodies follow the Accept header exactly as webob 1.8 renders them. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { call } from "./client.js";

const MISSING = "11111111-2222-3333-4444-555555555555";
const TEXT = `Image ${MISSING} not found.`;
const JSON_BODY = `{"message": "${TEXT}<br /><br />\\n\\n\\n", "code": "404 Not Found", "title": "Not Found"}`;
const HTML_BODY =
  "<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n" +
  `  ${TEXT}<br /><br />\n\n\n\n </body>\n</html>`;
const PLAIN_BODY = `404 Not Found\n\n${TEXT}\n\n   `;

describe("error bodies by Accept", () => {
  let emulator: Emulator;
  const missingMembers = (accept: string | null, method = "GET") =>
    call(emulator.url, method, `/v2/images/${MISSING}/members`, { project: "proj-a", accept });

  beforeAll(async () => {
    emulator = await startEmulator({ api: "both" });
  });
  afterAll(() => emulator.close());

  it.each<[string | null, string, string]>([
    ["application/json", "application/json", JSON_BODY],
    ["*/*", "text/html; charset=UTF-8", HTML_BODY],
    ["text/html", "text/html; charset=UTF-8", HTML_BODY],
    ["application/json, */*", "text/html; charset=UTF-8", HTML_BODY],
    ["application/json;q=0.9, text/html;q=0.8", "application/json", JSON_BODY],
    ["application/*", "application/json", JSON_BODY],
    ["text/html;q=0, */*", "application/json", JSON_BODY],
    ["not a media type", "text/html; charset=UTF-8", HTML_BODY],
    [null, "text/plain; charset=UTF-8", PLAIN_BODY],
    ["", "text/plain; charset=UTF-8", PLAIN_BODY],
    ["text/plain", "text/plain; charset=UTF-8", PLAIN_BODY],
    ["image/png", "text/plain; charset=UTF-8", PLAIN_BODY],
  ])("Accept %j → %s", async (accept, contentType, body) => {
    const reply = await missingMembers(accept);
    expect([reply.status, reply.reason, reply.contentType, reply.text]).toEqual([
      404,
      "Not Found",
      contentType,
      body,
    ]);
  });

  it("answers HEAD errors with an empty body", async () => {
    const image = emulator.createImage({ owner: "proj-a" }).id;
    const reply = await call(emulator.url, "HEAD", `/v2/images/${image}/members`, { project: "proj-a" });
    expect([reply.status, reply.text, reply.contentType]).toEqual([405, "", "text/html; charset=UTF-8"]);
  });

  it("escapes non-ASCII as json.dumps(ensure_ascii=True) and as HTML character references", async () => {
    const image = emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
    const path = `/v2/images/${image}/members/${encodeURIComponent("pröj<ü>")}`;
    const json = await call(emulator.url, "GET", path, { project: "proj-a" });
    const html = await call(emulator.url, "GET", path, { project: "proj-a", accept: "text/html" });
    const plain = await call(emulator.url, "GET", path, { project: "proj-a", accept: null });
    expect(json.text).toContain('"message": "pr\\u00f6j<\\u00fc> not found in the member list');
    expect(html.text).toContain("  pr&#246;j&lt;&#252;&gt; not found in the member list");
    // The plain-text body goes through webob's strip_tags, which takes "<ü>" for a tag.
    expect(plain.text).toBe(
      `404 Not Found\n\npröj not found in the member list of the image ${image}.\n\n   `,
    );
  });

  it("renders 405 with webob's own template in every format", async () => {
    const image = emulator.createImage({ owner: "proj-a" }).id;
    const path = `/v2/images/${image}/members`;
    const html = await call(emulator.url, "PATCH", path, { project: "proj-a", accept: "*/*" });
    const plain = await call(emulator.url, "PATCH", path, { project: "proj-a", accept: null });
    expect(html.text).toBe(
      "<html>\n <head>\n  <title>405 Method Not Allowed</title>\n </head>\n <body>\n  <h1>405 Method Not Allowed</h1>\n" +
        "  The method PATCH is not allowed for this resource. <br /><br />\n\n </body>\n</html>",
    );
    expect(plain.text).toBe(
      "405 Method Not Allowed\n\nThe method PATCH is not allowed for this resource. \n\n ",
    );
  });

  it("puts a v1 message below the default explanation (a webob detail)", async () => {
    const json = await call(emulator.url, "GET", `/v1/images/${MISSING}/members`, { project: "proj-a" });
    const plain = await call(emulator.url, "GET", `/v1/images/${MISSING}/members`, {
      project: "proj-a",
      accept: null,
    });
    expect(json.json).toEqual({
      message: `The resource could not be found.<br /><br />\nImage with identifier ${MISSING} not found\n\n`,
      code: "404 Not Found",
      title: "Not Found",
    });
    expect(plain.text).toBe(
      `404 Not Found\n\nThe resource could not be found.\n\n Image with identifier ${MISSING} not found  `,
    );
  });

  it("keeps success bodies JSON whatever Accept says", async () => {
    const image = emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
    for (const accept of ["text/html", null, "image/png"]) {
      const reply = await call(emulator.url, "GET", `/v2/images/${image}/members`, {
        project: "proj-a",
        accept,
      });
      expect([reply.status, reply.contentType, reply.json]).toEqual([
        200,
        "application/json",
        { members: [], schema: "/v2/schemas/members" },
      ]);
    }
  });
});
