/**
 * A real Glance for the integration suites: starts and stops it through `glance.sh`, and speaks
 * just enough of the Images API v2 to set up and clean up images.
 *
 * Glance runs without Keystone: the caller's identity is whatever the `X-*` headers of
 * {@link glanceHeaders} say. One instance per state folder; by default one folder per policy
 * mode (and member quota) under `<repo>/.state/`, so a legacy and a new-policy Glance run side by
 * side. Starting an instance that already runs reuses it, and `stop()` stops it for every user
 * of that folder: start each instance once (a vitest globalSetup, or one suite's
 * beforeAll/afterAll), and give that hook a timeout that covers the first install (~1 minute).
 */
import { execFile } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export type GlancePolicy = "legacy" | "new";
export type ImageVisibility = "public" | "private" | "shared" | "community";

export interface StartGlanceOptions {
  /** legacy: Glance Zed's defaults; new: enforce_new_defaults and enforce_secure_rbac on. */
  policy: GlancePolicy;
  /** image_member_quota; Glance's default is 128. */
  memberQuota?: number;
  /** Defaults to `<repo>/.state/glance-<policy>` (plus `-quota<n>` for a non-default quota). */
  stateDir?: string;
  /** Behind Keystone: authtoken checks tokens against `url` (…/v3) as this service user. */
  keystone?: { url: string; user: string; password: string; project: string };
}

export interface RunningGlance {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  stop(): Promise<void>;
}

const GLANCE_DIR = dirname(fileURLToPath(import.meta.url));
const GLANCE_SCRIPT = join(GLANCE_DIR, "glance.sh");
const REPO_DIR = resolve(GLANCE_DIR, "..", "..");
const DEFAULT_MEMBER_QUOTA = 128;

/** Covers a first install of python3-glance (about a minute) plus the start itself. */
const UP_TIMEOUT_MS = 5 * 60_000;
const DOWN_TIMEOUT_MS = 30_000;
const HTTP_TIMEOUT_MS = 10_000;

export function defaultStateDir(policy: GlancePolicy, memberQuota = DEFAULT_MEMBER_QUOTA): string {
  const quota = memberQuota === DEFAULT_MEMBER_QUOTA ? "" : `-quota${memberQuota}`;
  return join(REPO_DIR, ".state", `glance-${policy}${quota}`);
}

export async function startGlance(options: StartGlanceOptions): Promise<RunningGlance> {
  const memberQuota = options.memberQuota ?? DEFAULT_MEMBER_QUOTA;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GLANCE_STATE_DIR: options.stateDir ?? defaultStateDir(options.policy, memberQuota),
    GLANCE_POLICY: options.policy,
    GLANCE_IMAGE_MEMBER_QUOTA: String(memberQuota),
    GLANCE_AUTH: options.keystone === undefined ? "headers" : "keystone",
    ...(options.keystone === undefined
      ? {}
      : {
          GLANCE_KEYSTONE_URL: options.keystone.url,
          GLANCE_SERVICE_USER: options.keystone.user,
          GLANCE_SERVICE_PASSWORD: options.keystone.password,
          GLANCE_SERVICE_PROJECT: options.keystone.project,
        }),
  };
  // A port inherited from the environment would make instances side by side collide.
  delete env.GLANCE_PORT;

  const stdout = await runScript("up", env, UP_TIMEOUT_MS);
  const lastLine = stdout.trimEnd().split("\n").at(-1) ?? "";
  const url = /^GLANCE_URL=(http:\/\/\S+)$/.exec(lastLine)?.[1];
  if (url === undefined) {
    throw new Error(`glance.sh up printed no GLANCE_URL line:\n${stdout}`);
  }
  return {
    url,
    async stop() {
      await runScript("down", env, DOWN_TIMEOUT_MS);
    },
  };
}

/**
 * The identity headers Glance's context middleware turns into a request context. Both role sets
 * include `reader` and `member`, which the new policy defaults need for reads and for writes.
 */
export function glanceHeaders(tenant: string, options: { admin?: boolean } = {}): Record<string, string> {
  return {
    "X-Identity-Status": "Confirmed",
    "X-Project-Id": tenant,
    "X-User-Id": `${tenant}-user`,
    "X-Roles": options.admin === true ? "admin,member,reader" : "member,reader",
  };
}

export interface CreateImageOptions {
  name?: string;
  /** Send the admin role too. Defaults to true for `public`, which Glance allows only to admins. */
  admin?: boolean;
}

/** Creates an image (metadata only, no data) owned by `tenant`; returns its id. */
export async function createImage(
  url: string,
  tenant: string,
  visibility: ImageVisibility,
  options: CreateImageOptions = {},
): Promise<string> {
  const admin = options.admin ?? visibility === "public";
  const response = await fetch(`${url}/v2/images`, {
    method: "POST",
    headers: {
      ...glanceHeaders(tenant, { admin }),
      Accept: "application/json",
      "Content-Type": "application/json",
    },
    body: JSON.stringify({
      name: options.name ?? `${visibility}-image-of-${tenant}`,
      visibility,
      disk_format: "raw",
      container_format: "bare",
    }),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const text = await response.text();
  if (response.status !== 201) {
    throw new Error(`POST /v2/images as ${tenant} answered ${response.status}: ${text}`);
  }
  const image = JSON.parse(text) as { id?: unknown };
  if (typeof image.id !== "string") {
    throw new Error(`POST /v2/images answered 201 without an image id: ${text}`);
  }
  return image.id;
}

/**
 * Deletes an image as `tenant` (its owner, or any tenant with `admin`). Returns false when Glance
 * answers 404, so clean-up code can run twice.
 */
export async function deleteImage(
  url: string,
  tenant: string,
  imageId: string,
  options: { admin?: boolean } = {},
): Promise<boolean> {
  const response = await fetch(`${url}/v2/images/${encodeURIComponent(imageId)}`, {
    method: "DELETE",
    headers: { ...glanceHeaders(tenant, options), Accept: "application/json" },
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const text = await response.text();
  if (response.status === 204) {
    return true;
  }
  if (response.status === 404) {
    return false;
  }
  throw new Error(`DELETE /v2/images/${imageId} as ${tenant} answered ${response.status}: ${text}`);
}

/** Runs `glance.sh <command>`; resolves to its stdout, rejects with the tail of its stderr. */
function runScript(command: "up" | "down", env: NodeJS.ProcessEnv, timeout: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      "bash",
      [GLANCE_SCRIPT, command],
      { env, timeout, maxBuffer: 16 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error) {
          const tail = stderr.trimEnd().split("\n").slice(-40).join("\n");
          reject(new Error(`glance.sh ${command} failed (${error.message.split("\n")[0]}):\n${tail}`));
          return;
        }
        resolvePromise(stdout);
      },
    );
  });
}
