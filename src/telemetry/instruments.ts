/**
 * Every metric the gateway records: the one table from which the Prometheus registry and, when
 * OTLP metrics are configured, the OpenTelemetry instruments are made, and against which the
 * README's list of metrics is checked. Labels are drawn from closed sets only (operation names of
 * the schema, error codes, HTTP methods, route templates, statuses, region names from the
 * configuration or the catalog): nothing a client sends becomes a label value.
 */

export type InstrumentKind = "counter" | "histogram" | "gauge";

export interface Instrument {
  /** The Prometheus name; the OpenTelemetry name is `otelName`. */
  readonly name: string;
  readonly otelName: string;
  readonly kind: InstrumentKind;
  readonly help: string;
  readonly labels: readonly string[];
  /** Seconds: the OpenTelemetry unit is `s`. */
  readonly seconds?: boolean;
}

/** From 5 ms to the default request deadline of 15 s. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];

export const INSTRUMENTS = {
  requests: {
    name: "gateway_graphql_requests_total",
    otelName: "gateway.graphql.requests",
    kind: "counter",
    help: "GraphQL requests answered, by operation type, root field and outcome (ok, or the first error code)",
    labels: ["operation_type", "operation", "outcome"],
  },
  requestDuration: {
    name: "gateway_graphql_request_duration_seconds",
    otelName: "gateway.graphql.request.duration",
    kind: "histogram",
    help: "Time from a GraphQL request's arrival to the end of its answer",
    labels: ["operation_type", "operation", "outcome"],
    seconds: true,
  },
  requestsInFlight: {
    name: "gateway_graphql_requests_in_flight",
    otelName: "gateway.graphql.requests.in_flight",
    kind: "gauge",
    help: "GraphQL requests being served",
    labels: [],
  },
  upstreamRequests: {
    name: "gateway_upstream_requests_total",
    otelName: "gateway.upstream.requests",
    kind: "counter",
    help: "Upstream exchanges, retries included, and calls the gateway refused itself (circuit_open, overloaded), by region, method, route template, status and outcome",
    labels: ["region", "method", "route", "status", "outcome"],
  },
  upstreamDuration: {
    name: "gateway_upstream_request_duration_seconds",
    otelName: "gateway.upstream.request.duration",
    kind: "histogram",
    help: "Time of one upstream exchange, from sending to the end of the answer",
    labels: ["region", "method", "route", "outcome"],
    seconds: true,
  },
  upstreamRetries: {
    name: "gateway_upstream_retries_total",
    otelName: "gateway.upstream.retries",
    kind: "counter",
    help: "Upstream calls tried again, by region, method and route template",
    labels: ["region", "method", "route"],
  },
  circuitState: {
    name: "gateway_upstream_circuit_state",
    otelName: "gateway.upstream.circuit.state",
    kind: "gauge",
    help: "The circuit breaker of each region: 1 for its current state (closed, open, half-open), 0 for the others",
    labels: ["region", "state"],
  },
  upstreamInFlight: {
    name: "gateway_upstream_in_flight",
    otelName: "gateway.upstream.in_flight",
    kind: "gauge",
    help: "Upstream calls in flight, by region (at most UPSTREAM_MAX_CONCURRENT)",
    labels: ["region"],
  },
  upstreamQueued: {
    name: "gateway_upstream_queued",
    otelName: "gateway.upstream.queued",
    kind: "gauge",
    help: "Upstream calls waiting for a slot, by region (at most UPSTREAM_MAX_QUEUED)",
    labels: ["region"],
  },
  cacheLookups: {
    name: "gateway_cache_lookups_total",
    otelName: "gateway.cache.lookups",
    kind: "counter",
    help: "Lookups in the gateway's caches (apq: persisted queries, token: validated tokens), by result (hit, miss)",
    labels: ["cache", "result"],
  },
} as const satisfies Record<string, Instrument>;
