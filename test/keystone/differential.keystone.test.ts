/**
 * The emulated Keystone against the real Keystone 22, call for call: every request the gateway
 * makes (and the ones the suites make to get tokens) goes to both, and the answers must agree in
 * status, the headers that matter and the body, once ids, tokens, times and ports are set aside.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startKeystoneEmulator, type KeystoneEmulator } from "../../src/emulator/index.js";

const PASSWORD = "user-secret-1";
/** Application credential names are unique per user, also across runs against the same Keystone. */
const RUN = Date.now().toString(36);

interface Answer {
  status: number;
  /** Only the headers whose presence or form the gateway relies on. */
  headers: Record<string, string>;
  body: unknown;
}

/** Ids, tokens, times and loopback ports become placeholders; lists of roles are sorted. */
function normalise(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => normalise(item));
    if (key === "roles") {
      return items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    }
    if (key === "catalog") {
      return items.filter((item) => ["image", "identity"].includes((item as { type?: string }).type ?? ""));
    }
    if (key === "endpoints") {
      return items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    }
    return key === "audit_ids" ? ["<audit>"] : items;
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([name]) => name !== "links")
        .map(([name, item]) => [name, normalise(item, name)]),
    );
  }
  if (typeof value === "string") {
    if (key === "id" && !["default"].includes(value)) {
      return "<id>";
    }
    return value
      .replace(/http:\/\/127\.0\.0\.1:\d+/g, "<url>")
      .replace(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z$/, "<time>");
  }
  return value;
}

async function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<Answer & { token: string | null }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const kept: Record<string, string> = {};
  const contentType = response.headers.get("content-type");
  if (contentType !== null) {
    kept["content-type"] = contentType;
  }
  const challenge = response.headers.get("www-authenticate");
  if (challenge !== null) {
    kept["www-authenticate"] = challenge.replace(/http:\/\/127\.0\.0\.1:\d+/, "<url>");
  }
  if (response.headers.has("x-subject-token")) {
    kept["x-subject-token"] = "<token>";
  }
  return {
    status: response.status,
    headers: kept,
    body: text === "" ? "" : normalise(JSON.parse(text)),
    token: response.headers.get("x-subject-token"),
  };
}

const password = (user: string, project: string | null, secret = PASSWORD): unknown => ({
  auth: {
    identity: {
      methods: ["password"],
      password: { user: { name: user, domain: { id: "default" }, password: secret } },
    },
    ...(project === null ? {} : { scope: { project: { name: project, domain: { id: "default" } } } }),
  },
});

/** One side: the real Keystone, or the emulated one seeded with the same users. */
interface Side {
  readonly base: string;
  /** A token through HTTP. */
  token(user: string, project: string | null, secret?: string): Promise<string>;
  /** An application credential of alice on alpha. */
  applicationCredential(): Promise<{ id: string; secret: string }>;
  /** A token that has expired. */
  expiredToken(): Promise<string>;
}

describe("the emulated Keystone answers as the real one", () => {
  let emulator: KeystoneEmulator;
  let real: Side;
  let emulated: Side;
  let compared = 0;

  /** Sends one call to both sides and compares. */
  async function both(
    label: string,
    call: (side: Side, tokens: Record<string, string>) => Promise<Answer>,
    tokens: (side: Side) => Promise<Record<string, string>> = () => Promise.resolve({}),
  ): Promise<void> {
    const [fromReal, fromEmulator] = [
      await call(real, await tokens(real)),
      await call(emulated, await tokens(emulated)),
    ];
    compared++;
    expect({ label, ...strip(fromEmulator) }).toEqual({ label, ...strip(fromReal) });
  }
  const strip = (answer: Answer): Answer => ({
    status: answer.status,
    headers: answer.headers,
    body: answer.body,
  });

  const sideOf = (base: string, expired: () => Promise<string>): Side => ({
    base,
    async token(user, project, secret) {
      const answer = await send(base, "POST", "/auth/tokens?nocatalog", {}, password(user, project, secret));
      expect(answer.status).toBe(201);
      return answer.token ?? "";
    },
    async applicationCredential() {
      const token = await this.token("alice", "alpha");
      const raw = await fetch(`${base}/auth/tokens?nocatalog`, {
        headers: { "x-auth-token": token, "x-subject-token": token },
      });
      const userId = ((await raw.json()) as { token: { user: { id: string } } }).token.user.id;
      const made = await fetch(`${base}/users/${userId}/application_credentials`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-auth-token": token },
        body: JSON.stringify({ application_credential: { name: `gateway-${RUN}` } }),
      });
      expect(made.status).toBe(201);
      const credential = ((await made.json()) as { application_credential: { id: string; secret: string } })
        .application_credential;
      return { id: credential.id, secret: credential.secret };
    },
    expiredToken: expired,
  });

  beforeAll(async () => {
    const realBase = inject("keystoneUrl");
    const shortLived = inject("keystoneShortLivedUrl");
    real = sideOf(realBase, async () => {
      const answer = await send(shortLived, "POST", "/auth/tokens?nocatalog", {}, password("alice", "alpha"));
      await new Promise((resolve) => setTimeout(resolve, 4_500));
      return answer.token ?? "";
    });
    emulator = await startKeystoneEmulator({
      imageEndpoints: [
        { region: "RegionOne", url: inject("glanceRegions").RegionOne, interface: "public" },
        { region: "RegionOne", url: inject("glanceRegions").RegionOne, interface: "internal" },
        { region: "RegionTwo", url: inject("glanceRegions").RegionTwo, interface: "public" },
        { region: "RegionTwo", url: inject("glanceRegions").RegionTwo, interface: "internal" },
      ],
    });
    const project = (name: string) => emulator.addProject(name);
    const [service, alpha, beta] = [project("service"), project("alpha"), project("beta")];
    const gateway = emulator.addUser("gateway", inject("servicePassword"));
    emulator.grant(gateway.id, service.id, "service");
    const alice = emulator.addUser("alice", PASSWORD);
    emulator.grant(alice.id, alpha.id, "member");
    emulator.addUser("dave", PASSWORD);
    emulator.grant(emulator.addUser("bob", PASSWORD).id, beta.id, "member");
    emulated = sideOf(`${emulator.url}/v3`, () =>
      Promise.resolve(emulator.issueToken(alice.id, alpha.id, { lifetimeSeconds: -1 })),
    );
  });
  afterAll(async () => {
    await emulator.close();
    // The count the closing note of the work reports.
    console.info(`keystone differential: ${compared} calls compared`);
  });

  it("sign-in by password, scoped, with the catalog (the gateway's service sign-in)", async () => {
    await both("service sign-in", async (side) =>
      send(side.base, "POST", "/auth/tokens", {}, password("gateway", "service", inject("servicePassword"))),
    );
  });

  it("sign-in refusals: wrong password, unknown user, a project without a role", async () => {
    await both("wrong password", (side) =>
      send(side.base, "POST", "/auth/tokens", {}, password("alice", "alpha", "nope")),
    );
    await both("unknown user", (side) =>
      send(side.base, "POST", "/auth/tokens", {}, password("nobody", "alpha")),
    );
    await both("no role on the project", (side) =>
      send(side.base, "POST", "/auth/tokens", {}, password("dave", "alpha")),
    );
  });

  it("an unscoped token: no project, roles or catalog", async () => {
    await both("unscoped", (side) => send(side.base, "POST", "/auth/tokens", {}, password("dave", null)));
  });

  it("sign-in by application credential", async () => {
    await both("application credential", async (side) => {
      const credential = await side.applicationCredential();
      return send(
        side.base,
        "POST",
        "/auth/tokens?nocatalog",
        {},
        {
          auth: { identity: { methods: ["application_credential"], application_credential: credential } },
        },
      );
    });
  });

  const service = async (side: Side) => ({
    service: await side.token("gateway", "service", inject("servicePassword")),
    alice: await side.token("alice", "alpha"),
    bob: await side.token("bob", "beta"),
  });

  it("validation by the service user: valid, unknown, revoked, expired, unscoped", async () => {
    await both(
      "valid",
      (side, t) =>
        send(side.base, "GET", "/auth/tokens?nocatalog", {
          "x-auth-token": t.service!,
          "x-subject-token": t.alice!,
        }),
      service,
    );
    await both(
      "valid, with catalog",
      (side, t) =>
        send(side.base, "GET", "/auth/tokens", { "x-auth-token": t.service!, "x-subject-token": t.alice! }),
      service,
    );
    await both(
      "unknown",
      (side, t) =>
        send(side.base, "GET", "/auth/tokens?nocatalog", {
          "x-auth-token": t.service!,
          "x-subject-token": `${t.alice}x`,
        }),
      service,
    );
    await both(
      "revoked",
      async (side, t) => {
        const revoked = await send(side.base, "DELETE", "/auth/tokens", {
          "x-auth-token": t.alice!,
          "x-subject-token": t.alice!,
        });
        expect(revoked.status).toBe(204);
        return send(side.base, "GET", "/auth/tokens?nocatalog", {
          "x-auth-token": t.service!,
          "x-subject-token": t.alice!,
        });
      },
      service,
    );
    await both(
      "expired",
      async (side, t) =>
        send(side.base, "GET", "/auth/tokens?nocatalog", {
          "x-auth-token": t.service!,
          "x-subject-token": await side.expiredToken(),
        }),
      service,
    );
    await both(
      "unscoped subject",
      async (side, t) =>
        send(side.base, "GET", "/auth/tokens?nocatalog", {
          "x-auth-token": t.service!,
          "x-subject-token": await side.token("dave", null),
        }),
      service,
    );
  });

  it("validation refusals: a member validating another's token, a bad X-Auth-Token", async () => {
    await both(
      "member validates another",
      (side, t) =>
        send(side.base, "GET", "/auth/tokens?nocatalog", {
          "x-auth-token": t.bob!,
          "x-subject-token": t.alice!,
        }),
      service,
    );
    await both(
      "bad X-Auth-Token",
      (side, t) =>
        send(side.base, "GET", "/auth/tokens?nocatalog", {
          "x-auth-token": "not-a-token",
          "x-subject-token": t.alice!,
        }),
      service,
    );
    await both(
      "own token",
      (side, t) =>
        send(side.base, "GET", "/auth/tokens?nocatalog", {
          "x-auth-token": t.bob!,
          "x-subject-token": t.bob!,
        }),
      service,
    );
  });

  it("revocation", async () => {
    await both(
      "DELETE",
      (side, t) =>
        send(side.base, "DELETE", "/auth/tokens", { "x-auth-token": t.service!, "x-subject-token": t.bob! }),
      service,
    );
  });
});
