/** The pool and error class loaded from undici's own modules are the ones its index exports. */
import * as undici from "undici";
import { describe, expect, it } from "vitest";
import { Pool, ResponseContentLengthMismatchError } from "../../src/upstream/undici-pool.js";

describe("undici-pool", () => {
  it("loads undici's Pool class itself", () => {
    expect(Pool).toBe(undici.Pool);
  });

  it("loads undici's ResponseContentLengthMismatchError class itself", () => {
    expect(ResponseContentLengthMismatchError).toBe(undici.errors.ResponseContentLengthMismatchError);
  });
});
