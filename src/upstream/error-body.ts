/**
 * Extracts a human-readable message from a Glance error body. Glance (through webob) answers JSON,
 * HTML or plain text depending on Accept, keystonemiddleware nests its JSON under "error", and
 * proxies in front of it send whatever they like; all of them are handled here.
 */
const MAX_MESSAGE_LENGTH = 500;

export function errorMessageFromBody(contentType: string | undefined, body: string): string | null {
  const type = (contentType ?? "").toLowerCase();
  const trimmed = body.trim();
  if (trimmed === "") {
    return null;
  }
  if (type.includes("json") || trimmed.startsWith("{")) {
    const fromJson = messageFromJson(trimmed);
    if (fromJson !== null) {
      return fromJson;
    }
  }
  if (type.includes("html") || trimmed.startsWith("<")) {
    return clean(stripHtml(trimmed));
  }
  return clean(stripStatusLine(trimmed));
}

function messageFromJson(text: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(parsed)) {
    return null;
  }
  // webob: {"message": "...<br /><br />\n\n\n", "code": "404 Not Found", "title": "Not Found"}
  if (typeof parsed.message === "string") {
    return clean(parsed.message);
  }
  // keystonemiddleware and some proxies: {"error": {"message": "..."}} (or any single nested object).
  for (const value of Object.values(parsed)) {
    if (isRecord(value) && typeof value.message === "string") {
      return clean(value.message);
    }
  }
  return null;
}

function stripHtml(html: string): string {
  const body = /<body[^>]*>([\s\S]*?)<\/body>/i.exec(html)?.[1] ?? html;
  return body
    .replace(/<h1>[\s\S]*?<\/h1>/i, " ")
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/<[^>]*>/g, " ");
}

/** webob's text/plain form starts with the status line ("404 Not Found") and a blank line. */
function stripStatusLine(text: string): string {
  return text.replace(/^\d{3} [^\n]*\n\s*\n/, "");
}

function clean(message: string): string | null {
  const text = message
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
  if (text === "") {
    return null;
  }
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
