import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from "@apollo/server/plugin/landingPage/default";
import type { GraphQLSchema } from "graphql";
import type { GatewayContext } from "../graphql/context.js";
import { createFormatError } from "../graphql/errors/format-error.js";
import type { Logger } from "./logger.js";

export interface ApolloOptions {
  readonly schema: GraphQLSchema;
  readonly introspection: boolean;
  readonly production: boolean;
  readonly logger: Logger;
}

export function createApollo(options: ApolloOptions): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    schema: options.schema,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    logger: options.logger,
    formatError: createFormatError((error) => options.logger.error({ err: error }, "internal error")),
    plugins: [
      options.production
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ footer: false }),
    ],
    // Apollo Server's own signal handling stays off: the process entry point owns shutdown.
    stopOnTerminationSignals: false,
  });
}
