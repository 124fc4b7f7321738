/**
 * Starts the OpenTelemetry SDK when the OTEL_* settings ask for traces or OTLP metrics, and only
 * then: unconfigured, not one OpenTelemetry module is loaded and the gateway pays nothing. The SDK
 * (NodeSDK) reads the standard variables itself: exporters, endpoints, protocol, headers, sampler,
 * resource attributes, batching. No automatic instrumentation is installed: the gateway makes its
 * own spans, one per GraphQL operation and one per upstream call (src/telemetry/telemetry.ts), with
 * the context passed explicitly.
 */
import type * as OpenTelemetryApi from "@opentelemetry/api";
import type { ContextManager, Meter, Tracer } from "@opentelemetry/api";
import type { Config } from "../config.js";
import type { Logger } from "pino";

export interface OpenTelemetry {
  /** The OpenTelemetry API, loaded with the SDK. */
  readonly api: typeof OpenTelemetryApi;
  /** Null when traces are not exported. */
  readonly tracer: Tracer | null;
  /** Null when metrics are not exported over OTLP. */
  readonly meter: Meter | null;
  /** Sends what is still buffered, then stops. */
  shutdown(): Promise<void>;
}

const SCOPE = "image-members-gateway";

/** Which signals the settings turn on. */
export function otelSignals(config: Config): { traces: boolean; metrics: boolean } {
  if (config.otelSdkDisabled) {
    return { traces: false, metrics: false };
  }
  const on = (exporters: readonly string[] | null, endpoint: string | null): boolean =>
    exporters === null ? config.otlpEndpoint !== null || endpoint !== null : !exporters.includes("none");
  return {
    traces: on(config.otelTracesExporter, config.otlpTracesEndpoint),
    metrics: on(config.otelMetricsExporter, config.otlpMetricsEndpoint),
  };
}

export async function startOpenTelemetry(config: Config, logger: Logger): Promise<OpenTelemetry | null> {
  const signals = otelSignals(config);
  if (!signals.traces && !signals.metrics) {
    return null;
  }
  const api = await import("@opentelemetry/api");
  const { NodeSDK } = await import("@opentelemetry/sdk-node");
  // The SDK's own complaints (a collector that does not answer, a refused export) as log lines.
  const log = logger.child({ component: "opentelemetry" });
  api.diag.setLogger(
    {
      error: (message, ...args) => log.warn({ details: args.map(String) }, message),
      warn: (message, ...args) => log.warn({ details: args.map(String) }, message),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    api.DiagLogLevel.WARN,
  );
  const sdk = new NodeSDK({
    serviceName: config.otelServiceName,
    instrumentations: [],
    // The gateway hands each span its parent itself (telemetry.ts). The SDK's default context
    // manager would put an async hook on every promise of the process for a context never read.
    contextManager: explicitContextOnly(api),
    // An empty list turns a signal off; left out, the SDK builds it from the OTEL_* variables.
    ...(signals.traces ? {} : { spanProcessors: [] }),
    ...(signals.metrics ? {} : { metricReaders: [] }),
    logRecordProcessors: [],
  });
  sdk.start();
  logger.info(
    { traces: signals.traces, metrics: signals.metrics, protocol: config.otlpProtocol },
    "OpenTelemetry started",
  );
  return {
    api,
    tracer: signals.traces ? api.trace.getTracer(SCOPE) : null,
    meter: signals.metrics ? api.metrics.getMeter(SCOPE) : null,
    async shutdown() {
      try {
        await sdk.shutdown();
      } catch (error) {
        log.warn({ err: error }, "OpenTelemetry shutdown failed");
      }
    },
  };
}

/** A context manager that keeps no ambient context: every context is passed explicitly. */
function explicitContextOnly(api: typeof OpenTelemetryApi): ContextManager {
  const manager: ContextManager = {
    active: () => api.ROOT_CONTEXT,
    with: (_context, fn, thisArg, ...args) => fn.call(thisArg, ...args),
    bind: (_context, target) => target,
    enable: () => manager,
    disable: () => manager,
  };
  return manager;
}
