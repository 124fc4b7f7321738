/**
 * Starts a real Keystone (and its short-lived twin) and two real Glance instances behind it, as
 * regions RegionOne and RegionTwo of the catalog, and creates the suites' projects and users. The
 * teardown stops everything it started, also when the setup fails half-way.
 */
import type { TestProject } from "vitest/node";
import { startGlance, type RunningGlance } from "../glance/glance-env.js";
import { KeystoneAdmin, startKeystone, type RunningKeystone } from "./keystone-env.js";

export const USER_PASSWORD = "user-secret-1";
export const SERVICE_PASSWORD = "gateway-service-secret";
const GLANCE_PASSWORD = "glance-service-secret";

declare module "vitest" {
  export interface ProvidedContext {
    keystoneUrl: string;
    keystoneShortLivedUrl: string;
    glanceRegions: { RegionOne: string; RegionTwo: string };
    servicePassword: string;
    /** Project name → id. */
    projects: Record<string, string>;
    /** User name → id. */
    users: Record<string, string>;
  }
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  let keystone: RunningKeystone | null = null;
  const glances: RunningGlance[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(glances.map((glance) => glance.stop()));
    await keystone?.stop();
  };
  try {
    keystone = await startKeystone();
    const admin = await KeystoneAdmin.signIn(keystone.url);
    const service = await admin.role("service");
    const [member, adminRole] = [await admin.role("member"), await admin.role("admin")];
    const projects: Record<string, string> = {};
    for (const name of ["service", "alpha", "beta", "gamma"]) {
      projects[name] = (await admin.project(name)).id;
    }
    const p = (name: string) => ({ id: projects[name]!, name });
    const users: Record<string, string> = {};
    const user = async (name: string, password = USER_PASSWORD) => {
      const made = await admin.user(name, password);
      users[name] = made.id;
      return made;
    };
    await admin.grant(p("service"), await user("glance", GLANCE_PASSWORD), adminRole);
    // Validating another user's token (GET /v3/auth/tokens with X-Subject-Token) is allowed by
    // Keystone 22's default policy to the `service` role; a `member` gets 403.
    await admin.grant(p("service"), await user("gateway", SERVICE_PASSWORD), service);
    await admin.grant(p("alpha"), await user("alice"), member);
    await admin.grant(p("beta"), await user("bob"), member);
    await admin.grant(p("gamma"), await user("carol"), member);
    await user("dave");
    await admin.grant(p("alpha"), await user("erin"), adminRole);
    const frank = await user("frank");
    await admin.grant(p("alpha"), frank, member);
    await admin.grant(p("beta"), frank, member);

    const behind = { url: keystone.url, user: "glance", password: GLANCE_PASSWORD, project: "service" };
    const one = await startGlance({
      policy: "legacy",
      stateDir: ".state/glance-keystone-one",
      keystone: behind,
    });
    glances.push(one);
    const two = await startGlance({
      policy: "legacy",
      stateDir: ".state/glance-keystone-two",
      keystone: behind,
    });
    glances.push(two);
    await admin.imageEndpoints({ RegionOne: one.url, RegionTwo: two.url });

    project.provide("keystoneUrl", keystone.url);
    project.provide("keystoneShortLivedUrl", keystone.shortLivedUrl);
    project.provide("glanceRegions", { RegionOne: one.url, RegionTwo: two.url });
    project.provide("servicePassword", SERVICE_PASSWORD);
    project.provide("projects", projects);
    project.provide("users", users);
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}
