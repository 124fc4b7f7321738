/** Reading a JSON request body as Keystone does, and picking members out of it. */
import { isJsonContentType, type KeystoneCall } from "./context.js";
import { Refusal } from "./refusal.js";
import { MESSAGES, v3Error } from "./replies.js";

export type JsonObject = Record<string, unknown>;

export const asObject = (value: unknown): JsonObject | null =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : null;

export const asText = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** The parsed body (undefined when empty); 400 for a body that is not JSON or not labelled so. */
export function readJson(call: KeystoneCall, authUrl: string): unknown {
  if (call.body === "") {
    return undefined;
  }
  if (!isJsonContentType(call.headers["content-type"])) {
    throw new Refusal(v3Error(400, MESSAGES.expecting("application/json", "Content-Type header"), authUrl));
  }
  try {
    return JSON.parse(call.body) as unknown;
  } catch {
    throw new Refusal(v3Error(400, MESSAGES.expecting("valid JSON", "request body"), authUrl));
  }
}
