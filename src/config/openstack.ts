/**
 * The OpenStack client settings `openstack` and openstacksdk users already have: the OS_* variables,
 * or OS_CLOUD naming an entry of clouds.yaml (clouds-yaml.ts), an OS_* variable set beside it
 * winning over the file's value of the same setting. They become OpenStackSettings: how the gateway
 * signs in to Keystone. Secret values are read here and nowhere else, are kept only in the
 * settings' `credentials`, and never appear in a message.
 */
import type { EndpointInterface, OpenStackSettings, ServiceCredentials } from "../identity/types.js";
import { findCloud, type CloudEntry } from "./clouds-yaml.js";
import type { Context, Env } from "./read-variable.js";

/** A plain OS_* value: trimmed text, null when unset. */
export const osText = (raw: string): string | null => (raw.trim() === "" ? null : raw.trim());

/** A secret OS_* value: only whether it is set reaches Config; parseOpenStack reads the value. */
export const osSecretSet = (raw: string): boolean => raw.trim() !== "";

/** OS_INTERFACE; null when unset (then clouds.yaml's `interface`, else `public`). */
export function parseInterface(raw: string, context: Context): EndpointInterface | null {
  const text = osText(raw);
  const chosen = text === null ? null : interfaceOf(text);
  if (text !== null && chosen === null) {
    context.problem(`OS_INTERFACE must be public, internal or admin (got "${text}")`);
  }
  return chosen;
}

/** `public`, `internal` or `admin` in any case, or the older `publicURL` and the like. */
function interfaceOf(text: string): EndpointInterface | null {
  const word = text.toLowerCase().replace(/url$/, "");
  return word === "public" || word === "internal" || word === "admin" ? word : null;
}

/** Each setting: its OS_* variables (the first set wins) and its key under `auth:` in clouds.yaml. */
const SETTINGS = {
  authUrl: [["OS_AUTH_URL"], "auth_url"],
  username: [["OS_USERNAME"], "username"],
  userId: [["OS_USER_ID"], "user_id"],
  password: [["OS_PASSWORD"], "password"],
  apiKey: [["OS_API_KEY"], "api_key"],
  projectName: [["OS_PROJECT_NAME", "OS_TENANT_NAME"], "project_name"],
  projectId: [["OS_PROJECT_ID", "OS_TENANT_ID"], "project_id"],
  userDomainName: [["OS_USER_DOMAIN_NAME"], "user_domain_name"],
  userDomainId: [["OS_USER_DOMAIN_ID"], "user_domain_id"],
  projectDomainName: [["OS_PROJECT_DOMAIN_NAME"], "project_domain_name"],
  projectDomainId: [["OS_PROJECT_DOMAIN_ID"], "project_domain_id"],
  applicationCredentialId: [["OS_APPLICATION_CREDENTIAL_ID"], "application_credential_id"],
  applicationCredentialName: [["OS_APPLICATION_CREDENTIAL_NAME"], "application_credential_name"],
  applicationCredentialSecret: [["OS_APPLICATION_CREDENTIAL_SECRET"], "application_credential_secret"],
} as const;

type Key = keyof typeof SETTINGS;

/** Taken as written, never trimmed nor quoted. */
const SECRETS: ReadonlySet<Key> = new Set(["password", "apiKey", "applicationCredentialSecret"]);

/** The variables that mean service credentials are wanted: set without OS_AUTH_URL, a mistake. */
const CREDENTIAL_VARIABLES = [
  "OS_USERNAME",
  "OS_USER_ID",
  "OS_PASSWORD",
  "OS_API_KEY",
  "OS_APPLICATION_CREDENTIAL_ID",
  "OS_APPLICATION_CREDENTIAL_NAME",
  "OS_APPLICATION_CREDENTIAL_SECRET",
];

type Kind = ServiceCredentials["kind"];
type IdentityApi = OpenStackSettings["identityApi"];

/**
 * The `auth_type` values of clouds.yaml understood, and the credentials each means on each Identity
 * API. Without `auth_type` the settings given decide: on v3 an application credential (its id or
 * name, and its secret) or else a password; on v2.0 an API key or else a password.
 */
const AUTH_TYPES: Readonly<Record<string, Partial<Record<IdentityApi, Kind>>>> = {
  password: { v3: "password", "v2.0": "v2Password" },
  v3password: { v3: "password" },
  v3applicationcredential: { v3: "applicationCredential" },
  v2password: { "v2.0": "v2Password" },
  rackspace_apikey: { "v2.0": "apiKey" },
  rackspace_password: { "v2.0": "v2Password" },
};

/**
 * Keystone's default domain. As the openstack client does (osc-lib's default domain), a password
 * sign-in given neither the user's domain name nor its id uses this id, and so does a project given
 * neither. The gateway also uses it for the user of an application credential named with the user's
 * name, which Keystone cannot find without a domain.
 */
const DEFAULT_DOMAIN_ID = "default";

/** Reads each setting: the environment first, then the cloud's `auth:`. */
interface Reader {
  get(key: Key): string | null;
  /** Where a setting is given, for messages: `OS_PASSWORD (or auth.password in <source>)`. */
  where(key: Key): string;
}

function reader(env: Env, cloud: CloudEntry | null, source: string): Reader {
  const taken = (key: Key, value: string | undefined): string | null =>
    value === undefined || value.trim() === "" ? null : SECRETS.has(key) ? value : value.trim();
  return {
    get(key) {
      const [variables, fileKey] = SETTINGS[key];
      for (const variable of variables) {
        const value = taken(key, env[variable]);
        if (value !== null) {
          return value;
        }
      }
      return taken(key, cloud?.auth[fileKey]);
    },
    where(key) {
      const [variables, fileKey] = SETTINGS[key];
      return cloud === null ? variables[0] : `${variables[0]} (or auth.${fileKey} in ${source})`;
    },
  };
}

/** The entry of OS_CLOUD, read last: the OS_* entries above it are already read. */
export function parseOpenStack(raw: string, context: Context): OpenStackSettings | null {
  const cloudName = osText(raw);
  const configFile = context.value("OS_CLIENT_CONFIG_FILE") as string | null;
  let cloud: CloudEntry | null = null;
  let source = "environment";
  if (cloudName !== null) {
    const found = findCloud(cloudName, configFile, context.places);
    if (found.kind === "problem") {
      context.problem(found.message);
      return null;
    }
    cloud = found.entry;
    source = `clouds.yaml ${found.path} (cloud ${cloudName})`;
  } else if (configFile !== null) {
    context.problem("OS_CLIENT_CONFIG_FILE is set but OS_CLOUD is not: set OS_CLOUD to the cloud to read");
    return null;
  }
  const read = reader(context.env, cloud, source);

  const authUrlText = read.get("authUrl");
  if (authUrlText === null) {
    const stray = CREDENTIAL_VARIABLES.find((variable) => osText(context.env[variable] ?? "") !== null);
    if (cloud !== null) {
      context.problem(`${read.where("authUrl")} is required`);
    } else if (stray !== undefined) {
      context.problem(`${stray} is set but OS_AUTH_URL is not: set both, or OS_CLOUD`);
    }
    return null;
  }
  const auth = authUrl(authUrlText, read.where("authUrl"), context);
  const endpointInterface = chosenInterface(context, cloud, source);
  const kind =
    auth === null ? null : credentialKind(auth.identityApi, cloud?.authType ?? null, read, source, context);
  if (auth === null || endpointInterface === null || kind === null) {
    return null;
  }
  const credentials = CREDENTIALS[kind](read, context, cloud?.authType ?? null);
  if (credentials === null) {
    return null;
  }
  const settings = {
    authUrl: auth.url,
    identityApi: auth.identityApi,
    regionName: (context.value("OS_REGION_NAME") as string | null) ?? cloud?.regionName ?? null,
    interface: endpointInterface,
    source,
  };
  // Not enumerable: a log line or JSON of the configuration never carries the secrets.
  Object.defineProperty(settings, "credentials", { value: credentials, enumerable: false });
  return settings as OpenStackSettings;
}

/** OS_INTERFACE, else the cloud's `interface`, else public; null after a problem. */
function chosenInterface(
  context: Context,
  cloud: CloudEntry | null,
  source: string,
): EndpointInterface | null {
  if (context.env.OS_INTERFACE?.trim()) {
    return context.value("OS_INTERFACE") as EndpointInterface | null;
  }
  if (cloud === null || cloud.interface === null) {
    return "public";
  }
  const chosen = interfaceOf(cloud.interface);
  if (chosen === null) {
    context.problem(`interface in ${source} must be public, internal or admin (got "${cloud.interface}")`);
  }
  return chosen;
}

/**
 * The auth URL and its Identity API, the URL normalised to end in `/` after the version so that
 * `new URL("auth/tokens", url)` is Keystone's token endpoint. A path ending in `/v2.0` is Identity
 * v2.0 (Rackspace); one ending in `/v3` is v3; any other path (`/`, devstack's `/identity`) gets
 * `/v3/` added, as that is where Keystone serves v3 (the gateway does not read Keystone's version
 * document to find out).
 */
function authUrl(
  text: string,
  where: string,
  context: Context,
): { url: URL; identityApi: IdentityApi } | null {
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
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    context.problem(`${where} must not carry credentials, a query or a fragment`);
    return null;
  }
  const path = url.pathname.replace(/\/+$/, "");
  const v2 = path.endsWith("/v2.0");
  url.pathname = v2 || path.endsWith("/v3") ? `${path}/` : `${path}/v3/`;
  return { url, identityApi: v2 ? "v2.0" : "v3" };
}

function credentialKind(
  identityApi: IdentityApi,
  authType: string | null,
  read: Reader,
  source: string,
  context: Context,
): Kind | null {
  if (authType === null) {
    if (identityApi === "v2.0") {
      return read.get("apiKey") !== null ? "apiKey" : "v2Password";
    }
    const named = read.get("applicationCredentialId") ?? read.get("applicationCredentialName");
    const secret = read.get("applicationCredentialSecret");
    // A named credential without its secret is still meant, unless a password is given.
    return named !== null && (secret !== null || read.get("password") === null)
      ? "applicationCredential"
      : "password";
  }
  const kinds = AUTH_TYPES[authType];
  if (kinds === undefined) {
    context.problem(
      `auth_type ${authType} in ${source} is not supported: use ${Object.keys(AUTH_TYPES).join(", ")}`,
    );
    return null;
  }
  const kind = kinds[identityApi];
  if (kind === undefined) {
    context.problem(
      identityApi === "v3"
        ? `auth_type ${authType} in ${source} is for Identity v2.0: ${read.where("authUrl")} must end in /v2.0`
        : `auth_type ${authType} in ${source} is for Identity v3, but ${read.where("authUrl")} ends in /v2.0`,
    );
  }
  return kind ?? null;
}

type Build = (read: Reader, context: Context, authType: string | null) => ServiceCredentials | null;

const CREDENTIALS: Readonly<Record<Kind, Build>> = {
  password(read, context) {
    const password = read.get("password");
    if (password === null) {
      context.problem(
        `${read.where("password")} is required (or an application credential: OS_APPLICATION_CREDENTIAL_ID and OS_APPLICATION_CREDENTIAL_SECRET)`,
      );
      return null;
    }
    const username = read.get("username");
    const userId = read.get("userId");
    if (username === null && userId === null) {
      context.problem(`${read.where("username")} or ${read.where("userId")} is required with a password`);
      return null;
    }
    const projectName = read.get("projectName");
    const projectId = read.get("projectId");
    if (projectName === null && projectId === null) {
      context.problem(
        `${read.where("projectName")} or ${read.where("projectId")} is required: the gateway's token must be scoped to a project to read the catalog and validate tokens`,
      );
      return null;
    }
    const userDomainName = read.get("userDomainName");
    const projectDomainName = read.get("projectDomainName");
    return {
      kind: "password",
      username,
      userId,
      password,
      userDomainName,
      userDomainId: read.get("userDomainId") ?? (userDomainName === null ? DEFAULT_DOMAIN_ID : null),
      projectName,
      projectId,
      projectDomainName,
      projectDomainId: read.get("projectDomainId") ?? (projectDomainName === null ? DEFAULT_DOMAIN_ID : null),
    };
  },

  applicationCredential(read, context) {
    const id = read.get("applicationCredentialId");
    const name = read.get("applicationCredentialName");
    const username = read.get("username");
    const userId = read.get("userId");
    if (id === null && name === null) {
      context.problem(
        `${read.where("applicationCredentialId")} or ${read.where("applicationCredentialName")} is required with an application credential`,
      );
      return null;
    }
    const secret = read.get("applicationCredentialSecret");
    if (secret === null) {
      context.problem(
        `${read.where("applicationCredentialSecret")} is required with an application credential`,
      );
      return null;
    }
    if (id === null && username === null && userId === null) {
      context.problem(
        `an application credential named by ${read.where("applicationCredentialName")} also needs ${read.where("username")} or ${read.where("userId")}`,
      );
      return null;
    }
    const userDomainName = read.get("userDomainName");
    return {
      kind: "applicationCredential",
      id,
      name,
      secret,
      username,
      userId,
      userDomainName,
      userDomainId: read.get("userDomainId") ?? (userDomainName === null ? DEFAULT_DOMAIN_ID : null),
    };
  },

  apiKey(read, context) {
    const username = v2Username(read, context);
    const apiKey = read.get("apiKey");
    if (apiKey === null) {
      context.problem(`${read.where("apiKey")} is required with auth_type rackspace_apikey`);
    }
    return username === null || apiKey === null ? null : { kind: "apiKey", username, apiKey };
  },

  v2Password(read, context, authType) {
    const username = v2Username(read, context);
    const password = read.get("password");
    if (password === null) {
      context.problem(
        authType === null
          ? `${read.where("apiKey")} or ${read.where("password")} is required with Identity v2.0`
          : `${read.where("password")} is required with auth_type ${authType}`,
      );
    }
    if (username === null || password === null) {
      return null;
    }
    return {
      kind: "v2Password",
      username,
      password,
      tenantName: read.get("projectName"),
      tenantId: read.get("projectId"),
    };
  },
};

function v2Username(read: Reader, context: Context): string | null {
  const username = read.get("username");
  if (username === null) {
    context.problem(`${read.where("username")} is required with Identity v2.0`);
  }
  return username;
}
