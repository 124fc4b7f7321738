/**
 * Glance raises webob.exc.HTTP* exceptions and never sets their body: webob builds it from the
 * status, the explanation and the detail, in HTML, JSON or plain text according to the Accept
 * header. This module reproduces those bodies byte for byte (webob 1.8.6 as Debian ships it, whose
 * default explanations are single lines).
 */
import { acceptableOffers } from "./accept.js";
import type { EmulatorRequest, EmulatorResponse } from "./http-types.js";
import { pyJsonDumps } from "./python.js";

interface StatusInfo {
  readonly title: string;
  /** The class's default explanation. */
  readonly explanation: string;
}

const STATUSES: Readonly<Record<number, StatusInfo>> = {
  400: {
    title: "Bad Request",
    explanation:
      "The server could not comply with the request since it is either malformed or otherwise incorrect.",
  },
  401: {
    title: "Unauthorized",
    explanation:
      "This server could not verify that you are authorized to access the document you requested. " +
      "Either you supplied the wrong credentials (e.g., bad password), or your browser does not " +
      "understand how to supply the credentials required.",
  },
  403: { title: "Forbidden", explanation: "Access was denied to this resource." },
  404: { title: "Not Found", explanation: "The resource could not be found." },
  405: { title: "Method Not Allowed", explanation: "" },
  409: { title: "Conflict", explanation: "There was a conflict when trying to complete your request." },
  413: {
    title: "Request Entity Too Large",
    explanation: "The body of your request was too large for this server.",
  },
  415: { title: "Unsupported Media Type", explanation: "" },
  500: {
    title: "Internal Server Error",
    explanation: "The server has either erred or is incapable of performing the requested operation.",
  },
};

/** Status line reason phrases webob uses, for success answers too. */
export function reasonPhrase(status: number): string | undefined {
  const known: Readonly<Record<number, string>> = {
    200: "OK",
    201: "Created",
    204: "No Content",
    300: "Multiple Choices",
    302: "Found",
  };
  return known[status] ?? STATUSES[status]?.title;
}

/** webob classes whose body template is not the default one. */
type BodyTemplate = "default" | "method-not-allowed" | "unsupported-media-type";

export interface WebobErrorOptions {
  /** `explanation=` keyword: replaces the class's default text. */
  explanation?: string;
  /** The positional argument: appended below the explanation. */
  detail?: string;
  headers?: Record<string, string>;
}

export class WebobError extends Error {
  readonly explanation: string;
  readonly detail: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly status: number,
    options: WebobErrorOptions = {},
    readonly template: BodyTemplate = "default",
  ) {
    const info = STATUSES[status];
    if (info === undefined) {
      throw new RangeError(`no webob class for HTTP ${status}`);
    }
    const explanation = options.explanation ?? info.explanation;
    super(options.detail ?? explanation);
    this.name = "WebobError";
    this.explanation = explanation;
    this.detail = options.detail ?? "";
    this.headers = options.headers ?? {};
  }

  get title(): string {
    return STATUSES[this.status]?.title ?? "";
  }
}

export const badRequest = (explanation: string): WebobError => new WebobError(400, { explanation });
export const forbidden = (explanation: string): WebobError => new WebobError(403, { explanation });
export const notFound = (explanation: string): WebobError => new WebobError(404, { explanation });
export const conflict = (explanation: string): WebobError => new WebobError(409, { explanation });
export const tooLarge = (explanation: string): WebobError => new WebobError(413, { explanation });
/** What Glance's catch-all in wsgi.Resource answers for any unexpected exception. */
export const internalError = (): WebobError => new WebobError(500);
/** webob's HTTPNotFound() with no argument, as the router answers unknown paths. */
export const resourceNotFound = (): WebobError => new WebobError(404);
export const methodNotAllowed = (allow?: string): WebobError =>
  new WebobError(405, allow === undefined ? {} : { headers: { allow } }, "method-not-allowed");
export const unsupportedMediaType = (headers: Record<string, string>): WebobError =>
  new WebobError(415, { headers }, "unsupported-media-type");

/** Python's html.escape(quote=True) followed by ASCII with xmlcharrefreplace, as webob's html_escape. */
export function htmlEscape(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "&") {
      out += "&amp;";
    } else if (ch === "<") {
      out += "&lt;";
    } else if (ch === ">") {
      out += "&gt;";
    } else if (ch === '"') {
      out += "&quot;";
    } else if (ch === "'") {
      out += "&#x27;";
    } else if (code > 0x7f) {
      out += `&#${code};`;
    } else {
      out += ch;
    }
  }
  return out;
}

/** webob's strip_tags, used for the plain-text body. */
function stripTags(text: string): string {
  return text
    .replace(/\n/g, " ")
    .replace(/\r/g, "")
    .replace(/<br.*?>/gis, "\n")
    .replace(/<!--|-->/g, "")
    .replace(/<.*?>/gs, "");
}

function makeBody(error: WebobError, request: EmulatorRequest, escape: (text: string) => string): string {
  const detail = escape(error.detail);
  switch (error.template) {
    case "method-not-allowed":
      return `The method ${escape(request.method)} is not allowed for this resource. <br /><br />\n${detail}`;
    case "unsupported-media-type":
      return `The request media type ${escape(request.headers["content-type"] ?? "")} is not supported by this server.\n<br /><br />\n${detail}`;
    case "default":
      return `${escape(error.explanation)}<br /><br />\n${detail}\n\n`;
  }
}

const identity = (text: string): string => text;

export function renderWebobError(error: WebobError, request: EmulatorRequest): EmulatorResponse {
  const status = `${error.status} ${error.title}`;
  const base = { status: error.status, reason: error.title };
  if (request.method === "HEAD") {
    // webob answers HEAD with the exception's own empty body and Response's default content type.
    return { ...base, headers: { ...error.headers, "content-type": "text/html; charset=UTF-8" }, body: "" };
  }
  const [match] = acceptableOffers(request.headers.accept ?? "", ["text/html", "application/json"]);
  if (match === "text/html") {
    const body = makeBody(error, request, htmlEscape);
    return {
      ...base,
      headers: { ...error.headers, "content-type": "text/html; charset=UTF-8" },
      body: `<html>\n <head>\n  <title>${status}</title>\n </head>\n <body>\n  <h1>${status}</h1>\n  ${body}\n </body>\n</html>`,
    };
  }
  if (match === "application/json") {
    const message = makeBody(error, request, identity);
    return {
      ...base,
      headers: { ...error.headers, "content-type": "application/json" },
      body: pyJsonDumps({ message, code: status, title: error.title }, { ensureAscii: true }),
    };
  }
  return {
    ...base,
    headers: { ...error.headers, "content-type": "text/plain; charset=UTF-8" },
    body: `${status}\n\n${stripTags(makeBody(error, request, identity))}`,
  };
}

/**
 * The body a Queens registry error carried back to the v1 API: the registry answered its client in
 * plain text, and the API put that text, status line included, into its own error.
 */
export function registryText(status: number, explanation: string): string {
  const title = STATUSES[status]?.title ?? "";
  return `${status} ${title}\n\n${stripTags(`${explanation}<br /><br />\n\n\n`)}`;
}
