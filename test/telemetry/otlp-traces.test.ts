/**
 * Traces and metrics sent over OTLP/HTTP to a real receiver: the GraphQL request's span is the
 * child of the caller's `traceparent`, each upstream call's span the child of it, and the upstream
 * received the call span's context; retries are events; no token, id or header in any attribute;
 * the metrics arrive as the same instruments.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ImageMembersDocument, ShareImageDocument } from "../__generated__/graphql.js";
import { as, startHarness, type Harness } from "../support/harness.js";
import { attribute, startOtlpReceiver, type OtlpReceiver, type OtlpSpan } from "../support/otlp-receiver.js";

const ROUTER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const ROUTER_SPAN = "00f067aa0ba902b7";
const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

async function until<T>(find: () => T | undefined, what: string, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) {
      return found;
    }
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("OpenTelemetry over OTLP/HTTP", () => {
  let receiver: OtlpReceiver;
  let h: Harness;
  let image: string;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_BSP_SCHEDULE_DELAY: "20",
      OTEL_METRIC_EXPORT_INTERVAL: "200",
      OTEL_METRIC_EXPORT_TIMEOUT: "150",
      OTEL_SERVICE_NAME: "members-gateway-under-test",
    };
    // The SDK reads the environment itself; the gateway checks the same settings first.
    for (const [name, value] of Object.entries(env)) {
      vi.stubEnv(name, value);
    }
    h = await startHarness({ api: "v2", env: { ...env, GLANCE_API_VERSION: "v2" } });
    image = h.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
    vi.unstubAllEnvs();
  });
  beforeEach(() => h.emulator.clearRequests());

  const spansOf = (traceId: string): OtlpSpan[] =>
    receiver.spans().filter((span) => span.traceId === traceId);

  it("shareImage: caller → operation → upstream call, one trace, and the upstream saw it", async () => {
    const result = await h.request(
      ShareImageDocument,
      { imageId: image, memberId: "proj-b" },
      { ...as("proj-a"), traceparent: `00-${ROUTER_TRACE}-${ROUTER_SPAN}-01`, tracestate: "router=1" },
    );
    expect(result.errors).toBeUndefined();

    const operation = await until(
      () => spansOf(ROUTER_TRACE).find((span) => span.kind === SERVER),
      "the operation's span",
    );
    expect(operation.name).toBe("mutation ShareImage");
    expect(operation.parentSpanId).toBe(ROUTER_SPAN);
    expect(attribute(operation, "graphql.operation.type")).toBe("mutation");
    expect(attribute(operation, "graphql.operation.name")).toBe("ShareImage");
    expect(attribute(operation, "gateway.graphql.root_field")).toBe("shareImage");
    expect(attribute(operation, "http.response.status_code")).toBe(200);
    expect(operation.status?.code ?? 0).not.toBe(ERROR);

    const calls = await until(() => {
      const found = spansOf(ROUTER_TRACE).filter((span) => span.kind === CLIENT);
      return found.length === h.emulator.requests.length ? found : undefined;
    }, "one span per upstream call");
    expect(calls.map((span) => span.name)).toContain("POST /v2/images/{image_id}/members");
    for (const call of calls) {
      expect(call.parentSpanId).toBe(operation.spanId);
      expect(attribute(call, "server.address")).toBe("127.0.0.1");
      expect(attribute(call, "url.template")).toMatch(/^\/v2\//);
    }
    const post = calls.find((span) => span.name === "POST /v2/images/{image_id}/members")!;
    expect(attribute(post, "http.request.method")).toBe("POST");
    expect(attribute(post, "http.response.status_code")).toBe(200);

    // What the upstream received: the call span's context, the caller's tracestate kept.
    const received = h.emulator.requests.find((call) => call.method === "POST")!;
    expect(received.headers.traceparent).toBe(`00-${ROUTER_TRACE}-${post.spanId}-01`);
    expect(received.headers.tracestate).toBe("router=1");

    // Never a token, an id, or a header value in what was exported.
    const exported = receiver.bodies.join("\n");
    expect(exported).not.toContain("proj-a");
    expect(exported).not.toContain("proj-b");
    expect(exported).not.toContain(image);
    expect(exported).not.toContain("x-auth-token");
  });

  it("a retried call is one span with a retry event; an error code marks the operation", async () => {
    h.emulator.injectFault({
      method: "GET",
      path: `/v2/images/${image}/members`,
      action: { kind: "respond", status: 503 },
    });
    const trace = "0af7651916cd43dd8448eb211c80319c";
    const ok = await h.request(
      ImageMembersDocument,
      { imageId: image },
      {
        ...as("proj-a"),
        traceparent: `00-${trace}-b7ad6b7169203331-01`,
      },
    );
    expect(ok.errors).toBeUndefined();
    const call = await until(
      () => spansOf(trace).find((span) => span.kind === CLIENT && span.name.endsWith("/members")),
      "the members call's span",
    );
    expect(call.name).toBe("GET /v2/images/{image_id}/members");
    expect(call.events?.map((event) => event.name)).toEqual(["retry"]);
    expect(attribute(call.events![0]!, "http.response.status_code")).toBe(503);
    expect(attribute(call.events![0]!, "gateway.upstream.failure")).toBe("status");
    expect(attribute(call, "http.request.resend_count")).toBe(1);
    expect(attribute(call, "http.response.status_code")).toBe(200);
    // Both attempts carried the same call span's context.
    const attempts = h.emulator.requests.filter((request) => request.path.endsWith("/members"));
    expect(attempts.map((request) => request.headers.traceparent)).toEqual([
      `00-${trace}-${call.spanId}-01`,
      `00-${trace}-${call.spanId}-01`,
    ]);

    const missing = "0b5a3a4e-5d6a-4d3e-9b7e-9f6d1c2b3a41";
    const other = "5b8efff798038103d269b633813fc60c";
    const refused = await h.request(
      ImageMembersDocument,
      { imageId: missing },
      {
        ...as("proj-a"),
        traceparent: `00-${other}-eee19b7ec3c1b174-01`,
      },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const failed = await until(
      () => spansOf(other).find((span) => span.kind === SERVER),
      "the failed operation's span",
    );
    expect(failed.status?.code).toBe(ERROR);
    expect(attribute(failed, "gateway.graphql.error_codes")).toEqual(["NOT_FOUND"]);
    const failedCall = spansOf(other).find((span) => span.kind === CLIENT)!;
    expect(attribute(failedCall, "error.type")).toBe("404");
  });

  it("starts a new trace without a traceparent, and sends the metrics as the same instruments", async () => {
    const before = new Set(receiver.spans().map((span) => span.traceId));
    const result = await h.request(ImageMembersDocument, { imageId: image }, as("proj-a"));
    expect(result.errors).toBeUndefined();
    const root = await until(
      () => receiver.spans().find((span) => span.kind === SERVER && !before.has(span.traceId)),
      "a new trace",
    );
    expect(root.parentSpanId ?? "").toBe("");
    expect(h.emulator.requests[0]?.headers.traceparent).toMatch(
      new RegExp(`^00-${root.traceId}-[0-9a-f]{16}-01$`),
    );

    const expected = [
      "gateway.graphql.requests",
      "gateway.graphql.request.duration",
      "gateway.upstream.requests",
      "gateway.upstream.request.duration",
      "gateway.upstream.retries",
      "gateway.upstream.circuit.state",
      "gateway.upstream.in_flight",
      "gateway.upstream.queued",
    ];
    // Exports come every 200 ms; a counter appears in them once it has counted something.
    const names = await until(
      () => {
        const seen = receiver.metricNames();
        return expected.every((name) => seen.has(name)) ? seen : undefined;
      },
      `the metrics over OTLP: ${expected.join(", ")}`,
    );
    expect([...names].filter((name) => name.startsWith("gateway.")).sort()).toEqual(
      expect.arrayContaining([...expected].sort()),
    );
    expect(receiver.bodies.some((body) => body.includes("members-gateway-under-test"))).toBe(true);
  });
});
