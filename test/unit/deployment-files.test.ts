/**
 * The container recipe and the Kubernetes example agree with the code: the probes ask for paths the
 * gateway serves, the port is the one it listens on, the start flags are `npm start`'s, the runtime
 * user is not root, shutdown fits in the grace period, and memory leaves room over the measured peak.
 * No Docker and no cluster: the files are read and compared (test/start/container-smoke.mjs runs the
 * image's command).
 */
import { readFileSync } from "node:fs";
import { parse, parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { startHarness, type Harness } from "../support/harness.js";

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

/**
 * Peak resident memory in MiB under the benchmark's single-member load at c=32 (docs/performance.md,
 * "peak RSS MB", read from VmHWM in KiB / 1024): by default, and with OpenTelemetry configured.
 */
const PEAK_RSS_MIB = { default: 112, openTelemetry: 144 };

// ---- Dockerfile ---------------------------------------------------------------------------------

/** The runtime stage: the instructions after the last FROM, continuation lines joined. */
const runtime = read("Dockerfile")
  .replace(/\\\n\s*/g, " ")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"))
  .reduce<string[]>((stage, line) => (line.startsWith("FROM ") ? [line] : [...stage, line]), []);
/** The arguments of the stage's last `name` instruction (the one in effect). */
const instruction = (name: string): string => {
  const line = runtime.findLast((candidate) => candidate.startsWith(`${name} `));
  if (line === undefined) {
    throw new Error(`the Dockerfile's runtime stage has no ${name}`);
  }
  return line.slice(name.length + 1).trim();
};
const dockerEnv = Object.fromEntries(
  runtime
    .filter((line) => line.startsWith("ENV "))
    .flatMap((line) => [...line.slice(4).matchAll(/(\w+)=(\S+)/g)].map(([, name, value]) => [name, value])),
) as Record<string, string>;
const dockerPort = Number(dockerEnv.PORT);

// ---- Kubernetes ---------------------------------------------------------------------------------

interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  ports: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe: Probe;
  readinessProbe: Probe;
  startupProbe?: Probe;
  lifecycle: { preStop: { exec?: { command: string[] }; sleep?: { seconds: number } } };
  resources: { limits: { memory: string }; requests: { memory: string } };
  securityContext: {
    allowPrivilegeEscalation: boolean;
    readOnlyRootFilesystem: boolean;
    runAsUser?: number;
    capabilities: { drop: string[] };
  };
}
interface Deployment {
  spec: {
    replicas: number;
    template: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: {
        terminationGracePeriodSeconds: number;
        securityContext: { runAsNonRoot: boolean; runAsUser?: number };
        containers: Container[];
      };
    };
  };
}
interface Service {
  spec: { selector: Record<string, string>; ports: { port: number; targetPort: string | number }[] };
}
interface Settings {
  kind: "ConfigMap" | "Secret";
  metadata: { name: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

const deploymentText = read("examples/kubernetes/deployment.yaml");
const deployment = parse(deploymentText) as Deployment;
const pod = deployment.spec.template.spec;
const container = pod.containers[0]!;
const service = parse(read("examples/kubernetes/service.yaml")) as Service;
const settings = parseAllDocuments(read("examples/kubernetes/configmap.yaml")).map(
  (document) => document.toJS() as Settings,
);

/** The environment the example gives the gateway: ConfigMap and Secret through envFrom, then env. */
const podEnv = (): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name ?? source.secretRef?.name;
    const kind = source.configMapRef === undefined ? "Secret" : "ConfigMap";
    const found = settings.find((s) => s.kind === kind && s.metadata.name === name);
    expect(found, `${kind} ${name} named by envFrom, in configmap.yaml`).toBeDefined();
    Object.assign(env, found?.data, found?.stringData);
  }
  for (const variable of container.env ?? []) {
    env[variable.name] = variable.value ?? "";
  }
  return env;
};

/** A container port, by number or by name, as a probe or a Service's targetPort names it. */
const containerPort = (port: string | number): number | undefined =>
  typeof port === "number" ? port : container.ports.find((p) => p.name === port)?.containerPort;

const mebibytes = (quantity: string): number => {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (match === null) {
    throw new Error(`write memory as Mi or Gi, not ${quantity}`);
  }
  return Number(match[1]) * (match[2] === "Gi" ? 1024 : 1);
};

/** The preStop hook's sleep in seconds: the `sleep` action, `sleep N`, or `sh -c "sleep N"`. */
const preStopSeconds = (): number => {
  const { exec, sleep } = container.lifecycle.preStop;
  if (sleep !== undefined) {
    return sleep.seconds;
  }
  const match = /^sleep (\d+(?:\.\d+)?)$/.exec(
    (exec?.command ?? []).filter((a) => !/^(sh|-c)$/.test(a)).join(" "),
  );
  if (match === null) {
    throw new Error(`the preStop hook is not a plain sleep: ${JSON.stringify(container.lifecycle.preStop)}`);
  }
  return Number(match[1]);
};

describe("Dockerfile", () => {
  it("runs node itself with npm start's flags, as a user other than root, stopped by SIGTERM", () => {
    const start = (JSON.parse(read("package.json")) as { scripts: { start: string } }).scripts.start;
    const cmd = JSON.parse(instruction("CMD")) as string[];
    expect(cmd[0]).toBe("node");
    expect(cmd.join(" ")).toBe(start);
    expect(instruction("USER")).not.toMatch(/^(root|0)(:.*)?$/);
    expect(instruction("STOPSIGNAL")).toBe("SIGTERM");
  });

  it("installs the production packages only, and copies the bundle in", () => {
    const install = runtime.filter((line) => line.startsWith("RUN ") && line.includes("npm ci"));
    expect(install).toHaveLength(1);
    expect(install[0]).toContain("--omit=dev");
    expect(runtime).toContain("COPY --from=build /app/dist/bundle ./dist/bundle");
    expect(JSON.parse(instruction("CMD"))).toContain("dist/bundle/index.js");
  });

  it("sets an environment the gateway accepts, on every interface, on the port it exposes", () => {
    expect(dockerEnv).toMatchObject({ NODE_ENV: "production", HOST: "0.0.0.0" });
    const config = loadConfig(dockerEnv);
    expect(config.host).toBe("0.0.0.0");
    expect(config.port).toBe(dockerPort);
    expect(dockerPort).toBeGreaterThan(0);
    expect(Number(instruction("EXPOSE"))).toBe(dockerPort);
  });

  it("checks liveness with node's own fetch, on the port the gateway listens on", () => {
    const check = instruction("HEALTHCHECK");
    expect(check).toMatch(/^(--\S+\s+)*CMD \[/);
    const command = JSON.parse(check.slice(check.indexOf("["))) as string[];
    expect(command.slice(0, 2)).toEqual(["node", "-e"]);
    expect(command[2]).toMatch(/fetch\(`http:\/\/127\.0\.0\.1:\$\{process\.env\.PORT\}\/health\/live`\)/);
  });
});

describe("Kubernetes example", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness.close();
  });
  const get = async (path: string): Promise<number> =>
    (await fetch(harness.gateway.url.replace(/\/graphql$/, path))).status;

  it("probes liveness and readiness on the paths the gateway serves them on", async () => {
    expect(container.livenessProbe.httpGet.path).toBe("/health/live");
    expect(container.readinessProbe.httpGet.path).toBe("/health/ready");
    const paths = [container.livenessProbe, container.readinessProbe, container.startupProbe]
      .filter((probe) => probe !== undefined)
      .map((probe) => probe.httpGet.path);
    for (const path of [...paths, deployment.spec.template.metadata.annotations["prometheus.io/path"]!]) {
      expect({ path, status: await get(path) }).toEqual({ path, status: 200 });
    }
  });

  it("uses the image's port for the container, the probes, the scrape and the Service", () => {
    expect(container.ports.map((p) => p.containerPort)).toEqual([dockerPort]);
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
      if (probe !== undefined) {
        expect(containerPort(probe.httpGet.port)).toBe(dockerPort);
      }
    }
    expect(deployment.spec.template.metadata.annotations).toMatchObject({
      "prometheus.io/scrape": "true",
      "prometheus.io/port": String(dockerPort),
      "prometheus.io/path": "/metrics",
    });
    expect(containerPort(service.spec.ports[0]!.targetPort)).toBe(dockerPort);
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
  });

  it("runs several replicas, with settings the gateway accepts, credentials and REDIS_URL from a Secret", () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    const env = podEnv();
    expect(() => loadConfig(env)).not.toThrow();
    const secret = settings.find((s) => s.kind === "Secret");
    expect(Object.keys({ ...secret?.data, ...secret?.stringData })).toEqual(
      expect.arrayContaining(["OS_PASSWORD", "REDIS_URL"]),
    );
    const configMap = settings.find((s) => s.kind === "ConfigMap");
    expect(Object.keys(configMap?.data ?? {}).filter((name) => /PASSWORD|SECRET|API_KEY/.test(name))).toEqual(
      [],
    );
  });

  it("lets the preStop sleep, the drain and the gateway's own last resort finish inside the grace period", () => {
    // The gateway's own exit when closing hangs: SHUTDOWN_TIMEOUT_MS plus this margin (src/index.ts).
    const margin = /setTimeout\(\(\) => process\.exit\(1\), config\.shutdownTimeoutMs \+ ([\d_]+)\)/.exec(
      read("src/index.ts"),
    );
    expect(margin, "the forced exit in src/index.ts").not.toBeNull();
    const marginSeconds = Number(margin![1]!.replaceAll("_", "")) / 1_000;
    const shutdownSeconds = loadConfig(podEnv()).shutdownTimeoutMs / 1_000;
    const sleepSeconds = preStopSeconds();
    expect(sleepSeconds).toBeGreaterThan(0);
    expect(sleepSeconds + shutdownSeconds).toBeLessThan(pod.terminationGracePeriodSeconds);
    expect(sleepSeconds + shutdownSeconds + marginSeconds).toBeLessThanOrEqual(
      pod.terminationGracePeriodSeconds,
    );
  });

  it("requests the measured peak and limits memory to at least twice it, the peak cited in the file", () => {
    const env = podEnv();
    const openTelemetry = Object.keys(env).some((name) => /^OTEL_EXPORTER_OTLP_(\w+_)?ENDPOINT$/.test(name));
    const peak = openTelemetry ? PEAK_RSS_MIB.openTelemetry : PEAK_RSS_MIB.default;
    expect(mebibytes(container.resources.requests.memory)).toBeGreaterThanOrEqual(peak);
    expect(mebibytes(container.resources.limits.memory)).toBeGreaterThanOrEqual(2 * peak);
    expect(deploymentText).toContain(`${peak} MiB`);
  });

  it("runs unprivileged, on a read-only root filesystem, without capabilities", () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext.runAsUser ?? pod.securityContext.runAsUser).not.toBe(0);
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
    });
    expect(container.securityContext.capabilities.drop).toContain("ALL");
  });
});
