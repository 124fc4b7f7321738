/**
 * OpenTelemetry unconfigured: the gateway makes no spans, and passes a valid incoming W3C trace
 * context upstream unchanged (the upstream joins the caller's trace); a malformed one is dropped.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ImageMembersDocument } from "../__generated__/graphql.js";
import { as, startHarness, type Harness } from "../support/harness.js";

describe("trace context with OpenTelemetry off", () => {
  let h: Harness;
  let image: string;

  beforeAll(async () => {
    h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v2" } });
    image = h.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
  });
  afterAll(() => h.close());
  beforeEach(() => h.emulator.clearRequests());

  const send = async (headers: Record<string, string>): Promise<Record<string, string>> => {
    const result = await h.request(ImageMembersDocument, { imageId: image }, { ...as("proj-a"), ...headers });
    expect(result.errors).toBeUndefined();
    expect(h.emulator.requests).toHaveLength(1);
    return h.emulator.requests[0]!.headers;
  };

  it("passes traceparent and tracestate through as received", async () => {
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const headers = await send({ traceparent, tracestate: "router=1,vendor=abc" });
    expect(headers.traceparent).toBe(traceparent);
    expect(headers.tracestate).toBe("router=1,vendor=abc");
  });

  it("drops a malformed or all-zero traceparent, and sends none when none came", async () => {
    for (const traceparent of [
      "not-a-traceparent",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
    ]) {
      h.emulator.clearRequests();
      const headers = await send({ traceparent, tracestate: "router=1" });
      expect(headers.traceparent, traceparent).toBeUndefined();
      expect(headers.tracestate, traceparent).toBeUndefined();
    }
    h.emulator.clearRequests();
    const headers = await send({});
    expect(headers.traceparent).toBeUndefined();
  });
});
