/**
 * Per request and per upstream call: the metrics recorded and, when tracing is on, the spans made.
 * One span per GraphQL request (kind server, a child of the caller's `traceparent`), named and
 * labelled once its operation is known; one span per upstream call (kind client, its child), whose
 * context every attempt of the call carries upstream in `traceparent`. Retries, refusals by the
 * circuit breaker or the queue, and a DELETE taken as done are events of the call's span. Only the
 * attributes named here are set: never a token, a header or a variable.
 *
 * Tracing off, a valid incoming `traceparent`/`tracestate` is passed upstream unchanged
 * (trace-context.ts, through the request's upstream scope).
 */
import type { Context, Span, Tracer } from "@opentelemetry/api";
import type { UpstreamFailureKind } from "../upstream/errors.js";
import type { UpstreamRequest } from "../upstream/http-client.js";
import type { CallObservation, UpstreamObserver } from "../upstream/observer.js";
import type { GatewayMetrics, Labels } from "./metrics.js";
import type { OpenTelemetry } from "./open-telemetry.js";
import { routeTemplate } from "./route-template.js";

/** A request's headers, lower-case names, as node:http gives them. */
type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

type Api = OpenTelemetry["api"];

/** How a GraphQL request ended, as the server saw it. */
export interface RequestEnd {
  readonly requestId: string;
  /** query, mutation or subscription; null when no operation was resolved. */
  readonly operationType: string | null;
  /** The root field (`multiple`, `none`): a schema name, never client text. */
  readonly operation: string;
  /**
   * The client's operation name, cleared of credentials; for traces only, so asked for only when
   * tracing (clearing it reads the request's credentials).
   */
  readonly operationName: () => string | null;
  /** extensions.code of every error answered, in order. */
  readonly codes: readonly string[];
  readonly httpStatus: number;
  readonly clientClosed: boolean;
  readonly seconds: number;
  readonly persistedQueryHit: boolean;
}

/** A request's place in the trace, carried by its upstream scope (opaque to the upstream layer). */
interface RequestTrace {
  readonly span: Span;
  readonly context: Context;
}

const CODE = /^[A-Z][A-Z\d_]{0,63}$/;
/** The region label of the calls to Keystone. */
const IDENTITY = "identity";
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

  /** Whether requests and upstream calls are watched at all (metrics or traces). */
  get active(): boolean {
    return this.metrics !== null || this.tracer !== null;
  }

  /** Starts a request's span; the value is stored in its upstream scope. Null when not tracing. */
  requestStarted(headers: RequestHeaders): RequestTrace | null {
    const { tracer, api } = this;
    if (tracer === null || api === null) {
      return null;
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
    const operationName = end.operationName();
    if (end.operationType !== null) {
      span.updateName(operationName === null ? end.operationType : `${end.operationType} ${operationName}`);
      span.setAttribute("graphql.operation.type", end.operationType);
    }
    if (operationName !== null) {
      span.setAttribute("graphql.operation.name", operationName);
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
    return new RegionObserver(this.parts(), region, baseUrl, true);
  }

  /** The observer of the calls to Keystone: `identity` in the metrics' region label. */
  identityObserver(authUrl: URL): UpstreamObserver {
    return new RegionObserver(this.parts(), IDENTITY, authUrl, false);
  }

  private parts(): ObserverParts {
    return { metrics: this.metrics, tracer: this.tracer, api: this.api, regionCount: this.regionCount };
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
  /** Without tracing, a call's observation holds nothing of the call: one per method and route. */
  private readonly untraced = new Map<string, CallMetrics>();

  constructor(
    private readonly parts: ObserverParts,
    private readonly region: string,
    private readonly baseUrl: URL,
    /** Whether spans name the region (an Images API region, when there are several). */
    private readonly isRegion: boolean,
  ) {
    this.port = Number(baseUrl.port || (baseUrl.protocol === "https:" ? 443 : 80));
  }

  callStarted(request: UpstreamRequest): CallObservation {
    const { metrics, tracer, api, regionCount } = this.parts;
    const route = routeTemplate(request.path);
    if (tracer === null || api === null) {
      const key = `${request.method} ${route}`;
      let observation = this.untraced.get(key);
      if (observation === undefined) {
        observation = new CallMetrics(metrics, this.region, request.method, route, NO_HEADERS);
        this.untraced.set(key, observation);
      }
      return observation;
    }
    const trace = request.scope?.trace as RequestTrace | null | undefined;
    const parent = trace?.context ?? api.ROOT_CONTEXT;
    const span = tracer.startSpan(
      `${request.method} ${route}`,
      {
        kind: api.SpanKind.CLIENT,
        attributes: {
          "http.request.method": request.method,
          "url.template": route,
          "server.address": this.baseUrl.hostname,
          "server.port": this.port,
          ...(this.isRegion && regionCount() > 1 ? { "cloud.region": this.region } : {}),
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

const NO_HEADERS: readonly string[] = [];

/** Metrics of a call's attempts; their label sets made once per status and outcome. */
class CallMetrics implements CallObservation {
  private readonly labels = new Map<string, Labels<"upstreamRequests">>();
  private readonly timed = new Map<string, Labels<"upstreamDuration">>();

  constructor(
    private readonly metrics: GatewayMetrics | null,
    private readonly region: string,
    private readonly method: string,
    private readonly route: string,
    readonly headers: readonly string[],
  ) {}

  attemptEnded(status: number | null, failure: UpstreamFailureKind | null, seconds: number | null): void {
    const { metrics } = this;
    if (metrics === null) {
      return;
    }
    const outcome = outcomeOf(failure);
    const key = `${status} ${outcome}`;
    let labels = this.labels.get(key);
    if (labels === undefined) {
      labels = {
        region: this.region,
        method: this.method,
        route: this.route,
        status: status === null ? "none" : String(status),
        outcome,
      };
      this.labels.set(key, labels);
    }
    let timed = this.timed.get(outcome);
    if (timed === undefined) {
      timed = { region: this.region, method: this.method, route: this.route, outcome };
      this.timed.set(outcome, timed);
    }
    metrics.upstreamAttempt(labels, timed, seconds);
  }

  retrying(_retry: number, _failure: UpstreamFailureKind, _status: number | null, _delayMs: number): void {
    this.metrics?.retry({ region: this.region, method: this.method, route: this.route });
  }

  ended(_status: number | null, _failure: UpstreamFailureKind | null, _assumedDone: boolean): void {}
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

  override attemptEnded(
    status: number | null,
    failure: UpstreamFailureKind | null,
    seconds: number | null,
  ): void {
    super.attemptEnded(status, failure, seconds);
    if (failure === "circuit-open" || failure === "overloaded") {
      this.span.addEvent("refused by the gateway", { reason: failure });
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

  override ended(status: number | null, failure: UpstreamFailureKind | null, assumedDone: boolean): void {
    const { span } = this;
    if (status !== null) {
      span.setAttribute("http.response.status_code", status);
    }
    if (this.retries > 0) {
      span.setAttribute("http.request.resend_count", this.retries);
    }
    if (assumedDone) {
      span.addEvent("taken as done: the retry found nothing to delete after a lost answer");
    } else if (failure !== null) {
      span.setAttribute("error.type", failure === "status" && status !== null ? String(status) : failure);
      span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: failure });
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
