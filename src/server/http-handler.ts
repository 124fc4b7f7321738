/**
 * The HTTP front: POST (and GET for queries) on /graphql through Apollo Server, liveness on
 * /health/live, 404 elsewhere. Plain node:http keeps per-request work small.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from "@apollo/server";
import type { GatewayContext } from "../graphql/context.js";
import { applyCors, type CorsOrigins } from "./cors.js";
import type { Logger } from "./logger.js";

export const MAX_REQUEST_BYTES = 1_048_576;

export type ContextFactory = (
  request: IncomingMessage,
  requestId: string,
  signal: AbortSignal,
) => GatewayContext;

export interface HttpHandlerOptions {
  readonly apollo: ApolloServer<GatewayContext>;
  readonly createContext: ContextFactory;
  readonly logger: Logger;
  readonly corsOrigins: CorsOrigins;
}

export function createHttpHandler(
  options: HttpHandlerOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  const { apollo, createContext, logger, corsOrigins } = options;
  return (request, response) => {
    if (applyCors(corsOrigins, request, response)) {
      return;
    }
    handle(apollo, createContext, request, response).catch((error: unknown) => {
      logger.error({ err: error }, "request failed");
      if (!response.headersSent) {
        sendJson(response, 500, { errors: [{ message: "Internal server error" }] });
      } else {
        response.destroy();
      }
    });
  };
}

async function handle(
  apollo: ApolloServer<GatewayContext>,
  createContext: ContextFactory,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://gateway.invalid");
  if (url.pathname === "/health/live") {
    sendJson(response, 200, { status: "ok" });
    return;
  }
  if (url.pathname !== "/graphql" && url.pathname !== "/graphql/") {
    sendJson(response, 404, {
      errors: [{ message: `No route for ${url.pathname}; GraphQL is served on /graphql` }],
    });
    return;
  }
  const requestId = randomUUID();
  response.setHeader("x-request-id", requestId);
  const body = await readBody(request);
  if (body === null) {
    sendJson(response, 413, { errors: [{ message: `Request body larger than ${MAX_REQUEST_BYTES} bytes` }] });
    return;
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) {
      headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
  }
  const httpGraphQLRequest: HTTPGraphQLRequest = {
    method: (request.method ?? "GET").toUpperCase(),
    headers,
    search: url.search,
    body: parseBody(headers.get("content-type"), body),
  };
  // Upstream calls are abandoned when the client goes away before the answer is sent.
  const abandoned = new AbortController();
  const onClose = (): void => {
    if (!response.writableFinished) {
      abandoned.abort(new Error("client closed the connection"));
    }
  };
  response.once("close", onClose);

  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest,
    context: () => Promise.resolve(createContext(request, requestId, abandoned.signal)),
  });
  for (const [name, value] of result.headers) {
    response.setHeader(name, value);
  }
  response.statusCode = result.status ?? 200;
  if (result.body.kind === "complete") {
    response.end(result.body.string);
  } else {
    for await (const chunk of result.body.asyncIterator) {
      response.write(chunk);
    }
    response.end();
  }
}

function parseBody(contentType: string | undefined, body: string): unknown {
  if (body === "") {
    return undefined;
  }
  if (contentType?.toLowerCase().includes("json")) {
    try {
      return JSON.parse(body) as unknown;
    } catch {
      // Apollo Server answers 400 for a body it cannot use; hand it the raw text.
      return body;
    }
  }
  return body;
}

async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) {
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}
