/**
 * The container recipe and the Kubernetes example agree with the code: the probes ask for paths the
 * gateway serves, the port is the one it listens on, the start flags are `npm start`'s, the runtime
 * user is not root, shutdown fits in the grace period, and memory leaves room over the measured peak.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

/** Peak resident memory under load with OpenTelemetry exporting every request (npm run bench). */
const PEAK_RSS_MB = 140;

const dockerfile = read("Dockerfile").replace(/\\\n\s*/g, " ");
const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
const instruction = (name: string): string => {
  const line = runtime.split("\n").find((candidate) => candidate.startsWith(`${name} `));
  expect(line, `${name} in the runtime stage`).toBeDefined();
  return line!.slice(name.length + 1);
};

interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  ports: { name: string; containerPort: number }[];
  env?: { name: string; value: string }[];
  livenessProbe: Probe;
  readinessProbe: Probe;
  startupProbe?: Probe;
  lifecycle: { preStop: { exec: { command: string[] } } };
  resources: { limits: { memory: string }; requests: { memory: string } };
  securityContext: { allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean };
}
interface Deployment {
  spec: {
    template: {
      metadata: { annotations: Record<string, string> };
      spec: {
        terminationGracePeriodSeconds: number;
        securityContext: { runAsNonRoot: boolean };
        containers: Container[];
      };
    };
  };
}

const deployment = parse(read("examples/kubernetes/deployment.yaml")) as Deployment;
const pod = deployment.spec.template.spec;
const container = pod.containers[0]!;
const mebibytes = (quantity: string): number => {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  expect(match, quantity).not.toBeNull();
  return Number(match![1]) * (match![2] === "Gi" ? 1024 : 1);
};

describe("Dockerfile", () => {
  it("runs node directly with npm start's flags, as a user other than root", () => {
    const start = (JSON.parse(read("package.json")) as { scripts: { start: string } }).scripts.start;
    const cmd = JSON.parse(instruction("CMD")) as string[];
    expect(cmd.join(" ")).toBe(start);
    expect(instruction("USER")).not.toMatch(/^(root|0)$/);
    expect(instruction("STOPSIGNAL")).toBe("SIGTERM");
  });

  it("listens on every interface of the container, on the port it exposes, and checks liveness", () => {
    const env = instruction("ENV");
    expect(env).toContain("HOST=0.0.0.0");
    const port = /PORT=(\d+)/.exec(env)?.[1];
    expect(instruction("EXPOSE")).toBe(port);
    expect(instruction("HEALTHCHECK")).toContain("/health/live");
    const config = loadConfig({ HOST: "0.0.0.0", PORT: port ?? "" });
    expect(config.port).toBe(Number(port));
  });
});

describe("Kubernetes example", () => {
  it("probes the health paths the gateway serves, on its port", () => {
    const port = /PORT=(\d+)/.exec(instruction("ENV"))?.[1];
    expect(container.ports).toEqual([{ name: "http", containerPort: Number(port) }]);
    expect(container.livenessProbe.httpGet.path).toBe("/health/live");
    expect(container.readinessProbe.httpGet.path).toBe("/health/ready");
    expect(container.startupProbe?.httpGet.path).toBe("/health/live");
    expect(deployment.spec.template.metadata.annotations).toMatchObject({
      "prometheus.io/scrape": "true",
      "prometheus.io/port": port,
      "prometheus.io/path": "/metrics",
    });
  });

  it("lets the preStop sleep and the shutdown wait finish inside the grace period", () => {
    const preStop = container.lifecycle.preStop.exec.command;
    expect(preStop[0]).toBe("sleep");
    const sleepSeconds = Number(preStop[1]);
    const shutdownMs = Number(
      container.env?.find((variable) => variable.name === "SHUTDOWN_TIMEOUT_MS")?.value ??
        loadConfig({}).shutdownTimeoutMs,
    );
    expect(sleepSeconds + shutdownMs / 1_000).toBeLessThan(pod.terminationGracePeriodSeconds);
  });

  it("sizes memory from the measured peak, and runs unprivileged", () => {
    expect(mebibytes(container.resources.limits.memory)).toBeGreaterThanOrEqual(PEAK_RSS_MB * 1.8);
    expect(mebibytes(container.resources.requests.memory)).toBeGreaterThanOrEqual(PEAK_RSS_MB * 0.9);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
    });
  });
});
