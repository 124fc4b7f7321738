/**
 * The gateway's metrics, recorded once and read two ways: scraped from `/metrics` in the Prometheus
 * text format (prom-client: the Prometheus naming, the process and Node.js metrics a platform team
 * expects, and a cost per recording small enough not to show in the benchmark), and, when OTLP
 * metrics are configured, pushed by the OpenTelemetry SDK as the same instruments (src/telemetry/
 * instruments.ts is the one list of both).
 *
 * prom-client rather than OpenTelemetry's Prometheus exporter: the exporter would put the metrics
 * SDK, and its attribute hashing on every recording, on the path of every request even with
 * OpenTelemetry unconfigured, and it has no process metrics of its own.
 */
import type {
  Attributes,
  Counter as OtelCounter,
  Histogram as OtelHistogram,
  Meter,
} from "@opentelemetry/api";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { CircuitState } from "../upstream/circuit-breaker.js";
import { DURATION_BUCKETS, INSTRUMENTS, type Instrument } from "./instruments.js";

/** What the gauges read when they are collected. */
export interface MetricSources {
  regions(): readonly RegionLoad[];
  requestsInFlight(): number;
}

export interface RegionLoad {
  readonly name: string;
  readonly circuit: CircuitState;
  readonly inFlight: number;
  readonly queued: number;
}

export interface MetricsOptions {
  /** Keep a Prometheus registry for `/metrics`. */
  readonly prometheus: boolean;
  /** The OpenTelemetry meter the same instruments are recorded to; null without OTLP metrics. */
  readonly meter: Meter | null;
  readonly sources: MetricSources;
}

const CIRCUIT_STATES: readonly CircuitState[] = ["closed", "open", "half-open"];

/** The label set of an instrument. */
export type Labels<K extends keyof typeof INSTRUMENTS> = Record<
  (typeof INSTRUMENTS)[K]["labels"][number],
  string
>;

export class GatewayMetrics {
  /** Null when METRICS is off (OTLP only). */
  readonly registry: Registry | null;
  private readonly prom: PromInstruments | null;
  private readonly otel: OtelInstruments | null;

  constructor(options: MetricsOptions) {
    this.registry = options.prometheus ? new Registry() : null;
    this.prom = this.registry === null ? null : promInstruments(this.registry, options.sources);
    if (this.registry !== null) {
      collectDefaultMetrics({ register: this.registry });
    }
    this.otel = options.meter === null ? null : otelInstruments(options.meter, options.sources);
  }

  request(labels: Labels<"requests">, seconds: number): void {
    this.prom?.requests.inc(labels);
    this.prom?.requestDuration.observe(labels, seconds);
    this.otel?.requests.add(1, labels);
    this.otel?.requestDuration.record(seconds, labels);
  }

  /**
   * One attempt, counted by its labels and, unless the gateway refused it itself (`seconds` null),
   * timed by `timed` (the same without the status).
   */
  upstreamAttempt(
    labels: Labels<"upstreamRequests">,
    timed: Labels<"upstreamDuration">,
    seconds: number | null,
  ): void {
    this.prom?.upstreamRequests.inc(labels);
    this.otel?.upstreamRequests.add(1, labels);
    if (seconds !== null) {
      this.prom?.upstreamDuration.observe(timed, seconds);
      this.otel?.upstreamDuration.record(seconds, timed);
    }
  }

  retry(labels: Labels<"upstreamRetries">): void {
    this.prom?.upstreamRetries.inc(labels);
    this.otel?.upstreamRetries.add(1, labels);
  }

  cacheLookup(cache: "apq" | "token", result: "hit" | "miss"): void {
    const labels: Labels<"cacheLookups"> = { cache, result };
    this.prom?.cacheLookups.inc(labels);
    this.otel?.cacheLookups.add(1, labels);
  }

  /** The Prometheus text exposition; null when METRICS is off. */
  async prometheusText(): Promise<{ contentType: string; text: string } | null> {
    if (this.registry === null) {
      return null;
    }
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}

/** Reads a gauge's current values, one call of `set` per label set. */
type GaugeReading = (set: (labels: Record<string, string>, value: number) => void) => void;

/** The gauges and how each is read when collected: the same for Prometheus and OTLP. */
function gaugeReadings(sources: MetricSources): [Instrument, GaugeReading][] {
  return [
    [INSTRUMENTS.requestsInFlight, (set) => set({}, sources.requestsInFlight())],
    [
      INSTRUMENTS.circuitState,
      (set) => {
        for (const region of sources.regions()) {
          for (const state of CIRCUIT_STATES) {
            set({ region: region.name, state }, region.circuit === state ? 1 : 0);
          }
        }
      },
    ],
    [
      INSTRUMENTS.upstreamInFlight,
      (set) => {
        for (const region of sources.regions()) {
          set({ region: region.name }, region.inFlight);
        }
      },
    ],
    [
      INSTRUMENTS.upstreamQueued,
      (set) => {
        for (const region of sources.regions()) {
          set({ region: region.name }, region.queued);
        }
      },
    ],
  ];
}

interface PromInstruments {
  readonly requests: Counter;
  readonly requestDuration: Histogram;
  readonly upstreamRequests: Counter;
  readonly upstreamDuration: Histogram;
  readonly upstreamRetries: Counter;
  readonly cacheLookups: Counter;
}

function promInstruments(registry: Registry, sources: MetricSources): PromInstruments {
  const base = (instrument: Instrument) => ({
    name: instrument.name,
    help: instrument.help,
    labelNames: instrument.labels,
    registers: [registry],
  });
  const gauge = (instrument: Instrument, read: GaugeReading) =>
    new Gauge({
      ...base(instrument),
      collect() {
        // Regions come and go with the catalog: only the current ones are reported.
        this.reset();
        read((labels, value) => this.set(labels, value));
      },
    });
  for (const [instrument, read] of gaugeReadings(sources)) {
    gauge(instrument, read);
  }
  return {
    requests: new Counter(base(INSTRUMENTS.requests)),
    requestDuration: new Histogram({ ...base(INSTRUMENTS.requestDuration), buckets: DURATION_BUCKETS }),
    upstreamRequests: new Counter(base(INSTRUMENTS.upstreamRequests)),
    upstreamDuration: new Histogram({ ...base(INSTRUMENTS.upstreamDuration), buckets: DURATION_BUCKETS }),
    upstreamRetries: new Counter(base(INSTRUMENTS.upstreamRetries)),
    cacheLookups: new Counter(base(INSTRUMENTS.cacheLookups)),
  };
}

interface OtelInstruments {
  readonly requests: OtelCounter;
  readonly requestDuration: OtelHistogram;
  readonly upstreamRequests: OtelCounter;
  readonly upstreamDuration: OtelHistogram;
  readonly upstreamRetries: OtelCounter;
  readonly cacheLookups: OtelCounter;
}

function otelInstruments(meter: Meter, sources: MetricSources): OtelInstruments {
  const options = (instrument: Instrument) => ({
    description: instrument.help,
    ...(instrument.seconds === true ? { unit: "s" } : {}),
  });
  const histogram = (instrument: Instrument) =>
    meter.createHistogram(instrument.otelName, {
      ...options(instrument),
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
  const gauge = (
    instrument: Instrument,
    read: (observe: (value: number, attributes: Attributes) => void) => void,
  ) =>
    meter
      .createObservableGauge(instrument.otelName, options(instrument))
      .addCallback((result) => read((value, attributes) => result.observe(value, attributes)));
  for (const [instrument, read] of gaugeReadings(sources)) {
    gauge(instrument, (observe) => read((labels, value) => observe(value, labels)));
  }
  return {
    requests: meter.createCounter(INSTRUMENTS.requests.otelName, options(INSTRUMENTS.requests)),
    requestDuration: histogram(INSTRUMENTS.requestDuration),
    upstreamRequests: meter.createCounter(
      INSTRUMENTS.upstreamRequests.otelName,
      options(INSTRUMENTS.upstreamRequests),
    ),
    upstreamDuration: histogram(INSTRUMENTS.upstreamDuration),
    upstreamRetries: meter.createCounter(
      INSTRUMENTS.upstreamRetries.otelName,
      options(INSTRUMENTS.upstreamRetries),
    ),
    cacheLookups: meter.createCounter(INSTRUMENTS.cacheLookups.otelName, options(INSTRUMENTS.cacheLookups)),
  };
}
