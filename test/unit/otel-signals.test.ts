/** Which OpenTelemetry signals the OTEL_* settings turn on; none unless something is configured. */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { otelSignals } from "../../src/telemetry/open-telemetry.js";

const signals = (env: Record<string, string>) => otelSignals(loadConfig(env));

describe("otelSignals", () => {
  it.each([
    [{}, { traces: false, metrics: false }],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" }, { traces: true, metrics: true }],
    [
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://127.0.0.1:4318/v1/traces" },
      { traces: true, metrics: false },
    ],
    [
      { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: "http://127.0.0.1:4318/v1/metrics" },
      { traces: false, metrics: true },
    ],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_METRICS_EXPORTER: "none" },
      { traces: true, metrics: false },
    ],
    [{ OTEL_TRACES_EXPORTER: "console" }, { traces: true, metrics: false }],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_SDK_DISABLED: "true" },
      { traces: false, metrics: false },
    ],
  ])("%o → %o", (env, expected) => {
    expect(signals(env)).toEqual(expected);
  });

  it("refuses what the SDK would only warn about", () => {
    const problems = (env: Record<string, string>): readonly string[] => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return error instanceof ConfigError ? error.problems : [String(error)];
      }
    };
    expect(problems({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT must use http or https (got "collector:")',
    ]);
    expect(problems({ OTEL_TRACES_EXPORTER: "otlp,zipkin" })).toEqual([
      'OTEL_TRACES_EXPORTER may list otlp, console, none (got "zipkin")',
    ]);
    expect(problems({ OTEL_TRACES_SAMPLER_ARG: "2" })).toEqual([
      'OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 (got "2")',
    ]);
    expect(problems({ REDIS_URL: "http://user:secret@cache:6379" })).toEqual([
      'REDIS_URL must use redis: or rediss: (got "http:")',
    ]);
  });
});
