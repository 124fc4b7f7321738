/**
 * Assembles the gateway from a Config: upstream pool, API selection, schema, Apollo Server and the
 * HTTP listener. Used by the entry point and by the tests alike.
 */
import "reflect-metadata";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Config } from "./config.js";
import { buildGatewaySchema } from "./graphql/build-schema.js";
import type { GatewayContext } from "./graphql/context.js";
import { createApollo } from "./server/create-apollo.js";
import { upstreamIdentity } from "./server/credentials.js";
import { createHttpHandler } from "./server/http-handler.js";
import { createLogger, type Logger } from "./server/logger.js";
import { MemberService } from "./service/member-service.js";
import { UpstreamHttpClient } from "./upstream/http-client.js";
import { MembersApiProvider } from "./upstream/members-api-provider.js";
import type { MembersV2Options } from "./upstream/v2/members-v2.js";

export const USER_AGENT = "image-members-gateway/0.1";

export interface RunningGateway {
  /** e.g. http://127.0.0.1:4000/graphql */
  readonly url: string;
  readonly upstreamUrl: string;
  readonly provider: MembersApiProvider;
  readonly logger: Logger;
  close(): Promise<void>;
}

export interface GatewayOptions {
  readonly logger?: Logger;
  /** Paging of GET /v2/images behind sharedImages. */
  readonly v2?: MembersV2Options;
}

export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<RunningGateway> {
  if (config.glanceUrl === null) {
    throw new Error(
      "startGateway needs an upstream URL; the entry point starts the emulator when none is set",
    );
  }
  const logger = options.logger ?? createLogger(config.logLevel);
  const http = new UpstreamHttpClient({
    baseUrl: config.glanceUrl,
    timeouts: {
      connectMs: Math.min(config.upstreamTimeoutMs, 5_000),
      headersMs: config.upstreamTimeoutMs,
      bodyMs: config.upstreamTimeoutMs,
      totalMs: config.upstreamTimeoutMs,
    },
    maxBodyBytes: 8 * 1_048_576,
    connections: config.upstreamConnections,
    userAgent: USER_AGENT,
  });
  const provider = new MembersApiProvider(http, config.apiVersion, options.v2);
  const apollo = createApollo({
    schema: buildGatewaySchema(),
    introspection: config.introspection,
    production: config.production,
    logger,
  });
  await apollo.start();

  const createContext = (
    request: { headers: Record<string, string | string[] | undefined> },
    requestId: string,
    signal: AbortSignal,
  ): GatewayContext => {
    const identity = upstreamIdentity(request.headers, config.forwardHeaders);
    return {
      requestId,
      members: new MemberService(provider, { headers: identity.headers, signal }, identity.project),
    };
  };
  const server = createServer(
    createHttpHandler({ apollo, createContext, logger, corsOrigins: config.corsOrigins }),
  );
  server.keepAliveTimeout = 65_000;
  await listen(server, config.host, config.port);
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}/graphql`,
    upstreamUrl: config.glanceUrl.toString(),
    provider,
    logger,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
      await http.close();
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
