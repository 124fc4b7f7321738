/**
 * Starts the real Glance instances the suites share, once: the legacy policy, the new policy
 * defaults, and a legacy one with a member quota of 3. The first run installs python3-glance.
 */
import type { TestProject } from "vitest/node";
import { startGlance, type RunningGlance } from "./glance-env.js";

declare module "vitest" {
  export interface ProvidedContext {
    glanceLegacy: string;
    glanceNew: string;
    glanceSmallQuota: string;
  }
}

export const SMALL_QUOTA = 3;

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The first start installs the package; the others then start side by side.
  const legacy = await startGlance({ policy: "legacy" });
  const others: RunningGlance[] = await Promise.all([
    startGlance({ policy: "new" }),
    startGlance({ policy: "legacy", memberQuota: SMALL_QUOTA }),
  ]);
  const [fresh, small] = others as [RunningGlance, RunningGlance];
  project.provide("glanceLegacy", legacy.url);
  project.provide("glanceNew", fresh.url);
  project.provide("glanceSmallQuota", small.url);
  return async () => {
    await Promise.all([legacy.stop(), fresh.stop(), small.stop()]);
  };
}
