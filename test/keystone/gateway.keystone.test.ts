/**
 * The gateway against a real Keystone 22 and two real Glance 25 regions behind authtoken: real
 * tokens for owner, member, stranger, admin, a user without a project role, a revoked, an expired
 * and an other-project token, sent as X-Auth-Token and as Authorization: Bearer. Each gets the exact
 * code of the error table. Two gateways: endpoints from the catalog with validated tokens, and one
 * GLANCE_URL with tokens forwarded unchecked (TOKEN_VALIDATION=off), where Glance's authtoken answers.
 */
import { print } from "graphql";
import { pino } from "pino";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  ImageMembersDocument,
  MySharedImagesDocument,
  RespondToShareDocument,
  ShareImageDocument,
  UnshareImageDocument,
  ViewerDocument,
} from "../__generated__/graphql.js";
import { startGateway, type RunningGateway } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { revokeToken } from "./keystone-env.js";

interface Answer<T> {
  status: number;
  raw: string;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; retryable?: boolean } }[];
}

const outcome = (answer: Answer<unknown>): string =>
  (answer.errors ?? []).map((error) => error.extensions?.code).join(",") || "ok";

const PASSWORD = "user-secret-1";

async function issueToken(user: string, project: string | null): Promise<string> {
  const keystone = inject("keystoneUrl");
  const response = await fetch(`${keystone}/auth/tokens?nocatalog`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: user, domain: { id: "default" }, password: PASSWORD } },
        },
        ...(project === null ? {} : { scope: { project: { name: project, domain: { id: "default" } } } }),
      },
    }),
  });
  expect(response.status).toBe(201);
  return response.headers.get("x-subject-token") ?? "";
}

async function createImage(token: string, regionUrl: string): Promise<string> {
  const response = await fetch(`${regionUrl}/v2/images`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-auth-token": token },
    body: JSON.stringify({
      name: "keystone-suite",
      visibility: "shared",
      disk_format: "raw",
      container_format: "bare",
    }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function start(env: Record<string, string>): Promise<{
  gateway: RunningGateway;
  logs: string[];
  gql: <T, V>(
    document: TypedDocumentNode<T, V>,
    variables: V,
    headers: Record<string, string>,
  ) => Promise<Answer<T>>;
}> {
  const logs: string[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void logs.push(line) });
  const gateway = await startGateway(loadConfig({ PORT: "0", HOST: "127.0.0.1", ...env }), { logger });
  return {
    gateway,
    logs,
    async gql(document, variables, headers) {
      const response = await fetch(gateway.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ query: print(document), variables }),
      });
      const raw = await response.text();
      return { status: response.status, raw, ...(JSON.parse(raw) as object) };
    },
  };
}

const serviceEnv = (): Record<string, string> => ({
  OS_AUTH_URL: inject("keystoneUrl"),
  OS_USERNAME: "gateway",
  OS_PASSWORD: inject("servicePassword"),
  OS_PROJECT_NAME: "service",
  OS_USER_DOMAIN_ID: "default",
  OS_PROJECT_DOMAIN_ID: "default",
  OS_REGION_NAME: "RegionOne",
});

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const xAuth = (token: string): Record<string, string> => ({ "x-auth-token": token });

describe("endpoints from the real catalog, tokens validated", () => {
  let g: Awaited<ReturnType<typeof start>>;
  let projects: Record<string, string>;
  const tokens: Record<string, string> = {};
  let image: string;

  beforeAll(async () => {
    projects = inject("projects");
    g = await start(serviceEnv());
    for (const [name, user, project] of [
      ["owner", "alice", "alpha"],
      ["member", "bob", "beta"],
      ["stranger", "carol", "gamma"],
      ["admin", "erin", "alpha"],
      ["otherProject", "frank", "beta"],
    ] as const) {
      tokens[name] = await issueToken(user, project);
    }
    tokens.unscoped = await issueToken("dave", null);
    image = await createImage(tokens.owner!, inject("glanceRegions").RegionOne);
  });
  afterAll(() => g.gateway.close());

  it("serves both regions of the catalog, OS_REGION_NAME first", () => {
    expect(g.gateway.regions).toEqual(["RegionOne", "RegionTwo"]);
  });

  it("viewer: the owner's project, user and roles, as Keystone says", async () => {
    const answer = await g.gql(ViewerDocument, {}, bearer(tokens.owner!));
    expect(outcome(answer)).toBe("ok");
    expect(answer.data?.viewer).toMatchObject({
      project: { id: projects.alpha, name: "alpha" },
      user: { name: "alice" },
      roles: expect.arrayContaining(["member"]) as unknown,
      region: "RegionOne",
      regions: ["RegionOne", "RegionTwo"],
    });
  });

  it("the member lifecycle with real tokens, X-Auth-Token and Bearer alike", async () => {
    const shared = await g.gql(
      ShareImageDocument,
      { imageId: image, memberId: projects.beta! },
      xAuth(tokens.owner!),
    );
    expect(outcome(shared)).toBe("ok");
    expect(shared.data?.shareImage.status).toBe("PENDING");
    const offered = await g.gql(MySharedImagesDocument, { status: "PENDING" }, bearer(tokens.member!));
    expect(outcome(offered)).toBe("ok");
    expect(offered.data?.sharedImages.map((member) => member.imageId)).toContain(image);
    const accepted = await g.gql(
      RespondToShareDocument,
      { imageId: image, memberId: projects.beta!, status: "ACCEPTED" },
      bearer(tokens.member!),
    );
    expect(outcome(accepted)).toBe("ok");
    expect(accepted.data?.respondToShare.status).toBe("ACCEPTED");
  });

  it.each([
    ["stranger", "imageMembers", "NOT_FOUND"],
    ["admin", "imageMembers", "ok"],
    ["otherProject", "shareImage", "FORBIDDEN"],
    ["stranger", "shareImage", "NOT_FOUND"],
  ] as const)("%s: %s is %s", async (who, operation, expected) => {
    const headers = bearer(tokens[who]!);
    const answer =
      operation === "imageMembers"
        ? await g.gql(ImageMembersDocument, { imageId: image }, headers)
        : await g.gql(ShareImageDocument, { imageId: image, memberId: projects.gamma! }, headers);
    expect(outcome(answer)).toBe(expected);
  });

  it("a token scoped to no project: viewer says so, Glance work needs a project", async () => {
    const viewer = await g.gql(ViewerDocument, {}, bearer(tokens.unscoped!));
    expect(outcome(viewer)).toBe("ok");
    expect(viewer.data?.viewer.project).toBeNull();
    const shared = await g.gql(MySharedImagesDocument, {}, bearer(tokens.unscoped!));
    expect(outcome(shared)).toBe("BAD_USER_INPUT");
  });

  it("a revoked token is UNAUTHENTICATED before any Glance call, and never echoed", async () => {
    const token = await issueToken("alice", "alpha");
    expect(await revokeToken(inject("keystoneUrl"), token)).toBe(204);
    const answer = await g.gql(ImageMembersDocument, { imageId: image }, bearer(token));
    expect(outcome(answer)).toBe("UNAUTHENTICATED");
    expect(answer.raw).not.toContain(token);
    expect(g.logs.join("")).not.toContain(token);
  });

  it("an expired token (from the short-lived Keystone) is UNAUTHENTICATED", async () => {
    const response = await fetch(`${inject("keystoneShortLivedUrl")}/auth/tokens?nocatalog`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ["password"],
            password: { user: { name: "alice", domain: { id: "default" }, password: PASSWORD } },
          },
          scope: { project: { name: "alpha", domain: { id: "default" } } },
        },
      }),
    });
    const token = response.headers.get("x-subject-token") ?? "";
    const body = (await response.json()) as { token: { expires_at: string } };
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, Date.parse(body.token.expires_at) - Date.now()) + 1_000),
    );
    const answer = await g.gql(ViewerDocument, {}, xAuth(token));
    expect(outcome(answer)).toBe("UNAUTHENTICATED");
  });

  it("an unknown region is BAD_USER_INPUT naming the regions", async () => {
    const answer = await g.gql(
      ViewerDocument,
      {},
      { ...bearer(tokens.owner!), "x-openstack-region": "RegionNine" },
    );
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0]?.message).toBe(
      'Unknown region "RegionNine" in X-OpenStack-Region: this gateway serves RegionOne, RegionTwo',
    );
  });

  it("the second region is its own Glance: the first region's image is not there", async () => {
    const answer = await g.gql(
      ImageMembersDocument,
      { imageId: image },
      { ...bearer(tokens.owner!), "x-openstack-region": "RegionTwo" },
    );
    expect(outcome(answer)).toBe("NOT_FOUND");
  });

  it("unshare as the owner", async () => {
    const answer = await g.gql(
      UnshareImageDocument,
      { imageId: image, memberId: projects.beta! },
      bearer(tokens.owner!),
    );
    expect(outcome(answer)).toBe("ok");
  });
});

describe("GLANCE_URL, tokens forwarded unchecked: Glance's authtoken decides", () => {
  let g: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    g = await start({ GLANCE_URL: inject("glanceRegions").RegionOne, TOKEN_VALIDATION: "off" });
  });
  afterAll(() => g.gateway.close());

  it("authtoken's 401 (JSON, WWW-Authenticate) is UNAUTHENTICATED, the token never echoed", async () => {
    const token = "gAAAAABnot-a-real-fernet-token-0123456789";
    const answer = await g.gql(
      ImageMembersDocument,
      { imageId: "11111111-2222-3333-4444-555555555555" },
      xAuth(token),
    );
    expect(outcome(answer)).toBe("UNAUTHENTICATED");
    expect(answer.errors?.[0]?.message).toBe("The request you have made requires authentication.");
    expect(answer.raw).not.toContain(token);
  });

  it("a real token works, and viewer is UNSUPPORTED_OPERATION", async () => {
    const token = await issueToken("alice", "alpha");
    const image = await createImage(token, inject("glanceRegions").RegionOne);
    expect(outcome(await g.gql(ImageMembersDocument, { imageId: image }, bearer(token)))).toBe("ok");
    expect(outcome(await g.gql(ViewerDocument, {}, bearer(token)))).toBe("UNSUPPORTED_OPERATION");
  });
});
