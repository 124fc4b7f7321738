/**
 * The emulator against a real Glance, request for request: every scenario of
 * scenarios/rest-scenarios.ts is played against the legacy-policy Glance and against a fresh
 * emulator with the same member quota, as the same projects, and the answers are compared: status
 * and reason, every header but the transport ones, and the body byte for byte once image ids,
 * project ids, timestamps, request ids and the host are replaced by placeholders.
 */
import { randomUUID } from "node:crypto";
import { Agent, request as httpRequest } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { deleteImage, glanceHeaders } from "./glance-env.js";
import {
  MISSING_IMAGE,
  PROJECTS,
  knownDifferences,
  restScenarios,
  type RecordedDifference,
  type Project,
  type RestScenario,
  type RestStep,
} from "./scenarios/rest-scenarios.js";

/** What one request answered, normalised. */
interface Answer {
  status: number;
  reason: string;
  headers: Record<string, string>;
  body: string;
}

/** Headers every HTTP server sets its own way; the rest are compared. */
const TRANSPORT_HEADERS = new Set([
  "date",
  "content-length",
  "connection",
  "keep-alive",
  "transfer-encoding",
]);
const REQUEST_TIMEOUT_MS = 10_000;
/** The emulator's clock has millisecond resolution; images must not share a creation time. */
const BETWEEN_IMAGES_MS = 3;

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
): Promise<{ status: number; reason: string; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: body === undefined ? headers : { ...headers, "Content-Length": String(body.length) },
        agent,
        timeout: REQUEST_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const received: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (!TRANSPORT_HEADERS.has(name) && value !== undefined) {
              received[name] = Array.isArray(value) ? value.join(", ") : value;
            }
          }
          resolve({
            status: response.statusCode ?? 0,
            reason: response.statusMessage ?? "",
            headers: received,
            body: Buffer.concat(chunks).toString("utf8"),
          });
        });
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new Error(`${method} ${path} timed out`)));
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

type Tenants = Record<Project, string>;

function freshTenants(): Tenants {
  const tag = randomUUID().slice(0, 8);
  return { A: `a-${tag}`, B: `b-${tag}`, C: `c-${tag}`, D: `d-${tag}`, ADMIN: `admin-${tag}` };
}

function fill(text: string, tenants: Tenants, images: readonly string[]): string {
  return text.replace(/\{(A|B|C|D|ADMIN|[iI]\d+|x)\}/g, (whole, name: string) => {
    if (name === "x") {
      return MISSING_IMAGE;
    }
    if (/^[iI]\d+$/.test(name)) {
      const id = images[Number(name.slice(1)) - 1];
      if (id === undefined) {
        throw new Error(`${whole} used before the scenario created it`);
      }
      return name.startsWith("I") ? id.toUpperCase() : id;
    }
    return tenants[name as Project];
  });
}

function requestHeaders(step: RestStep, tenants: Tenants, images: readonly string[]): Record<string, string> {
  const headers: Record<string, string | null> = { Accept: "application/json" };
  if (step.as === "A+admin") {
    Object.assign(headers, glanceHeaders(tenants.A, { admin: true }));
  } else if (step.as !== "anonymous") {
    Object.assign(headers, glanceHeaders(tenants[step.as], { admin: step.as === "ADMIN" }));
  }
  if (step.json !== undefined || step.raw !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  Object.assign(headers, step.headers);
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== null) {
      sent[name] = fill(value, tenants, images);
    }
  }
  return sent;
}

function requestBody(step: RestStep, tenants: Tenants, images: readonly string[]): Buffer | undefined {
  if (step.raw !== undefined) {
    return Buffer.from(fill(step.raw, tenants, images), "utf8");
  }
  if (step.json !== undefined) {
    return Buffer.from(fill(JSON.stringify(step.json), tenants, images), "utf8");
  }
  return undefined;
}

/** Replaces what differs between two runs of the same scenario by placeholders. */
function normaliser(base: string, tenants: Tenants, images: readonly string[]): (text: string) => string {
  const replacements: Array<[string, string]> = [
    [base, "{host}"],
    ...images.flatMap((id, index): Array<[string, string]> => [
      [id, `{i${index + 1}}`],
      [id.toUpperCase(), `{I${index + 1}}`],
    ]),
    // Longest first: no project id is a prefix of another, but stay safe.
    ...PROJECTS.map((name): [string, string] => [tenants[name], `{${name}}`]).sort(
      (a, b) => b[0].length - a[0].length,
    ),
  ];
  return (text) => {
    let result = text;
    for (const [from, to] of replacements) {
      result = result.split(from).join(to);
    }
    return result
      .replace(/req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "{request-id}")
      .replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/g, "{timestamp}");
  };
}

/** Plays a scenario's steps in order; the ids of the images it creates are pushed onto `images`. */
async function play(
  base: string,
  scenario: RestScenario,
  tenants: Tenants,
  images: string[],
): Promise<Answer[]> {
  const raw: Array<Awaited<ReturnType<typeof send>>> = [];
  for (const step of scenario.steps) {
    const path = fill(step.path, tenants, images);
    const answer = await send(
      base,
      step.method,
      path,
      requestHeaders(step, tenants, images),
      requestBody(step, tenants, images),
    );
    raw.push(answer);
    if (step.createsImage === true && answer.status === 201) {
      const id = (JSON.parse(answer.body) as { id?: unknown }).id;
      if (typeof id !== "string") {
        throw new Error(`${scenario.name}: POST /v2/images answered 201 without an id: ${answer.body}`);
      }
      images.push(id);
      await sleep(BETWEEN_IMAGES_MS);
    }
  }
  const normalise = normaliser(base, tenants, images);
  return raw.map((answer) => ({
    status: answer.status,
    reason: answer.reason,
    headers: Object.fromEntries(
      Object.entries(answer.headers)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, value]) => [name, normalise(value)]),
    ),
    body: normalise(answer.body),
  }));
}

interface StepDifference {
  step: number;
  parts: string[];
  report: string;
}

/** The parts of two answers that differ ("status", "header <name>", "body"), sorted. */
function differingParts(glance: Answer, emulator: Answer): string[] {
  const parts: string[] = [];
  if (glance.status !== emulator.status || glance.reason !== emulator.reason) {
    parts.push("status");
  }
  for (const name of new Set([...Object.keys(glance.headers), ...Object.keys(emulator.headers)])) {
    const expected = glance.headers[name];
    const actual = emulator.headers[name];
    if (expected !== actual) {
      parts.push(`header ${name}`);
    }
  }
  if (glance.body !== emulator.body) {
    parts.push("body");
  }
  return parts.sort();
}

function describeStep(step: RestStep): string {
  const body =
    step.raw !== undefined
      ? ` ${JSON.stringify(step.raw)}`
      : step.json !== undefined
        ? ` ${JSON.stringify(step.json)}`
        : "";
  const headers = step.headers === undefined ? "" : ` headers ${JSON.stringify(step.headers)}`;
  return `as ${step.as}: ${step.method} ${step.path}${body}${headers}`;
}

function stepDifferences(scenario: RestScenario, glance: Answer[], emulator: Answer[]): StepDifference[] {
  const found: StepDifference[] = [];
  scenario.steps.forEach((step, index) => {
    const expected = glance[index];
    const actual = emulator[index];
    if (expected === undefined || actual === undefined) {
      throw new Error(`${scenario.name}: step ${index} has no answer`);
    }
    const parts = differingParts(expected, actual);
    if (parts.length === 0) {
      return;
    }
    const lines = parts.map((part) => {
      const pick = (answer: Answer): unknown =>
        part === "status"
          ? `${answer.status} ${answer.reason}`
          : part === "body"
            ? answer.body
            : answer.headers[part.slice("header ".length)];
      return `    ${part}\n      glance:   ${JSON.stringify(pick(expected))}\n      emulator: ${JSON.stringify(pick(actual))}`;
    });
    found.push({
      step: index,
      parts,
      report: `${scenario.name} step ${index} (${describeStep(step)})\n${lines.join("\n")}`,
    });
  });
  return found;
}

const recorded: readonly RecordedDifference[] = knownDifferences;

/** What the recorded differences expect of a scenario's steps, by step index. */
function recordedFor(scenario: string): Map<number, RecordedDifference> {
  const byStep = new Map<number, RecordedDifference>();
  for (const difference of recorded) {
    for (const [name, step] of difference.steps) {
      if (name === scenario) {
        byStep.set(step, difference);
      }
    }
  }
  return byStep;
}

/** How a scenario's title says that some of its answers differ as recorded. */
function titleOf(scenario: RestScenario): string {
  return recordedFor(scenario.name).size === 0
    ? scenario.name
    : `${scenario.name} (known difference: Glance is wrong)`;
}

describe("the emulator answers as a real Glance (legacy policy)", () => {
  let glanceDefault: string;
  let glanceSmall: string;
  let emulatorDefault: Emulator | undefined;
  let emulatorSmall: Emulator | undefined;
  let requestsCompared = 0;
  let scenariosCompared = 0;
  let knownSeen = 0;
  const unexpected: string[] = [];

  beforeAll(async () => {
    glanceDefault = inject("glanceLegacy");
    glanceSmall = inject("glanceSmallQuota");
    emulatorDefault = await startEmulator({ api: "v2", memberQuota: inject("defaultMemberQuota") });
    emulatorSmall = await startEmulator({ api: "v2", memberQuota: inject("smallMemberQuota") });
  });

  afterAll(async () => {
    await Promise.all([emulatorDefault?.close(), emulatorSmall?.close()]);
    agent.destroy();
    console.log(
      `differential: ${scenariosCompared} scenarios and ${requestsCompared} requests compared, each ` +
        `sent to the real Glance and to the emulator; answers that differ: ${knownSeen} known (Glance is ` +
        `wrong, the emulator deliberately not), ${unexpected.length} unexpected`,
    );
    if (unexpected.length > 0) {
      console.log(`unexpected differences:\n${unexpected.join("\n")}`);
    }
  });

  it("has enough scenarios, with unique names, and records differences only of existing steps", () => {
    const names = restScenarios.map((scenario) => scenario.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(60);
    for (const difference of recorded) {
      for (const [name, step] of difference.steps) {
        const scenario = restScenarios.find((candidate) => candidate.name === name);
        expect(scenario, `${name} is recorded but is no scenario`).toBeDefined();
        expect(step).toBeLessThan(scenario?.steps.length ?? 0);
      }
    }
  });

  for (const scenario of restScenarios) {
    it(titleOf(scenario), async () => {
      const small = scenario.quota === "small";
      const glanceUrl = small ? glanceSmall : glanceDefault;
      const emulator = small ? emulatorSmall : emulatorDefault;
      if (emulator === undefined) {
        throw new Error("the emulators did not start");
      }
      emulator.reset();
      const tenants = freshTenants();
      const glanceImages: string[] = [];
      try {
        const glance = await play(glanceUrl, scenario, tenants, glanceImages);
        const emulated = await play(emulator.url, scenario, tenants, []);
        scenariosCompared += 1;
        requestsCompared += scenario.steps.length;
        const found = stepDifferences(scenario, glance, emulated);
        const expectations = recordedFor(scenario.name);
        const problems: string[] = [];
        for (const difference of found) {
          const expected = expectations.get(difference.step);
          const statuses = {
            glance: glance[difference.step]?.status,
            emulator: emulated[difference.step]?.status,
          };
          if (
            expected !== undefined &&
            JSON.stringify(expected.differs) === JSON.stringify(difference.parts) &&
            JSON.stringify(expected.status) === JSON.stringify(statuses)
          ) {
            knownSeen += 1;
            continue;
          }
          unexpected.push(difference.report);
          problems.push(
            expected === undefined
              ? `unexpected difference:\n${difference.report}`
              : `differs otherwise than recorded (${expected.differs.join(", ")}; ` +
                  `${expected.status.glance} vs ${expected.status.emulator}):\n${difference.report}`,
          );
        }
        for (const step of expectations.keys()) {
          if (!found.some((difference) => difference.step === step)) {
            problems.push(`step ${step} answers as Glance does now: remove it from the recorded differences`);
          }
        }
        expect(problems, problems.join("\n")).toEqual([]);
      } finally {
        for (const id of glanceImages) {
          await deleteImage(glanceUrl, tenants.ADMIN, id, { admin: true });
        }
      }
    });
  }
});
