/** Keystone's answers and error bodies, v3 and v2.0, exactly as Keystone 22 words them. */
export interface KeystoneReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export const MESSAGES = {
  unauthorized: "The request you have made requires authentication.",
  unknownToken: "Could not recognize Fernet token",
  revokedToken: "Failed to validate token",
  expiredToken: "Failed to validate token",
  validateForbidden: "You are not authorized to perform the requested action: identity:validate_token.",
  revokeForbidden: "You are not authorized to perform the requested action: identity:revoke_token.",
  notFound: "The resource could not be found.",
  v2Unauthorized: "Unable to authenticate user with credentials provided.",
  v2TokenNotFound: "Token not found.",
} as const;

const TITLES: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
};

/** Keystone ends its JSON with a newline. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): KeystoneReply {
  return {
    status,
    headers: { "content-type": "application/json", ...headers },
    body: `${JSON.stringify(body)}\n`,
  };
}

/** v3: `{"error": {"code", "message", "title"}}`; a 401 names the auth URL in WWW-Authenticate. */
export function v3Error(status: number, message: string, authUrl: string): KeystoneReply {
  return json(
    status,
    { error: { code: status, message, title: TITLES[status] ?? "Error" } },
    status === 401 ? { "www-authenticate": `Keystone uri="${authUrl}"` } : {},
  );
}

export const v2Unauthorized = (): KeystoneReply =>
  json(401, { unauthorized: { code: 401, message: MESSAGES.v2Unauthorized } });

export const v2NotFound = (): KeystoneReply =>
  json(404, { itemNotFound: { code: 404, message: MESSAGES.v2TokenNotFound } });

/** Keystone's timestamps: seconds, then six zero digits of microseconds. */
export const keystoneTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, ".000000Z");
