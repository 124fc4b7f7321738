/**
 * The gateway behind the emulated Keystone: endpoints from the catalog, a region per request,
 * client tokens validated once and remembered, and `viewer`. Every case checks what reached
 * Keystone and each Glance region, and the exact code answered.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ImageMembersDocument,
  MySharedImagesDocument,
  ShareImageDocument,
  ViewerDocument,
} from "../__generated__/graphql.js";
import { codes } from "../support/harness.js";
import {
  SERVICE_API_KEY,
  serviceEnv,
  startCloud,
  startCloudGateway,
  type Cloud,
  type CloudGateway,
} from "../support/cloud.js";

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const xAuth = (token: string): Record<string, string> => ({ "x-auth-token": token });

/** Keystone calls, as method and path. */
const keystoneCalls = (cloud: Cloud): string[] =>
  cloud.keystone.requests.map((request) => `${request.method} ${request.path}`);

describe("the gateway behind Keystone, endpoints from the catalog", () => {
  let cloud: Cloud;
  let g: CloudGateway;

  beforeAll(async () => {
    cloud = await startCloud();
    g = await startCloudGateway({ ...serviceEnv(cloud), OS_REGION_NAME: "RegionOne" });
  });
  afterAll(async () => {
    await g.close();
    await cloud.close();
  });
  beforeEach(() => {
    cloud.keystone.clearRequests();
    for (const region of Object.values(cloud.regions)) {
      region.reset();
    }
  });

  it("signs in once at start and serves every region of the catalog, OS_REGION_NAME first", () => {
    expect(g.gateway.regions).toEqual(["RegionOne", "RegionTwo"]);
    expect(g.gateway.upstreamUrl).toBe(cloud.regions.RegionOne.url);
  });

  it("viewer: the caller as Keystone vouches, validated once and then remembered", async () => {
    const token = cloud.token(cloud.users.alice, cloud.projects.alpha);
    const first = await g.request(ViewerDocument, {}, bearer(token));
    expect(first.errors).toBeUndefined();
    expect(first.data?.viewer).toMatchObject({
      project: { id: cloud.projects.alpha.id, name: "alpha" },
      user: { id: cloud.users.alice.id, name: "alice" },
      // Keystone's implied roles: member brings reader.
      roles: ["member", "reader"],
      region: "RegionOne",
      regions: ["RegionOne", "RegionTwo"],
    });
    const second = await g.request(ViewerDocument, {}, xAuth(token));
    expect(second.data).toEqual(first.data);
    expect(keystoneCalls(cloud)).toEqual(["GET /v3/auth/tokens?nocatalog"]);
    const validation = cloud.keystone.requests[0]!;
    expect(validation.headers["x-subject-token"]).toBe(token);
    expect(validation.headers["x-auth-token"]).not.toBe(token);
    // viewer needs no Glance at all.
    expect(cloud.regions.RegionOne.requests).toEqual([]);
  });

  it("X-OpenStack-Region, in any case, sends the request to that region's Glance only", async () => {
    const image = cloud.regions.RegionTwo.createImage({
      owner: cloud.projects.alpha.id,
      visibility: "shared",
    }).id;
    const token = cloud.token(cloud.users.alice, cloud.projects.alpha);
    const result = await g.request(
      ShareImageDocument,
      { imageId: image, memberId: cloud.projects.beta.id },
      { ...bearer(token), "X-OPENSTACK-REGION": "RegionTwo" },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.shareImage.memberId).toBe(cloud.projects.beta.id);
    expect(cloud.regions.RegionOne.requests).toEqual([]);
    expect(cloud.regions.RegionTwo.requests.map((r) => `${r.method} ${r.path}`)).toContain(
      `POST /v2/images/${image}/members`,
    );
    const viewer = await g.request(
      ViewerDocument,
      {},
      { ...bearer(token), "x-openstack-region": "regiontwo" },
    );
    expect(viewer.data?.viewer.region).toBe("RegionTwo");
  });

  it("an unknown region is BAD_USER_INPUT naming the regions served, with no upstream call at all", async () => {
    const token = cloud.token(cloud.users.alice, cloud.projects.alpha);
    const result = await g.request(
      ViewerDocument,
      {},
      { ...bearer(token), "x-openstack-region": "Atlantis" },
    );
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors?.[0]?.message).toBe(
      'Unknown region "Atlantis" in X-OpenStack-Region: this gateway serves RegionOne, RegionTwo',
    );
    expect(keystoneCalls(cloud)).toEqual([]);
    expect(cloud.regions.RegionOne.requests).toEqual([]);
    expect(cloud.regions.RegionTwo.requests).toEqual([]);
  });

  it.each([
    ["an unknown token", (c: Cloud) => `${c.token(c.users.alice, c.projects.alpha)}x`],
    [
      "a revoked token",
      (c: Cloud) => {
        const token = c.token(c.users.alice, c.projects.alpha);
        c.keystone.revokeToken(token);
        return token;
      },
    ],
  ])(
    "%s is UNAUTHENTICATED before any Glance call, and the token is in no answer or log",
    async (_, make) => {
      const token = make(cloud);
      const image = cloud.regions.RegionOne.createImage({
        owner: cloud.projects.alpha.id,
        visibility: "shared",
      }).id;
      const result = await g.request(
        ShareImageDocument,
        { imageId: image, memberId: cloud.projects.beta.id },
        bearer(token),
      );
      expect(codes(result)).toEqual(["UNAUTHENTICATED"]);
      expect(result.errors?.[0]?.message).toBe("The token is invalid, expired or revoked");
      expect(cloud.regions.RegionOne.requests).toEqual([]);
      expect(keystoneCalls(cloud)).toEqual(["GET /v3/auth/tokens?nocatalog"]);
      expect(result.raw).not.toContain(token);
      expect(g.logs.join("")).not.toContain(token);
    },
  );

  it("an expired token is UNAUTHENTICATED, also after it was valid and remembered", async () => {
    const token = cloud.token(cloud.users.alice, cloud.projects.alpha, 1);
    const before = await g.request(ViewerDocument, {}, bearer(token));
    expect(before.errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const after = await g.request(ViewerDocument, {}, bearer(token));
    expect(codes(after)).toEqual(["UNAUTHENTICATED"]);
  });

  it("no token at all is UNAUTHENTICATED, with no call anywhere", async () => {
    const result = await g.request(ImageMembersDocument, { imageId: "0b1b3a2e-6d0b-4a43-9f1e-4e0f3f2a9c11" });
    expect(codes(result)).toEqual(["UNAUTHENTICATED"]);
    expect(keystoneCalls(cloud)).toEqual([]);
    expect(cloud.regions.RegionOne.requests).toEqual([]);
  });

  it("sharedImages without memberId lists the shares offered to the token's project", async () => {
    const image = cloud.regions.RegionOne.createImage({
      owner: cloud.projects.alpha.id,
      visibility: "shared",
    }).id;
    cloud.regions.RegionOne.addMember(image, cloud.projects.beta.id);
    const result = await g.request(
      MySharedImagesDocument,
      {},
      bearer(cloud.token(cloud.users.bob, cloud.projects.beta)),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.sharedImages.map((member) => [member.imageId, member.memberId])).toEqual([
      [image, cloud.projects.beta.id],
    ]);
  });

  it("a token scoped to no project: viewer answers with a null project, sharedImages needs a memberId", async () => {
    const token = cloud.token(cloud.users.dave, null);
    const viewer = await g.request(ViewerDocument, {}, bearer(token));
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data?.viewer.project).toBeNull();
    const shared = await g.request(MySharedImagesDocument, {}, bearer(token));
    expect(codes(shared)).toEqual(["BAD_USER_INPUT"]);
    expect(shared.errors?.[0]?.message).toBe("memberId is required: the token is not scoped to a project");
  });

  it("Glance's authtoken refusing a token Keystone vouched for is UNAUTHENTICATED too", async () => {
    const token = cloud.token(cloud.users.alice, cloud.projects.alpha);
    await g.request(ViewerDocument, {}, bearer(token));
    // Revoked after the gateway remembered it: the gateway lets it through, Glance does not.
    cloud.keystone.revokeToken(token);
    const result = await g.request(
      ImageMembersDocument,
      { imageId: "0b1b3a2e-6d0b-4a43-9f1e-4e0f3f2a9c11" },
      bearer(token),
    );
    expect(codes(result)).toEqual(["UNAUTHENTICATED"]);
    expect(result.raw).not.toContain(token);
  });
});

describe("Keystone unavailable", () => {
  it("at start: a clear start-up error naming Keystone", async () => {
    const cloud = await startCloud();
    const env = serviceEnv(cloud);
    await cloud.close();
    await expect(startCloudGateway(env)).rejects.toThrow(
      `Could not sign in to Keystone at ${env.OS_AUTH_URL}/ (environment): `,
    );
  });

  it("later: a new token is retryable UPSTREAM_UNREACHABLE, never UNAUTHENTICATED; a remembered one still works", async () => {
    const cloud = await startCloud();
    const g = await startCloudGateway(serviceEnv(cloud));
    try {
      const known = cloud.token(cloud.users.alice, cloud.projects.alpha);
      const fresh = cloud.token(cloud.users.bob, cloud.projects.beta);
      expect((await g.request(ViewerDocument, {}, bearer(known))).errors).toBeUndefined();
      await cloud.keystone.close();
      const failed = await g.request(ViewerDocument, {}, bearer(fresh));
      expect(codes(failed)).toEqual(["UPSTREAM_UNREACHABLE"]);
      expect(failed.errors?.[0]?.extensions?.retryable).toBe(true);
      const remembered = await g.request(ViewerDocument, {}, bearer(known));
      expect(remembered.errors).toBeUndefined();
    } finally {
      await g.close();
      await cloud.close();
    }
  });
});

describe("one region down", () => {
  it("does not fail the other; readiness lists both and stays ready", async () => {
    const cloud = await startCloud();
    const g = await startCloudGateway({ ...serviceEnv(cloud), OS_REGION_NAME: "RegionOne" });
    try {
      await cloud.regions.RegionTwo.close();
      const token = cloud.token(cloud.users.alice, cloud.projects.alpha);
      const image = cloud.regions.RegionOne.createImage({
        owner: cloud.projects.alpha.id,
        visibility: "shared",
      }).id;
      const down = await g.request(
        ImageMembersDocument,
        { imageId: image },
        { ...bearer(token), "x-openstack-region": "RegionTwo" },
      );
      expect(codes(down)).toEqual(["UPSTREAM_UNREACHABLE"]);
      const up = await g.request(ImageMembersDocument, { imageId: image }, bearer(token));
      expect(up.errors).toBeUndefined();
      const ready = await fetch(new URL("/health/ready", g.gateway.url));
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { status: string; regions: Record<string, string> };
      expect(body.status).toBe("ready");
      expect(body.regions.RegionOne).toBe("ready");
      expect(body.regions.RegionTwo).toMatch(/^upstream: /);
    } finally {
      await g.close();
      await cloud.close();
    }
  });
});

describe("TOKEN_VALIDATION=off with GLANCE_URL", () => {
  it("forwards tokens unchecked; viewer is UNSUPPORTED_OPERATION; the header region must still be served", async () => {
    const cloud = await startCloud();
    const g = await startCloudGateway({
      ...serviceEnv(cloud),
      GLANCE_URL: cloud.regions.RegionOne.url,
      TOKEN_VALIDATION: "off",
    });
    try {
      const token = cloud.token(cloud.users.alice, cloud.projects.alpha);
      const viewer = await g.request(ViewerDocument, {}, bearer(token));
      expect(codes(viewer)).toEqual(["UNSUPPORTED_OPERATION"]);
      const image = cloud.regions.RegionOne.createImage({
        owner: cloud.projects.alpha.id,
        visibility: "shared",
      }).id;
      const members = await g.request(ImageMembersDocument, { imageId: image }, bearer(token));
      expect(members.errors).toBeUndefined();
      expect(keystoneCalls(cloud)).toEqual([]);
      expect(g.gateway.regions).toEqual(["default"]);
    } finally {
      await g.close();
      await cloud.close();
    }
  });
});

describe("Rackspace Identity v2.0", () => {
  it("an API key signs in, the cloudImages catalog gives the regions, tokens are validated with GET /v2.0/tokens/{id}", async () => {
    const cloud = await startCloud();
    const g = await startCloudGateway({
      OS_AUTH_URL: `${cloud.keystone.url}/v2.0`,
      OS_USERNAME: "gateway",
      OS_API_KEY: SERVICE_API_KEY,
      OS_REGION_NAME: "RegionTwo",
    });
    try {
      expect(g.gateway.regions).toEqual(["RegionTwo", "RegionOne"]);
      const token = cloud.token(cloud.users.alice, cloud.projects.alpha);
      const viewer = await g.request(ViewerDocument, {}, bearer(token));
      expect(viewer.errors).toBeUndefined();
      expect(viewer.data?.viewer).toMatchObject({
        project: { id: cloud.projects.alpha.id },
        user: { id: cloud.users.alice.id, name: "alice" },
        region: "RegionTwo",
      });
      expect(keystoneCalls(cloud).at(-1)).toBe(`GET /v2.0/tokens/${token}`);
    } finally {
      await g.close();
      await cloud.close();
    }
  });
});
