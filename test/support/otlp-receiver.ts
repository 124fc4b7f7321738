/**
 * An OTLP/HTTP receiver on 127.0.0.1 for the tracing tests: takes what an OpenTelemetry exporter
 * sends to `/v1/traces` and `/v1/metrics` in the JSON encoding (OTEL_EXPORTER_OTLP_PROTOCOL=http/json)
 * and keeps it, decoded, for the test to read. Anything else is answered 404 or 415.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface OtlpAttribute {
  readonly key: string;
  readonly value: {
    readonly stringValue?: string;
    readonly intValue?: number | string;
    readonly boolValue?: boolean;
    readonly arrayValue?: { readonly values?: readonly { readonly stringValue?: string }[] };
  };
}

export interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes?: readonly OtlpAttribute[];
  readonly events?: readonly { readonly name: string; readonly attributes?: readonly OtlpAttribute[] }[];
  readonly status?: { readonly code?: number; readonly message?: string };
}

export interface OtlpReceiver {
  /** e.g. http://127.0.0.1:43111: the value of OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly url: string;
  /** Every span received so far. */
  spans(): OtlpSpan[];
  /** Names of every metric received so far, with the request bodies they came in. */
  metricNames(): Set<string>;
  /** Every request body received, as text. */
  readonly bodies: string[];
  close(): Promise<void>;
}

interface TracesRequest {
  resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

interface MetricsRequest {
  resourceMetrics?: { scopeMetrics?: { metrics?: { name: string }[] }[] }[];
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const traces: TracesRequest[] = [];
  const metrics: MetricsRequest[] = [];
  const bodies: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.method !== "POST" || (request.url !== "/v1/traces" && request.url !== "/v1/metrics")) {
        response.writeHead(404).end();
        return;
      }
      if (!(request.headers["content-type"] ?? "").startsWith("application/json")) {
        response.writeHead(415).end();
        return;
      }
      const text = Buffer.concat(chunks).toString("utf8");
      bodies.push(text);
      if (request.url === "/v1/traces") {
        traces.push(JSON.parse(text) as TracesRequest);
      } else {
        metrics.push(JSON.parse(text) as MetricsRequest);
      }
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    spans: () =>
      traces.flatMap((body) =>
        (body.resourceSpans ?? []).flatMap((resource) =>
          (resource.scopeSpans ?? []).flatMap((scope) => scope.spans ?? []),
        ),
      ),
    metricNames: () =>
      new Set(
        metrics.flatMap((body) =>
          (body.resourceMetrics ?? []).flatMap((resource) =>
            (resource.scopeMetrics ?? []).flatMap((scope) =>
              (scope.metrics ?? []).map((metric) => metric.name),
            ),
          ),
        ),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The value of a span's attribute, as a string, a number or a list of strings. */
export function attribute(
  holder: { readonly attributes?: readonly OtlpAttribute[] },
  key: string,
): string | number | boolean | string[] | undefined {
  const found = holder.attributes?.find((candidate) => candidate.key === key)?.value;
  if (found === undefined) {
    return undefined;
  }
  if (found.arrayValue !== undefined) {
    return (found.arrayValue.values ?? []).map((item) => item.stringValue ?? "");
  }
  if (found.intValue !== undefined) {
    return Number(found.intValue);
  }
  return found.stringValue ?? found.boolValue;
}
