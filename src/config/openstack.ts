/**
 * The OpenStack client settings `openstack` and openstacksdk users already have: the OS_* variables,
 * or OS_CLOUD naming an entry of clouds.yaml (clouds-yaml.ts), OS_* variables set beside it winning
 * over the file. They become OpenStackSettings: how the gateway signs in to Keystone. Secret values
 * are read from the environment here and nowhere else, and never appear in a message.
 */
import type { EndpointInterface, OpenStackSettings, ServiceCredentials } from "../identity/types.js";
import { findCloud, type CloudEntry } from "./clouds-yaml.js";
import type { Context } from "./read-variable.js";

/** A plain OS_* value: trimmed text, null when unset. */
export const osText = (raw: string): string | null => (raw.trim() === "" ? null : raw.trim());

/** A secret OS_* value: only whether it is set reaches Config; parseOpenStack reads the value. */
export const osSecretSet = (raw: string): boolean => raw !== "";

const INTERFACES: Readonly<Record<string, EndpointInterface>> = {
  public: "public",
  publicurl: "public",
  internal: "internal",
  internalurl: "internal",
  admin: "admin",
  adminurl: "admin",
};

/** Each setting: its OS_* variable, and its key under `auth:` in clouds.yaml. */
const AUTH_KEYS = {
  authUrl: ["OS_AUTH_URL", "auth_url"],
  username: ["OS_USERNAME", "username"],
  userId: ["OS_USER_ID", "user_id"],
  password: ["OS_PASSWORD", "password"],
  apiKey: ["OS_API_KEY", "api_key"],
  projectName: ["OS_PROJECT_NAME", "project_name"],
  projectId: ["OS_PROJECT_ID", "project_id"],
  userDomainName: ["OS_USER_DOMAIN_NAME", "user_domain_name"],
  userDomainId: ["OS_USER_DOMAIN_ID", "user_domain_id"],
  projectDomainName: ["OS_PROJECT_DOMAIN_NAME", "project_domain_name"],
  projectDomainId: ["OS_PROJECT_DOMAIN_ID", "project_domain_id"],
  applicationCredentialId: ["OS_APPLICATION_CREDENTIAL_ID", "application_credential_id"],
  applicationCredentialName: ["OS_APPLICATION_CREDENTIAL_NAME", "application_credential_name"],
  applicationCredentialSecret: ["OS_APPLICATION_CREDENTIAL_SECRET", "application_credential_secret"],
} as const;

type Key = keyof typeof AUTH_KEYS;

/** clouds.yaml spellings read as the key beside them. */
const FILE_ALIASES: Readonly<Record<string, string>> = {
  tenant_name: "project_name",
  tenant_id: "project_id",
};

/** Keystone's default domain, which the openstack client assumes when none is given. */
const DEFAULT_DOMAIN_ID = "default";

/** The entry of OS_CLOUD, read last: the OS_* entries above it are already read. */
export function parseOpenStack(raw: string, context: Context): OpenStackSettings | null {
  const cloudName = osText(raw);
  let entry: CloudEntry | null = null;
  let source = "environment";
  if (cloudName !== null) {
    const found = findCloud(
      cloudName,
      context.value("OS_CLIENT_CONFIG_FILE") as string | null,
      context.places,
    );
    if (found.kind === "problem") {
      context.problem(found.message);
      return null;
    }
    entry = found.entry;
    source = `clouds.yaml ${found.path} (cloud ${cloudName})`;
  }
  const fileAuth: Record<string, string> = {};
  for (const [key, value] of Object.entries(entry?.auth ?? {})) {
    fileAuth[FILE_ALIASES[key] ?? key] ??= value;
  }
  const get = (key: Key): string | null => {
    const [variable, fileKey] = AUTH_KEYS[key];
    return osText(context.env[variable] ?? "") ?? fileAuth[fileKey] ?? null;
  };
  /** Where a setting is given, for messages. */
  const where = (key: Key): string =>
    entry === null ? AUTH_KEYS[key][0] : `${AUTH_KEYS[key][0]} (or auth.${AUTH_KEYS[key][1]} in ${source})`;

  const authUrlText = get("authUrl");
  if (authUrlText === null) {
    if (entry !== null) {
      context.problem(`${where("authUrl")} is required`);
    }
    const stray = (["username", "userId", "password", "apiKey", "applicationCredentialId"] as const).find(
      (key) => get(key) !== null,
    );
    if (stray !== undefined) {
      context.problem(`${AUTH_KEYS[stray][0]} is set but OS_AUTH_URL is not: set both, or OS_CLOUD`);
    }
    return null;
  }
  const auth = authUrl(authUrlText, where("authUrl"), context);
  const interfaceText = (context.value("OS_INTERFACE") as string | null) ?? entry?.interface ?? "public";
  const chosenInterface = INTERFACES[interfaceText.toLowerCase()];
  if (chosenInterface === undefined) {
    context.problem(`OS_INTERFACE must be public, internal or admin (got "${interfaceText}")`);
  }
  if (auth === null || chosenInterface === undefined) {
    return null;
  }
  const credentials =
    auth.identityApi === "v3" ? v3Credentials(get, where, context) : v2Credentials(get, where, context);
  if (credentials === null) {
    return null;
  }
  const settings = {
    authUrl: auth.url,
    identityApi: auth.identityApi,
    regionName: (context.value("OS_REGION_NAME") as string | null) ?? entry?.regionName ?? null,
    interface: chosenInterface,
    source,
  };
  // Not enumerable: a log line or JSON of the configuration never carries the secrets.
  Object.defineProperty(settings, "credentials", { value: credentials, enumerable: false });
  return settings as OpenStackSettings;
}

/**
 * The auth URL with its Identity API version: a path ending in `/v2.0` is Identity v2.0 (Rackspace);
 * one ending in `/v3` is v3; any other path (`/`, devstack's `/identity`) gets `/v3` added.
 */
function authUrl(
  text: string,
  where: string,
  context: Context,
): { url: URL; identityApi: "v3" | "v2.0" } | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    context.problem(
      `${where} must be an absolute http(s) URL such as http://keystone:5000/v3 (got "${text}")`,
    );
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    context.problem(`${where} must use http or https (got "${url.protocol}")`);
    return null;
  }
  const path = url.pathname.replace(/\/+$/, "");
  if (path.endsWith("/v2.0")) {
    url.pathname = path;
    return { url, identityApi: "v2.0" };
  }
  url.pathname = path.endsWith("/v3") ? path : `${path}/v3`;
  return { url, identityApi: "v3" };
}

function v3Credentials(
  get: (key: Key) => string | null,
  where: (key: Key) => string,
  context: Context,
): ServiceCredentials | null {
  const username = get("username");
  const userId = get("userId");
  const userDomainName = get("userDomainName");
  const userDomainId = get("userDomainId") ?? (userDomainName === null ? DEFAULT_DOMAIN_ID : null);
  const id = get("applicationCredentialId");
  const name = get("applicationCredentialName");
  if (id !== null || name !== null) {
    const secret = get("applicationCredentialSecret");
    if (secret === null) {
      context.problem(`${where("applicationCredentialSecret")} is required with an application credential`);
      return null;
    }
    if (id === null && username === null && userId === null) {
      context.problem(
        `an application credential named by ${where("applicationCredentialName")} also needs OS_USERNAME or OS_USER_ID`,
      );
      return null;
    }
    return {
      kind: "applicationCredential",
      id,
      name,
      secret,
      username,
      userId,
      userDomainName,
      userDomainId,
    };
  }
  const password = get("password");
  if (password === null) {
    context.problem(
      `${where("password")} is required (or an application credential: OS_APPLICATION_CREDENTIAL_ID and OS_APPLICATION_CREDENTIAL_SECRET)`,
    );
    return null;
  }
  if (username === null && userId === null) {
    context.problem(`${where("username")} or ${where("userId")} is required with a password`);
    return null;
  }
  const projectName = get("projectName");
  const projectId = get("projectId");
  if (projectName === null && projectId === null) {
    context.problem(
      `${where("projectName")} or ${where("projectId")} is required: the gateway's token must be scoped to a project to read the catalog and validate tokens`,
    );
    return null;
  }
  const projectDomainName = get("projectDomainName");
  return {
    kind: "password",
    username,
    userId,
    password,
    userDomainName,
    userDomainId,
    projectName,
    projectId,
    projectDomainName,
    projectDomainId: get("projectDomainId") ?? (projectDomainName === null ? DEFAULT_DOMAIN_ID : null),
  };
}

function v2Credentials(
  get: (key: Key) => string | null,
  where: (key: Key) => string,
  context: Context,
): ServiceCredentials | null {
  const username = get("username");
  if (username === null) {
    context.problem(`${where("username")} is required with Identity v2.0`);
    return null;
  }
  const apiKey = get("apiKey");
  if (apiKey !== null) {
    return { kind: "apiKey", username, apiKey };
  }
  const password = get("password");
  if (password === null) {
    context.problem(`${where("apiKey")} or ${where("password")} is required with Identity v2.0`);
    return null;
  }
  return {
    kind: "v2Password",
    username,
    password,
    tenantName: get("projectName"),
    tenantId: get("projectId"),
  };
}
