/**
 * Starts a real Keystone (and its short-lived twin) and two real Glance instances behind it, as
 * regions RegionOne and RegionTwo of the catalog, and creates the suites' projects and users. The
 * first run installs python3-keystone and python3-glance when they are missing. The teardown stops
 * everything it started, by pid, also when the setup fails half-way.
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { startGlance, type RunningGlance } from "../glance/glance-env.js";
import { KeystoneClient, startKeystone, type Named, type RunningKeystone } from "./keystone-env.js";

export const USER_PASSWORD = "user-secret-1";
export const SERVICE_PASSWORD = "gateway-service-secret";
const GLANCE_PASSWORD = "glance-service-secret";

export interface KeystoneUser {
  id: string;
  name: string;
  password: string;
  /** The projects the user holds a role on: name → id. */
  projects: Record<string, string>;
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The Keystone, `http://127.0.0.1:<port>/v3`. */
    keystoneUrl: string;
    /** The same Keystone (database and fernet keys) issuing tokens that expire after 3 s. */
    keystoneShortLivedUrl: string;
    /** The `image` endpoints of the catalog (public and internal are the same URL). */
    glanceRegions: { RegionOne: string; RegionTwo: string };
    /** The password of user `gateway`, which may validate other users' tokens (project `service`). */
    servicePassword: string;
    /** User name → user; all in the default domain. */
    users: Record<string, KeystoneUser>;
    /** Project name → id. */
    projects: Record<string, string>;
  }
}

const REPO_DIR = resolve(fileURLToPath(import.meta.url), "..", "..", "..");

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  let keystone: RunningKeystone | undefined;
  const glances: RunningGlance[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(glances.map((glance) => glance.stop()));
    await keystone?.stop();
  };
  try {
    const started = Date.now();
    keystone = await startKeystone();
    const admin = await KeystoneClient.admin(keystone.url, keystone.adminPassword);

    const roles = {
      admin: await admin.ensureRole("admin"),
      member: await admin.ensureRole("member"),
      service: await admin.ensureRole("service"),
    };
    const projects: Record<string, Named> = {};
    for (const name of ["service", "alpha", "beta", "gamma"]) {
      projects[name] = await admin.createProject(name);
    }
    const users: Record<string, KeystoneUser> = {};
    const user = async (name: string, password: string, grants: [string, Named][]): Promise<Named> => {
      const made = await admin.createUser(name, password);
      users[name] = { id: made.id, name, password, projects: {} };
      for (const [projectName, role] of grants) {
        const target = projects[projectName]!;
        await admin.assignRole(target, made, role);
        users[name].projects[projectName] = target.id;
      }
      return made;
    };

    await user("glance", GLANCE_PASSWORD, [["service", roles.admin]]);
    await user("alice", USER_PASSWORD, [["alpha", roles.member]]);
    await user("bob", USER_PASSWORD, [["beta", roles.member]]);
    await user("carol", USER_PASSWORD, [["gamma", roles.member]]);
    await user("dave", USER_PASSWORD, []);
    await user("erin", USER_PASSWORD, [["alpha", roles.admin]]);
    await user("frank", USER_PASSWORD, [
      ["alpha", roles.member],
      ["beta", roles.member],
    ]);
    // Validating another user's token (GET /v3/auth/tokens with X-Subject-Token) is
    // `identity:validate_token`. Keystone 22's default policy allows it to the `service` role:
    // checked here on every run (200 for alice's token); a `member` token gets 403
    // "You are not authorized to perform the requested action: identity:validate_token.".
    // The same policy does not let `service` revoke another user's token (403 for
    // identity:revoke_token); the gateway never needs to. `admin` would be the fallback.
    const gateway = await user("gateway", SERVICE_PASSWORD, [["service", roles.service]]);
    if (!(await canValidate(keystone.url))) {
      await admin.assignRole(projects.service!, gateway, roles.admin);
      if (!(await canValidate(keystone.url))) {
        throw new Error("user gateway cannot validate tokens with the service nor the admin role");
      }
    }

    const behind = { url: keystone.url, user: "glance", password: GLANCE_PASSWORD, project: "service" };
    const starts = await Promise.allSettled(
      ["one", "two"].map((suffix) =>
        startGlance({
          policy: "legacy",
          stateDir: join(REPO_DIR, ".state", `glance-keystone-${suffix}`),
          keystone: behind,
        }),
      ),
    );
    for (const result of starts) {
      if (result.status === "fulfilled") {
        glances.push(result.value);
      }
    }
    const [one, two] = starts;
    if (one?.status !== "fulfilled" || two?.status !== "fulfilled") {
      const failure = starts.find((result) => result.status === "rejected");
      throw failure?.reason instanceof Error ? failure.reason : new Error("a Glance instance did not start");
    }
    const regions = { RegionOne: one.value.url, RegionTwo: two.value.url };
    const image = await admin.createService("image", "glance");
    for (const [region, url] of Object.entries(regions)) {
      await admin.createRegion(region);
      await admin.createEndpoint({ service: image, region, interface: "public", url });
      await admin.createEndpoint({ service: image, region, interface: "internal", url });
    }

    project.provide("keystoneUrl", keystone.url);
    project.provide("keystoneShortLivedUrl", keystone.shortLivedUrl);
    project.provide("glanceRegions", regions);
    project.provide("servicePassword", SERVICE_PASSWORD);
    project.provide("users", users);
    project.provide(
      "projects",
      Object.fromEntries(Object.entries(projects).map(([name, { id }]) => [name, id])),
    );
    console.info(
      `keystone ${keystone.url}, glance RegionOne ${regions.RegionOne}, RegionTwo ${regions.RegionTwo} ready in ${Math.round((Date.now() - started) / 1000)} s`,
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}

/** Whether `gateway`'s token may validate alice's token (GET /v3/auth/tokens answers 200). */
async function canValidate(url: string): Promise<boolean> {
  const gateway = await KeystoneClient.signIn(url, {
    user: "gateway",
    password: SERVICE_PASSWORD,
    project: "service",
  });
  const alice = await gateway.issueToken({ user: "alice", password: USER_PASSWORD, project: "alpha" });
  const reply = await gateway.validateToken(alice.token, { nocatalog: true });
  if (reply.status !== 200 && reply.status !== 403) {
    throw new Error(`validating a token as gateway answered ${reply.status}: ${reply.text}`);
  }
  return reply.status === 200;
}
