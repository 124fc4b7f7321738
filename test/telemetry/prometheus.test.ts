/**
 * `/metrics` scraped during a load and parsed by a real Prometheus text-format parser: the request
 * and upstream counts are the requests made and the calls the upstream received, by label; the
 * label values are schema names, codes and route templates, never an id; the gauges and process
 * metrics are there; METRICS=off takes the endpoint away.
 */
import parsePrometheusTextFormat, { type MetricFamily, type Sample } from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImageMembersDocument, ShareImageDocument, SharedImagesDocument } from "../__generated__/graphql.js";
import { as, startHarness, type Harness } from "../support/harness.js";

async function scrape(
  h: Harness,
): Promise<{ families: Map<string, MetricFamily>; text: string; type: string }> {
  const response = await fetch(new URL("/metrics", h.gateway.url));
  expect(response.status).toBe(200);
  const text = await response.text();
  const families = new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family]));
  // The parser folds a histogram's series into one sample and loses their labels when there are
  // any; read without its TYPE line, each `_count` series is a sample of its own, labels intact.
  const histograms = new Set([...text.matchAll(/^# TYPE (\S+) histogram$/gm)].map((match) => match[1]));
  const untyped = text.replace(/^# TYPE \S+ histogram$/gm, "");
  for (const family of parsePrometheusTextFormat(untyped)) {
    if (family.name.endsWith("_count") && histograms.has(family.name.slice(0, -6))) {
      // One family per run of lines: the series of each label set come apart.
      const known = families.get(family.name);
      families.set(family.name, { ...family, metrics: [...(known?.metrics ?? []), ...family.metrics] });
    }
  }
  return { families, text, type: response.headers.get("content-type") ?? "" };
}

function samples(families: Map<string, MetricFamily>, name: string): readonly Sample[] {
  const family = families.get(name);
  expect(family, `${name} is exposed`).toBeDefined();
  return family!.metrics;
}

/** The sample whose labels include `labels`, its value as a number (0 when there is none yet). */
function valueOf(families: Map<string, MetricFamily>, name: string, labels: Record<string, string>): number {
  const sample = (families.get(name)?.metrics ?? []).find((candidate) =>
    Object.entries(labels).every(([key, value]) => candidate.labels?.[key] === value),
  );
  return sample === undefined ? 0 : Number(sample.value);
}

describe("/metrics", () => {
  let h: Harness;
  let image: string;
  const UNKNOWN_IMAGE = "0b5a3a4e-5d6a-4d3e-9b7e-9f6d1c2b3a41";

  beforeAll(async () => {
    h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v2" } });
    image = h.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
    h.emulator.addMember(image, "proj-b");
  });
  afterAll(() => h.close());

  it("counts every request and upstream call of a load, by label, scraped while it runs", async () => {
    const before = await scrape(h);
    expect(before.type).toMatch(/^text\/plain; version=0\.0\.4/);
    h.emulator.clearRequests();

    const ROUNDS = 40;
    const sent = { listed: 0, notFound: 0, shared: 0, badInput: 0, sharedWithMe: 0 };
    let scrapesDuringLoad = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const work: Promise<unknown>[] = [
        h.request(ImageMembersDocument, { imageId: image }, as("proj-a")).then((r) => {
          expect(r.errors).toBeUndefined();
          sent.listed++;
        }),
        h.request(ImageMembersDocument, { imageId: UNKNOWN_IMAGE }, as("proj-a")).then((r) => {
          expect(r.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
          sent.notFound++;
        }),
        h.request(ImageMembersDocument, { imageId: "not an id" }, as("proj-a")).then((r) => {
          expect(r.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
          sent.badInput++;
        }),
        h.request(SharedImagesDocument, { memberId: "proj-b" }, as("proj-b")).then((r) => {
          expect(r.errors).toBeUndefined();
          sent.sharedWithMe++;
        }),
      ];
      if (round % 4 === 0) {
        work.push(
          h
            .request(ShareImageDocument, { imageId: image, memberId: `proj-x${round}` }, as("proj-a"))
            .then((r) => {
              expect(r.errors).toBeUndefined();
              sent.shared++;
            }),
        );
      }
      if (round % 10 === 5) {
        // A scrape in the middle of the load: parsable, and never behind what has been answered.
        work.push(scrape(h).then(() => scrapesDuringLoad++));
      }
      await Promise.all(work);
    }
    expect(scrapesDuringLoad).toBe(4);

    const after = (await scrape(h)).families;
    const delta = (name: string, labels: Record<string, string>): number =>
      valueOf(after, name, labels) - valueOf(before.families, name, labels);
    const requests = "gateway_graphql_requests_total";
    expect(delta(requests, { operation_type: "query", operation: "imageMembers", outcome: "ok" })).toBe(
      sent.listed,
    );
    expect(
      delta(requests, { operation_type: "query", operation: "imageMembers", outcome: "NOT_FOUND" }),
    ).toBe(sent.notFound);
    expect(
      delta(requests, { operation_type: "query", operation: "imageMembers", outcome: "BAD_USER_INPUT" }),
    ).toBe(sent.badInput);
    expect(delta(requests, { operation_type: "query", operation: "sharedImages", outcome: "ok" })).toBe(
      sent.sharedWithMe,
    );
    expect(delta(requests, { operation_type: "mutation", operation: "shareImage", outcome: "ok" })).toBe(
      sent.shared,
    );
    const duration = "gateway_graphql_request_duration_seconds_count";
    expect(delta(duration, { operation: "imageMembers", outcome: "ok" })).toBe(sent.listed);

    // Upstream: the counts are what the upstream received, by route template.
    const received = h.emulator.requests;
    const count = (method: string, pattern: RegExp): number =>
      received.filter((call) => call.method === method && pattern.test(call.path.split("?")[0]!)).length;
    const upstream = "gateway_upstream_requests_total";
    const members = count("GET", /^\/v2\/images\/[^/]+\/members$/);
    expect(members).toBe(sent.listed + sent.notFound);
    expect(
      delta(upstream, {
        method: "GET",
        route: "/v2/images/{image_id}/members",
        status: "200",
        outcome: "ok",
      }),
    ).toBe(sent.listed);
    expect(
      delta(upstream, {
        method: "GET",
        route: "/v2/images/{image_id}/members",
        status: "404",
        outcome: "http_error",
      }),
    ).toBe(sent.notFound);
    expect(delta(upstream, { method: "POST", route: "/v2/images/{image_id}/members", outcome: "ok" })).toBe(
      count("POST", /^\/v2\/images\/[^/]+\/members$/),
    );
    expect(delta(upstream, { method: "GET", route: "/v2/images", status: "200", outcome: "ok" })).toBe(
      count("GET", /^\/v2\/images$/),
    );
    const allUpstream = samples(after, upstream).reduce((sum, sample) => sum + Number(sample.value), 0);
    const allBefore = samples(before.families, upstream).reduce(
      (sum, sample) => sum + Number(sample.value),
      0,
    );
    expect(allUpstream - allBefore).toBe(received.length);
    expect(
      delta("gateway_upstream_request_duration_seconds_count", {
        method: "GET",
        route: "/v2/images/{image_id}/members",
        outcome: "ok",
      }),
    ).toBe(sent.listed);
  });

  it("keeps label values bounded: no id, no client text", async () => {
    await h.request(
      ImageMembersDocument,
      { imageId: image },
      { ...as("proj-a"), "x-request-id": "client-chosen-id" },
    );
    const { text, families } = await scrape(h);
    expect(text).not.toContain(image);
    expect(text).not.toContain("proj-a");
    expect(text).not.toContain("proj-b");
    expect(text).not.toContain(UNKNOWN_IMAGE);
    expect(text).not.toContain("client-chosen-id");
    for (const name of ["gateway_graphql_requests_total", "gateway_upstream_requests_total"]) {
      for (const sample of samples(families, name)) {
        for (const value of Object.values(sample.labels ?? {})) {
          expect(value).toMatch(/^[\w{}/.-]*$/);
        }
      }
    }
  });

  it("has the gauges and the process metrics", async () => {
    const { families } = await scrape(h);
    expect(valueOf(families, "gateway_upstream_circuit_state", { region: "default", state: "closed" })).toBe(
      1,
    );
    expect(valueOf(families, "gateway_upstream_circuit_state", { region: "default", state: "open" })).toBe(0);
    expect(valueOf(families, "gateway_upstream_in_flight", { region: "default" })).toBe(0);
    expect(valueOf(families, "gateway_upstream_queued", { region: "default" })).toBe(0);
    expect(samples(families, "gateway_graphql_requests_in_flight")).toHaveLength(1);
    expect(Number(samples(families, "process_resident_memory_bytes")[0]?.value)).toBeGreaterThan(10_000_000);
    expect(families.has("nodejs_eventloop_lag_seconds")).toBe(true);
  });
});

describe("METRICS=off", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ api: "v2", env: { METRICS: "off" } });
  });
  afterAll(() => h.close());

  it("serves no /metrics", async () => {
    const response = await fetch(new URL("/metrics", h.gateway.url));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ status: "off", reason: "METRICS is off" });
  });
});
