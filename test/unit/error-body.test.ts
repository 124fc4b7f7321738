import { describe, expect, it } from "vitest";
import { errorMessageFromBody } from "../../src/upstream/error-body.js";

describe("errorMessageFromBody", () => {
  it("reads webob's JSON and drops its <br /> tail", () => {
    const body = JSON.stringify({
      message: "Image 1234 not found.<br /><br />\n\n\n",
      code: "404 Not Found",
      title: "Not Found",
    });
    expect(errorMessageFromBody("application/json", body)).toBe("Image 1234 not found.");
  });

  it("reads keystonemiddleware's nested JSON", () => {
    const body = JSON.stringify({
      error: {
        code: 401,
        title: "Unauthorized",
        message: "The request you have made requires authentication.",
      },
    });
    expect(errorMessageFromBody("application/json", body)).toBe(
      "The request you have made requires authentication.",
    );
  });

  it("strips webob's HTML page down to the explanation", () => {
    const body =
      "<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  Image X not found.<br /><br />\n\n\n\n </body>\n</html>";
    expect(errorMessageFromBody("text/html; charset=UTF-8", body)).toBe("Image X not found.");
  });

  it("drops the status line of webob's plain text", () => {
    expect(
      errorMessageFromBody("text/plain; charset=UTF-8", "404 Not Found\n\nImage X not found.\n\n   "),
    ).toBe("Image X not found.");
  });

  it("keeps the 405 text without its odd spacing", () => {
    const body = JSON.stringify({
      message: "The method PUT is not allowed for this resource. <br /><br />\n",
      code: "405 Method Not Allowed",
      title: "Method Not Allowed",
    });
    expect(errorMessageFromBody("application/json", body)).toBe(
      "The method PUT is not allowed for this resource.",
    );
  });

  it("answers null for an empty body", () => {
    expect(errorMessageFromBody("application/json", "  ")).toBeNull();
  });

  it("caps very long messages", () => {
    const message = errorMessageFromBody("text/plain", "x".repeat(2000));
    expect(message).toHaveLength(501);
  });
});
