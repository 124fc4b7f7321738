/**
 * The direct path: serves the common request (see eligibility.ts) without Apollo Server's HTTP and
 * plugin machinery, with the answer Apollo Server gives, byte for byte (test/server/direct-path.test.ts
 * compares the two). Documents are parsed and validated once, with the same rules, and kept; each
 * operation is compiled once by graphql-jit and run on the same schema and context; errors go
 * through the same formatError, logging and stamping as in Apollo Server's pipeline.
 *
 * Why graphql-jit: it turns an operation into plain functions, so a request costs no walk of the
 * document and no per-field bookkeeping. Measured with `npm run bench` (single member, c=32, three
 * alternating rounds), it takes about a tenth of the gateway's CPU per request off graphql-js's
 * `execute`. Operations that reach an abstract type (`_entities`) still run on `execute`: graphql-jit
 * and type-graphql's unions disagree there. Removing graphql-jit means calling `execute` always.
 *
 * Whatever the direct path cannot answer the same way it hands back (`null`) before anything has
 * run, and Apollo Server answers it: documents that do not parse or validate, unknown operation
 * names, subscriptions, variables over the limits or that do not coerce.
 */
import {
  execute,
  getNamedType,
  isAbstractType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type OperationDefinitionNode,
  getOperationAST,
  OperationTypeNode,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
} from "graphql";
import { LRUCache } from "lru-cache";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import { formatExecutionErrors } from "../../graphql/errors/format-error.js";
import type { OperationLimits } from "../../graphql/limits/operation-limits.js";
import { variableLimitError } from "../../graphql/limits/variable-limits.js";
import type { Logger } from "../logger.js";
import { rootFieldLabel } from "../../graphql/operation-label.js";
import { logInternalFailures, stampResult } from "../plugins/request-report.plugin.js";
import type { ServerContext } from "../request-report.js";
import type { DirectRequest } from "./eligibility.js";

export interface DirectExecutorOptions {
  readonly schema: GraphQLSchema;
  /** The rules Apollo Server validates with besides graphql-js's own. */
  readonly validationRules: readonly ValidationRule[];
  readonly limits: OperationLimits;
  readonly logger: Logger;
}

export interface DirectAnswer {
  readonly contentType: string;
  readonly body: string;
}

export class DirectExecutor {
  /** Valid documents by their text; bounded in entries and in total characters. */
  private readonly documents = new LRUCache<string, DocumentNode>({
    max: 1_000,
    maxSize: 4_000_000,
    sizeCalculation: (_document, query) => query.length,
  });
  private readonly rules: readonly ValidationRule[];
  /** By operation: a document leaving the cache takes its compiled operations with it. */
  private readonly compiled = new WeakMap<OperationDefinitionNode, CompiledQuery | null>();

  constructor(private readonly options: DirectExecutorOptions) {
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
      !operation ||
      operation.operation === OperationTypeNode.SUBSCRIPTION ||
      variableLimitError(document, operation, request.variables, limits) !== null
    ) {
      return null;
    }
    const contextValue = createContext();
    const { report } = contextValue;
    const compiled = this.compiledFor(document, operation);
    const { data, errors, extensions } =
      compiled === null
        ? await execute({
            schema,
            document,
            contextValue,
            variableValues: request.variables,
            operationName: request.operationName,
          })
        : await compiled.query(undefined, contextValue, request.variables ?? {});
    if (data === undefined) {
      // A request error (variables that do not coerce): no resolver ran.
      return null;
    }
    report.pipeline = "direct";
    report.operationName = operation.name?.value ?? null;
    report.operationType = operation.operation;
    report.operation = rootFieldLabel(operation);
    // Key order as Apollo Server answers: errors, data, extensions.
    const answer = { errors: undefined as unknown, data, extensions };
    if (errors !== undefined && errors.length > 0) {
      logInternalFailures(logger, errors, report);
      answer.errors = formatExecutionErrors(errors);
    }
    stampResult(answer as Parameters<typeof stampResult>[0], report);
    return { contentType: request.contentType, body: `${JSON.stringify(answer)}\n` };
  }

  /**
   * The operation compiled by graphql-jit, or null to run it with graphql-js: operations that reach
   * an abstract type (`_entities`), where graphql-jit and type-graphql's unions disagree.
   */
  private compiledFor(document: DocumentNode, operation: OperationDefinitionNode): CompiledQuery | null {
    let compiled = this.compiled.get(operation);
    if (compiled === undefined) {
      const { schema } = this.options;
      const made = reachesAbstractType(schema, document)
        ? null
        : compileQuery(schema, document, operation.name?.value);
      compiled = made !== null && isCompiledQuery(made) ? made : null;
      this.compiled.set(operation, compiled);
    }
    return compiled;
  }

  private documentFor(query: string): DocumentNode | null {
    let document = this.documents.get(query);
    if (document !== undefined) {
      return document;
    }
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

function reachesAbstractType(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let found = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const type = typeInfo.getType();
        found ||= type !== null && isAbstractType(getNamedType(type));
      },
    }),
  );
  return found;
}
