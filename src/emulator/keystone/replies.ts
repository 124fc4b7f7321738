/**
 * Keystone's answers: the message texts (all in one place, to be aligned with the real Keystone 22),
 * its error bodies (compact JSON and a newline), its success bodies (Python's json.dumps), Flask's
 * 404 and 405, and Identity v2.0's error bodies in the shape Rackspace answers.
 */
import { pyJsonDumps } from "../python.js";

export interface KeystoneReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const VALIDATION_SUFFIX =
  " The server could not comply with the request since it is either malformed or otherwise incorrect." +
  " The client is assumed to be in error.";

/** The texts Keystone 22 answers with, as observed on a real one. */
export const MESSAGES = {
  unauthorized: "The request you have made requires authentication.",
  unsupportedMethod: "Attempted to authenticate with an unsupported method.",
  unknownToken: "Could not recognize Fernet token",
  /** Expired and revoked tokens alike. */
  invalidToken: "Failed to validate token",
  noSubjectToken: "No token in the request",
  forbidden: "You are not authorized to perform the requested action.",
  forbiddenAction: (action: string): string =>
    `You are not authorized to perform the requested action: ${action}.`,
  applicationCredentialScope:
    "Error authenticating with application credential: Application credentials cannot request a scope.",
  applicationCredentialNotFound: (id: string): string => `Could not find Application Credential: ${id}.`,
  applicationCredentialByApplicationCredential:
    "You are not authorized to perform the requested action: Using method 'application_credential' is not" +
    " allowed for managing additional application credentials..",
  applicationCredentialDuplicate: (name: string): string =>
    `Conflict occurred attempting to store application_credential - Duplicate entry found with name ${name}.`,
  applicationCredentialUnassignedRole:
    "Invalid application credential: Cannot create an application credential with unassigned role",
  roleNotDefined: (name: string): string => `Role ${name} is not defined`,
  roleNotFound: (id: string): string => `Could not find role: ${id}.`,
  /** Keystone's ValidationError: "Expecting to find {attribute} in {target}." and a fixed suffix. */
  expecting: (attribute: string, target: string): string =>
    `Expecting to find ${attribute} in ${target}.${VALIDATION_SUFFIX}`,
  idOrName: (field: string): string => `Invalid input for field ${field}: id or name must be present.`,
  methodNotAllowed: "The method is not allowed for the requested URL.",
  v2BadApiKey: "Username or api key is invalid.",
  v2BadPassword: "Unable to authenticate user with credentials provided.",
  v2NoValidToken: "No valid token provided. Please use the 'X-Auth-Token' header with a valid token.",
  v2TokenNotFound: "Token not found.",
  v2Forbidden: "Not Authorized",
  v2BadRequest: "Invalid json request body",
  v2ResourceNotFound: "Resource not found",
} as const;

const TITLES: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
};

/**
 * A success body as Keystone's json.dumps writes it: `", "` and `": "`. The token and version
 * documents end there; Flask-RESTful resources (the catalog, application credentials) add a newline.
 */
export function pythonJson(
  status: number,
  value: unknown,
  options: { headers?: Record<string, string>; newline?: boolean } = {},
): KeystoneReply {
  return {
    status,
    headers: { "content-type": "application/json", ...options.headers },
    body: `${pyJsonDumps(value, { ensureAscii: true })}${options.newline === true ? "\n" : ""}`,
  };
}

/**
 * v3's `{"error": {"code", "message", "title"}}`, compact and with a final newline; a 401 names the
 * auth URL in WWW-Authenticate. `extra` members sit between code and message (Keystone sorts them).
 */
export function v3Error(
  status: number,
  message: string,
  authUrl: string,
  extra: Record<string, unknown> = {},
): KeystoneReply {
  const error = { code: status, ...extra, message, title: TITLES[status] ?? "Error" };
  return {
    status,
    headers: {
      "content-type": "application/json",
      ...(status === 401 ? { "www-authenticate": `Keystone uri="${authUrl}"` } : {}),
    },
    body: `${JSON.stringify({ error })}\n`,
  };
}

/** Flask's 404 for a URL no route matches. */
export function notFoundPage(): KeystoneReply {
  return {
    status: 404,
    headers: { "content-type": "text/html; charset=utf-8" },
    body:
      "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n" +
      "<p>The requested URL was not found on the server. If you entered the URL manually please check" +
      " your spelling and try again.</p>\n",
  };
}

/**
 * A method a known URL does not take: Flask-RESTful's JSON 405 on API resources, werkzeug's HTML one
 * on the version documents; OPTIONS is an empty 200. Allow lists the URL's methods either way.
 */
export function methodNotAllowed(
  method: string,
  allow: string,
  style: "json" | "html" = "json",
): KeystoneReply {
  if (method === "OPTIONS") {
    return { status: 200, headers: { allow, "content-type": "text/html; charset=utf-8" }, body: "" };
  }
  if (style === "html") {
    return {
      status: 405,
      headers: { allow, "content-type": "text/html; charset=utf-8" },
      body:
        "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n" +
        `<p>${MESSAGES.methodNotAllowed}</p>\n`,
    };
  }
  return {
    status: 405,
    headers: { allow, "content-type": "application/json" },
    body: `${pyJsonDumps({ message: MESSAGES.methodNotAllowed }, { ensureAscii: true })}\n`,
  };
}

export const noContent = (): KeystoneReply => ({ status: 204, headers: {}, body: "" });

/** v2.0 (Rackspace): `{"<kind>": {"code", "message"}}`, compact. */
export function v2Error(status: number, kind: string, message: string): KeystoneReply {
  return {
    status,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ [kind]: { code: status, message } }),
  };
}

/** Keystone's timestamps: whole seconds, then six zero digits of microseconds. */
export const keystoneTime = (date: Date): string => `${date.toISOString().slice(0, 19)}.000000Z`;

/** Rackspace's: milliseconds. */
export const rackspaceTime = (date: Date): string => `${date.toISOString().slice(0, 19)}.000Z`;
