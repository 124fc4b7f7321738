/** Types of the Prometheus text-format parser the metrics tests use (the package ships none). */
declare module "parse-prometheus-text-format" {
  export interface Sample {
    readonly value?: string;
    readonly labels?: Readonly<Record<string, string>>;
    /** Histograms: cumulative counts by upper bound. */
    readonly buckets?: Readonly<Record<string, string>>;
    readonly count?: string;
    readonly sum?: string;
  }
  export interface MetricFamily {
    readonly name: string;
    readonly help: string;
    readonly type: "COUNTER" | "GAUGE" | "HISTOGRAM" | "SUMMARY" | "UNTYPED";
    readonly metrics: readonly Sample[];
  }
  // The package's own shape: one default export.
  // eslint-disable-next-line no-restricted-syntax
  export default function parsePrometheusTextFormat(text: string): MetricFamily[];
}
