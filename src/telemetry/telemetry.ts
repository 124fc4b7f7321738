/**
 * Per request and per upstream call: the metrics recorded and, when tracing is on, the spans made.
 * One span per GraphQL request (kind server, a child of the caller's `traceparent`), named and
 * labelled once its operation is known; one span per upstream call (kind client, its child), whose
 * context every attempt of the call carries upstream in `traceparent`. Retries, refusals by the
 * circuit breaker or the queue, and a DELETE taken as done are events of the call's span. Only the
 * attributes named here are set: never a token, a header or a variable.
 *
 * Tracing off, a valid incoming `traceparent`/`tracestate` is passed upstream unchanged.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Context, Span, Tracer } from "@opentelemetry/api";
import type { UpstreamFailureKind } from "../upstream/errors.js";
import type { UpstreamRequest } from "../upstream/http-client.js";
import type { AttemptEnd, CallObservation, UpstreamObserver } from "../upstream/observer.js";
import type { GatewayMetrics } from "./metrics.js";
import type { OpenTelemetry } from "./open-telemetry.js";
import { routeTemplate } from "./route-template.js";
import { passThrough } from "./trace-context.js";

type Api = OpenTelemetry["api"];

/** How a GraphQL request ended, as the server saw it. */
export interface RequestEnd {
  readonly requestId: string;
  /** query, mutation or subscription; null when no operation was resolved. */
  readonly operationType: string | null;
  /** The root field (`multiple`, `none`): a schema name, never client text. */
  readonly operation: string;
  /** The client's operation name, cleared of credentials; traces only. */
  readonly operationName: string | null;
  /** extensions.code of every error answered, in order. */
  readonly codes: readonly string[];
  readonly httpStatus: number;
  readonly clientClosed: boolean;
  readonly seconds: number;
  readonly persistedQueryHit: boolean;
}

/** A request's place in the trace, carried by its upstream scope (opaque to the upstream layer). */
type RequestTrace =
  { readonly span: Span; readonly context: Context } | { readonly headers: readonly string[] };

const NO_HEADERS: readonly string[] = [];
const CODE = /^[A-Z][A-Z\d_]{0,63}$/;
/** Distinct outcome codes labelled before the rest become OTHER. */
const MAX_OUTCOMES = 64;

export class GatewayTelemetry {
  private readonly tracer: Tracer | null;
  private readonly api: Api | null;
  private readonly outcomes = new Set<string>(["ok"]);

  constructor(
    private readonly metrics: GatewayMetrics | null,
    otel: OpenTelemetry | null,
    /** How many regions are served: spans name the region only when there are several. */
    private readonly regionCount: () => number,
  ) {
    this.tracer = otel?.tracer ?? null;
    this.api = otel?.api ?? null;
  }

  /** Starts a request's trace; the value is stored in its upstream scope. */
  requestStarted(headers: IncomingHttpHeaders): RequestTrace | null {
    const { tracer, api } = this;
    if (tracer === null || api === null) {
      const headersOut = passThrough(headers);
      return headersOut.length === 0 ? null : { headers: headersOut };
    }
    const parent = api.propagation.extract(api.ROOT_CONTEXT, headers);
    const span = tracer.startSpan("GraphQL Operation", { kind: api.SpanKind.SERVER }, parent);
    return { span, context: api.trace.setSpan(parent, span) };
  }

  requestEnded(trace: unknown, end: RequestEnd): void {
    const outcome = end.clientClosed ? "CLIENT_CLOSED" : this.outcomeOf(end.codes);
    const operationType = end.operationType ?? "none";
    this.metrics?.request({ operation_type: operationType, operation: end.operation, outcome }, end.seconds);
    if (end.persistedQueryHit) {
      this.metrics?.cacheLookup("apq", "hit");
    } else if (end.codes.includes("PERSISTED_QUERY_NOT_FOUND")) {
      this.metrics?.cacheLookup("apq", "miss");
    }
    const span = spanOf(trace);
    if (span === null || this.api === null) {
      return;
    }
    if (end.operationType !== null) {
      span.updateName(
        end.operationName === null ? end.operationType : `${end.operationType} ${end.operationName}`,
      );
      span.setAttribute("graphql.operation.type", end.operationType);
    }
    if (end.operationName !== null) {
      span.setAttribute("graphql.operation.name", end.operationName);
    }
    span.setAttributes({
      "gateway.graphql.root_field": end.operation,
      "gateway.request_id": end.requestId,
      "http.response.status_code": end.httpStatus,
    });
    if (end.codes.length > 0) {
      span.setAttribute("gateway.graphql.error_codes", [...end.codes]);
      span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: end.codes[0] });
    } else if (end.clientClosed) {
      span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: "the client closed the connection" });
    }
    span.end();
  }

  /** Validated tokens: answered from the cache, or validated by Keystone. */
  tokenLookup(result: "hit" | "miss"): void {
    this.metrics?.cacheLookup("token", result);
  }

  /** The observer of one region's upstream client. */
  upstreamObserver(region: string, baseUrl: URL): UpstreamObserver {
    return new RegionObserver(
      { metrics: this.metrics, tracer: this.tracer, api: this.api, regionCount: this.regionCount },
      region,
      baseUrl,
    );
  }

  private outcomeOf(codes: readonly string[]): string {
    const code = codes[0];
    if (code === undefined) {
      return "ok";
    }
    if (!this.outcomes.has(code)) {
      if (!CODE.test(code) || this.outcomes.size >= MAX_OUTCOMES) {
        return "OTHER";
      }
      this.outcomes.add(code);
    }
    return code;
  }
}

function spanOf(trace: unknown): Span | null {
  return trace !== null && typeof trace === "object" && "span" in trace
    ? (trace as { span: Span }).span
    : null;
}

interface ObserverParts {
  readonly metrics: GatewayMetrics | null;
  readonly tracer: Tracer | null;
  readonly api: Api | null;
  readonly regionCount: () => number;
}

class RegionObserver implements UpstreamObserver {
  private readonly port: number;

  constructor(
    private readonly parts: ObserverParts,
    private readonly region: string,
    private readonly baseUrl: URL,
  ) {
    this.port = Number(baseUrl.port || (baseUrl.protocol === "https:" ? 443 : 80));
  }

  callStarted(request: UpstreamRequest): CallObservation {
    const { metrics, tracer, api, regionCount } = this.parts;
    const trace = request.scope?.trace as RequestTrace | null | undefined;
    const route = metrics === null && tracer === null ? "" : routeTemplate(request.path);
    if (tracer === null || api === null) {
      const headers =
        trace !== null && trace !== undefined && "headers" in trace ? trace.headers : NO_HEADERS;
      return new CallMetrics(metrics, this.region, request.method, route, headers);
    }
    const parent =
      trace !== null && trace !== undefined && "context" in trace ? trace.context : api.ROOT_CONTEXT;
    const span = tracer.startSpan(
      `${request.method} ${route}`,
      {
        kind: api.SpanKind.CLIENT,
        attributes: {
          "http.request.method": request.method,
          "url.template": route,
          "server.address": this.baseUrl.hostname,
          "server.port": this.port,
          ...(regionCount() > 1 ? { "cloud.region": this.region } : {}),
        },
      },
      parent,
    );
    const carrier: Record<string, string> = {};
    api.propagation.inject(api.trace.setSpan(parent, span), carrier);
    return new CallSpan(
      metrics,
      this.region,
      request.method,
      route,
      Object.entries(carrier).flat(),
      span,
      api,
    );
  }
}

/** Metrics of one call's attempts; the headers passed through when tracing is off. */
class CallMetrics implements CallObservation {
  constructor(
    private readonly metrics: GatewayMetrics | null,
    private readonly region: string,
    private readonly method: string,
    private readonly route: string,
    readonly headers: readonly string[],
  ) {}

  attemptEnded(end: AttemptEnd): void {
    this.metrics?.upstreamAttempt(
      {
        region: this.region,
        method: this.method,
        route: this.route,
        status: end.status === null ? "none" : String(end.status),
        outcome: outcomeOf(end.failure),
      },
      end.seconds,
    );
  }

  retrying(_retry: number, _failure: UpstreamFailureKind, _status: number | null, _delayMs: number): void {
    this.metrics?.retry({ region: this.region, method: this.method, route: this.route });
  }

  ended(_end: AttemptEnd, _assumedDone: boolean): void {}
}

/** The same, and the call's span. */
class CallSpan extends CallMetrics {
  private retries = 0;

  constructor(
    metrics: GatewayMetrics | null,
    region: string,
    method: string,
    route: string,
    headers: readonly string[],
    private readonly span: Span,
    private readonly api: Api,
  ) {
    super(metrics, region, method, route, headers);
  }

  override attemptEnded(end: AttemptEnd): void {
    super.attemptEnded(end);
    if (end.failure === "circuit-open" || end.failure === "overloaded") {
      this.span.addEvent("refused by the gateway", { reason: end.failure });
    }
  }

  override retrying(
    retry: number,
    failure: UpstreamFailureKind,
    status: number | null,
    delayMs: number,
  ): void {
    super.retrying(retry, failure, status, delayMs);
    this.retries = retry;
    this.span.addEvent("retry", {
      "http.request.resend_count": retry,
      "gateway.upstream.failure": failure,
      ...(status === null ? {} : { "http.response.status_code": status }),
      "gateway.upstream.delay_ms": Math.round(delayMs),
    });
  }

  override ended(end: AttemptEnd, assumedDone: boolean): void {
    const { span } = this;
    if (end.status !== null) {
      span.setAttribute("http.response.status_code", end.status);
    }
    if (this.retries > 0) {
      span.setAttribute("http.request.resend_count", this.retries);
    }
    if (assumedDone) {
      span.addEvent("taken as done: the retry found nothing to delete after a lost answer");
    } else if (end.failure !== null) {
      span.setAttribute(
        "error.type",
        end.failure === "status" && end.status !== null ? String(end.status) : end.failure,
      );
      span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: end.failure });
    }
    span.end();
  }
}

function outcomeOf(failure: UpstreamFailureKind | null): string {
  switch (failure) {
    case null:
      return "ok";
    case "status":
      return "http_error";
    default:
      return failure.replace("-", "_");
  }
}
