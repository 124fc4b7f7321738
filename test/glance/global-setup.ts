/**
 * Starts the real Glance instances the suites share, once per run: the legacy policy, the new
 * policy defaults, and a legacy one with a small member quota. The first start installs Debian's
 * python3-glance (about a minute); the teardown stops all three.
 */
import type { TestProject } from "vitest/node";
import { startGlance, type RunningGlance } from "./glance-env.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Legacy policy (Glance Zed's defaults), image_member_quota 128. */
    glanceLegacy: string;
    /** enforce_new_defaults and enforce_secure_rbac on, image_member_quota 128. */
    glanceNew: string;
    /** Legacy policy, image_member_quota `smallMemberQuota`. */
    glanceSmallQuota: string;
    defaultMemberQuota: number;
    smallMemberQuota: number;
  }
}

const DEFAULT_MEMBER_QUOTA = 128;
const SMALL_MEMBER_QUOTA = 3;

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started: RunningGlance[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(started.map((glance) => glance.stop()));
  };
  try {
    // The first start installs the package when it is missing; the others then start side by side.
    const legacy = await startGlance({ policy: "legacy", memberQuota: DEFAULT_MEMBER_QUOTA });
    started.push(legacy);
    const others = await Promise.allSettled([
      startGlance({ policy: "new", memberQuota: DEFAULT_MEMBER_QUOTA }),
      startGlance({ policy: "legacy", memberQuota: SMALL_MEMBER_QUOTA }),
    ]);
    for (const result of others) {
      if (result.status === "fulfilled") {
        started.push(result.value);
      }
    }
    const [fresh, small] = others;
    if (fresh?.status !== "fulfilled" || small?.status !== "fulfilled") {
      const failure = others.find((result) => result.status === "rejected");
      throw failure?.reason instanceof Error ? failure.reason : new Error("a Glance instance did not start");
    }
    project.provide("glanceLegacy", legacy.url);
    project.provide("glanceNew", fresh.value.url);
    project.provide("glanceSmallQuota", small.value.url);
    project.provide("defaultMemberQuota", DEFAULT_MEMBER_QUOTA);
    project.provide("smallMemberQuota", SMALL_MEMBER_QUOTA);
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}
