/**
 * A raw HTTP client for the emulator tests (node:http, so that GET and DELETE can carry bodies and
 * nothing adds headers behind the test's back).
 */
import { request, type IncomingHttpHeaders } from "node:http";

export interface CallOptions {
  /** Sent as X-Project-Id, with X-Identity-Status: Confirmed as Glance's context middleware needs. */
  project?: string;
  /** Sent as X-Roles. */
  roles?: string;
  /** Serialised as JSON; a string is sent as is. */
  body?: unknown;
  /** Default "application/json"; null sends no Accept header. */
  accept?: string | null;
  headers?: Record<string, string>;
}

export interface Reply {
  readonly status: number;
  readonly reason: string;
  readonly headers: IncomingHttpHeaders;
  readonly contentType: string | undefined;
  readonly text: string;
  /** The body parsed as JSON (undefined when empty). */
  readonly json: unknown;
}

export function call(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.accept !== null) {
    headers.accept = options.accept ?? "application/json";
  }
  if (options.project !== undefined) {
    headers["x-identity-status"] = "Confirmed";
    headers["x-project-id"] = options.project;
  }
  if (options.roles !== undefined) {
    headers["x-roles"] = options.roles;
  }
  Object.assign(headers, options.headers);
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === "string"
        ? options.body
        : JSON.stringify(options.body);
  if (body !== undefined) {
    headers["content-length"] = String(Buffer.byteLength(body));
  }
  return new Promise<Reply>((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({
          status: res.statusCode ?? 0,
          reason: res.statusMessage ?? "",
          headers: res.headers,
          contentType: res.headers["content-type"],
          text,
          json:
            text !== "" && (res.headers["content-type"] ?? "").startsWith("application/json")
              ? JSON.parse(text)
              : undefined,
        });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The JSON body webob gives an error when the client accepts application/json. */
export function webobJson(status: number, title: string, text: string): unknown {
  return { message: `${text}<br /><br />\n\n\n`, code: `${status} ${title}`, title };
}

/** A client bound to one emulator and, optionally, one project. */
export function clientFor(baseUrl: () => string) {
  return (method: string, path: string, options?: CallOptions): Promise<Reply> =>
    call(baseUrl(), method, path, options);
}

export const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
