import { ApolloServer } from "@apollo/server";
import type { KeyValueCache } from "@apollo/utils.keyvaluecache";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from "@apollo/server/plugin/landingPage/default";
import type { GraphQLSchema, ValidationRule } from "graphql";
import { formatGatewayError } from "../graphql/errors/format-error.js";
import type { OperationLimits } from "../graphql/limits/operation-limits.js";
import { operationLimitsRule } from "../graphql/limits/operation-limits.rule.js";
import type { Logger } from "./logger.js";
import { requestReportPlugin } from "./plugins/request-report.plugin.js";
import { variableLimitsPlugin } from "./plugins/variable-limits.plugin.js";
import type { ServerContext } from "./request-report.js";

export interface ApolloOptions {
  readonly schema: GraphQLSchema;
  readonly introspection: boolean;
  readonly production: boolean;
  readonly logger: Logger;
  readonly limits: OperationLimits;
  /** Where persisted queries are kept; Apollo Server's own memory cache when undefined. */
  readonly persistedQueries?: KeyValueCache<string>;
}

/** The rules added to graphql-js's own (Apollo Server adds its introspection rule itself). */
export function gatewayValidationRules(limits: OperationLimits): ValidationRule[] {
  return [operationLimitsRule(limits)];
}

export function createApollo(options: ApolloOptions): ApolloServer<ServerContext> {
  return new ApolloServer<ServerContext>({
    schema: options.schema,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    logger: options.logger,
    formatError: formatGatewayError,
    validationRules: gatewayValidationRules(options.limits),
    ...(options.persistedQueries === undefined
      ? {}
      : { persistedQueries: { cache: options.persistedQueries } }),
    plugins: [
      // The schema declares no @cacheControl; Apollo's default cache-control plugin would still
      // hook every resolved field.
      ApolloServerPluginCacheControlDisabled(),
      requestReportPlugin(options.logger),
      variableLimitsPlugin(options.limits),
      options.production
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ footer: false }),
    ],
    // Apollo Server's own signal handling stays off: the process entry point owns shutdown.
    stopOnTerminationSignals: false,
  });
}
