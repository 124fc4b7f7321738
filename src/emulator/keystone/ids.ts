/** The random strings Keystone hands out: ids, tokens, audit ids, secrets and request ids. */
import { randomBytes, randomUUID } from "node:crypto";

/** 32 lower-case hex digits, as Keystone's ids. */
export const newId = (): string => randomBytes(16).toString("hex");

/** Opaque, URL-safe and about as long as a Fernet token (which also starts with "gAAAAAB"). */
export const newToken = (): string => `gAAAAAB${randomBytes(132).toString("base64url")}`;

/** 22 URL-safe characters, as Keystone's audit ids. */
export const newAuditId = (): string => randomBytes(16).toString("base64url");

/** 86 URL-safe characters, as the secrets Keystone generates for application credentials. */
export const newSecret = (): string => randomBytes(64).toString("base64url");

/** The `x-openstack-request-id` of an answer. */
export const newRequestId = (): string => `req-${randomUUID()}`;
