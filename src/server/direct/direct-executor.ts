/**
 * The direct path: serves the common request (see eligibility.ts) without Apollo Server's HTTP and
 * plugin machinery, with the same answer Apollo Server gives, byte for byte. Documents are parsed
 * and validated once (with the same rules) and kept; the operation runs on the same schema and
 * context, from an execution plan made once per operation (operation-plan.ts, with graphql-js's
 * semantics) or, for operations the plan does not cover, through graphql-js's `execute`; errors go through the same formatError, logging and
 * stamping as in the plugin. Whatever the direct path cannot answer the same way it hands back
 * (`null`) before anything has run, and Apollo Server answers it: documents that do not parse or
 * validate, unknown operation names, subscriptions, variables over the limits or that do not
 * coerce.
 */
import {
  execute,
  getOperationAST,
  OperationTypeNode,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from "graphql";
import { formatGatewayError } from "../../graphql/errors/format-error.js";
import type { OperationLimits } from "../../graphql/limits/operation-limits.js";
import { variableLimitError } from "../../graphql/limits/variable-limits.js";
import type { Logger } from "../logger.js";
import { logInternalFailures, stampResult } from "../plugins/request-report.plugin.js";
import type { ServerContext } from "../request-report.js";
import { DocumentCache, type DocumentCacheLimits } from "./document-cache.js";
import type { DirectRequest } from "./eligibility.js";
import { planOperation, type OperationPlan } from "./operation-plan.js";
import { executePlan } from "./plan-executor.js";

export interface DirectExecutorOptions {
  readonly schema: GraphQLSchema;
  /** The rules Apollo Server validates with besides graphql-js's own. */
  readonly validationRules: readonly ValidationRule[];
  readonly limits: OperationLimits;
  readonly logger: Logger;
  readonly cache?: DocumentCacheLimits;
}

export interface DirectAnswer {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

const DEFAULT_CACHE: DocumentCacheLimits = { maxEntries: 1_000, maxChars: 4_000_000 };

export class DirectExecutor {
  private readonly documents: DocumentCache;
  private readonly rules: readonly ValidationRule[];
  /** By operation node: an evicted document takes its plans with it. null: no plan, graphql-js runs it. */
  private readonly plans = new WeakMap<OperationDefinitionNode, OperationPlan | null>();

  constructor(private readonly options: DirectExecutorOptions) {
    this.documents = new DocumentCache(options.cache ?? DEFAULT_CACHE);
    this.rules = [...specifiedRules, ...options.validationRules];
  }

  /** The answer, or null when Apollo Server must answer this request (nothing has run yet). */
  async run(request: DirectRequest, createContext: () => ServerContext): Promise<DirectAnswer | null> {
    const { schema, limits, logger } = this.options;
    const document = this.documentFor(request.query);
    if (document === null) {
      return null;
    }
    const operation = getOperationAST(document, request.operationName);
    if (
      operation === null ||
      operation === undefined ||
      operation.operation === OperationTypeNode.SUBSCRIPTION
    ) {
      return null;
    }
    if (variableLimitError(document, operation, request.variables, limits) !== null) {
      return null;
    }
    const contextValue = createContext();
    const { report } = contextValue;
    const plan = this.planFor(document, operation);
    const result: ExecutionResult =
      plan === null
        ? await execute({
            schema,
            document,
            contextValue,
            variableValues: request.variables,
            operationName: request.operationName,
          })
        : await executePlan(plan, contextValue, request.variables);
    if (result.data === undefined) {
      // A request error (variables that do not coerce): no resolver ran.
      return null;
    }
    report.pipeline = "direct";
    report.operationName = operation.name?.value ?? null;
    const head = { status: 200, headers: new Map([["content-type", request.contentType]]) };
    const answer: {
      errors?: GraphQLFormattedError[];
      data: ExecutionResult["data"];
      extensions?: Record<string, unknown>;
    } = { errors: undefined, data: result.data, extensions: result.extensions };
    if (result.errors !== undefined && result.errors.length > 0) {
      logInternalFailures(logger, result.errors, report);
      answer.errors = result.errors.map((error) => formatted(error, head));
    }
    stampResult(answer, report);
    return { status: head.status, headers: head.headers, body: `${JSON.stringify(answer)}\n` };
  }

  private planFor(document: DocumentNode, operation: OperationDefinitionNode): OperationPlan | null {
    let plan = this.plans.get(operation);
    if (plan === undefined) {
      plan = planOperation(this.options.schema, document, operation);
      this.plans.set(operation, plan);
    }
    return plan;
  }

  private documentFor(query: string): ReturnType<typeof parse> | null {
    const cached = this.documents.get(query);
    if (cached !== undefined) {
      return cached;
    }
    let document;
    try {
      document = parse(query);
    } catch {
      return null;
    }
    if (validate(this.options.schema, document, this.rules).length > 0) {
      return null;
    }
    this.documents.set(query, document);
    return document;
  }
}

interface Head {
  status: number;
  readonly headers: Map<string, string>;
}

/** As Apollo Server formats an execution error: a code by default, then formatError. */
function formatted(error: GraphQLError, head: Head): GraphQLFormattedError {
  try {
    const extensions: Record<string, unknown> = {
      ...error.extensions,
      code: error.extensions.code ?? "INTERNAL_SERVER_ERROR",
    };
    applyHttp(extensions, head);
    return formatGatewayError({ ...error.toJSON(), extensions }, error);
  } catch {
    return { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } };
  }
}

/** An error's `extensions.http` sets the answer's status and headers, and is not answered. */
function applyHttp(extensions: Record<string, unknown>, head: Head): void {
  const http = extensions.http;
  if (typeof http !== "object" || http === null) {
    return;
  }
  const { status, headers } = http as { status?: unknown; headers?: unknown };
  if (
    (status !== undefined && typeof status !== "number") ||
    (headers !== undefined && !(headers instanceof Map))
  ) {
    return;
  }
  if (typeof status === "number" && status !== 0) {
    head.status = status;
  }
  if (headers instanceof Map) {
    for (const [name, value] of headers as Map<string, string>) {
      head.headers.set(name, value);
    }
  }
  delete extensions.http;
}
