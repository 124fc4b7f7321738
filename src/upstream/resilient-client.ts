/**
 * The upstream client the members API uses: every call passes the circuit breaker and the
 * process-wide concurrency gate, then goes out as one exchange of the plain client; an idempotent
 * call that fails transiently is tried again after a backoff, within the retries and the deadline
 * of its client request. Whatever fails last is thrown as it is, so the error table sees the
 * upstream's own answer.
 *
 * A DELETE retried after an attempt whose answer was lost (reset, timeout, 502, 504) may find the
 * member already gone: that attempt most likely removed it. Such a 404 is taken as success, logged,
 * and reported to the client as a warning, rather than turned into NOT_FOUND.
 */
import {
  CircuitBreaker,
  type CallOutcome,
  type CircuitBreakerOptions,
  type CircuitState,
} from "./circuit-breaker.js";
import type { Cancellation } from "./cancellation.js";
import { ConcurrencyGate, GateRefusedError } from "./concurrency-gate.js";
import { UpstreamError, type UpstreamCallInfo } from "./errors.js";
import type { UpstreamHttpClient, UpstreamRequest, UpstreamResponse } from "./http-client.js";
import type { CallObservation, UpstreamObserver } from "./observer.js";
import type { RequestScope } from "./request-scope.js";
import { isRetryable, mayHaveBeenApplied, retryDelay, type RetryPolicy } from "./retry-policy.js";

export interface ResilienceOptions {
  readonly retry: RetryPolicy;
  readonly breaker: CircuitBreakerOptions;
  /** Upstream calls in flight at once, process-wide. */
  readonly maxConcurrent: number;
  /** Upstream calls waiting for a slot, process-wide; beyond it calls are refused. */
  readonly maxQueued: number;
  /** Deadline of a call made outside any client request (version detection). */
  readonly defaultDeadlineMs: number;
  /** Called when the circuit opens: the upstream stopped answering. */
  readonly onCircuitOpen?: () => void;
  /** Told of every call, attempt and retry (metrics and traces). */
  readonly observer?: UpstreamObserver;
}

/** The structured logger, as far as this layer uses it (pino's Logger fits). */
export interface UpstreamLog {
  debug(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** The plain client underneath: one exchange per send. */
export interface AttemptClient extends UpstreamHttpClient {
  callInfo(request: UpstreamRequest): UpstreamCallInfo;
}

/** Time for which starting another attempt is still worth it. */
const MIN_ATTEMPT_MS = 20;

export class ResilientHttpClient implements UpstreamHttpClient {
  readonly breaker: CircuitBreaker;
  readonly gate: ConcurrencyGate;

  constructor(
    private readonly inner: AttemptClient,
    private readonly options: ResilienceOptions,
    private readonly log: UpstreamLog,
  ) {
    this.gate = new ConcurrencyGate(options.maxConcurrent, options.maxQueued);
    this.breaker = new CircuitBreaker(options.breaker, (state, previous) => {
      log.warn({ circuit: state, previous }, `upstream circuit ${state}`);
      if (state === "open") {
        options.onCircuitOpen?.();
      }
    });
  }

  get circuit(): CircuitState {
    return this.breaker.state;
  }

  async send(original: UpstreamRequest): Promise<UpstreamResponse> {
    const observation = this.options.observer?.callStarted(original) ?? null;
    const request =
      observation === null || observation.headers.length === 0
        ? original
        : { ...original, extraHeaders: observation.headers };
    const scope = request.scope;
    const deadline = scope?.deadline ?? performance.now() + this.options.defaultDeadlineMs;
    let answerLost = false;
    let previous: UpstreamError | null = null;
    for (let retry = 0; ; retry++) {
      try {
        const response = await this.attempt(request, deadline, observation);
        observation?.ended(response.status, null, false);
        return response;
      } catch (error) {
        if (!(error instanceof UpstreamError)) {
          observation?.ended(null, "aborted", false);
          throw error;
        }
        if (previous !== null && error.refusedByGateway) {
          // A retry refused by the gateway itself (breaker, queue, deadline): the upstream's own
          // failure says more.
          observation?.ended(previous.status, previous.kind, false);
          throw previous;
        }
        if (answerLost && request.method === "DELETE" && error.kind === "status" && error.status === 404) {
          observation?.ended(error.status, null, true);
          return this.assumeDone(request, error);
        }
        const delay = this.retryDelay(request, error, retry, deadline);
        if (delay === null) {
          observation?.ended(error.status, error.kind, false);
          throw error;
        }
        answerLost ||= mayHaveBeenApplied(error);
        previous = error;
        observation?.retrying(retry + 1, error.kind, error.status, delay);
        if (scope !== undefined) {
          scope.retriesLeft -= 1;
          scope.retries += 1;
        }
        this.log.debug(
          {
            requestId: scope?.requestId,
            method: error.call.method,
            path: error.call.path,
            failure: error.kind,
            status: error.status,
            retry: retry + 1,
            delayMs: delay,
          },
          "retrying upstream call",
        );
        if (!(await sleep(delay, request.cancellation))) {
          observation?.ended(error.status, error.kind, false);
          throw error;
        }
      }
    }
  }

  private retryDelay(
    request: UpstreamRequest,
    error: UpstreamError,
    retry: number,
    deadline: number,
  ): number | null {
    if (
      retry >= this.options.retry.retries ||
      (request.scope !== undefined && request.scope.retriesLeft <= 0) ||
      request.cancellation?.cancelled === true ||
      !isRetryable(request.method, error)
    ) {
      return null;
    }
    const delay = retryDelay(this.options.retry, retry, error.retryAfterMs);
    // Never sleep past the request's deadline, nor into the last moments of it.
    if (delay === null || performance.now() + delay + MIN_ATTEMPT_MS > deadline) {
      return null;
    }
    return delay;
  }

  private async attempt(
    request: UpstreamRequest,
    deadline: number,
    observation: CallObservation | null,
  ): Promise<UpstreamResponse> {
    const admission = this.breaker.admit();
    if (admission === "refuse") {
      observation?.attemptEnded(null, "circuit-open", null);
      throw this.refusal(request, "circuit-open");
    }
    const probe = admission === "probe";
    if (!this.gate.tryAcquire()) {
      try {
        await this.gate.acquire(deadline - performance.now(), request.cancellation);
      } catch (error) {
        this.breaker.record("neutral", probe);
        const refused = this.gateError(request, error);
        observation?.attemptEnded(null, refused.kind, null);
        throw refused;
      }
    }
    if (request.scope !== undefined) {
      request.scope.attempts += 1;
    }
    const sentAt = observation === null ? 0 : performance.now();
    try {
      const response = await this.inner.send(request);
      this.breaker.record("success", probe);
      observation?.attemptEnded(response.status, null, (performance.now() - sentAt) / 1_000);
      return response;
    } catch (error) {
      this.breaker.record(outcomeOf(error), probe);
      if (observation !== null) {
        const seconds = (performance.now() - sentAt) / 1_000;
        if (error instanceof UpstreamError) {
          observation.attemptEnded(error.status, error.kind, error.refusedByGateway ? null : seconds);
        } else {
          observation.attemptEnded(null, "aborted", seconds);
        }
      }
      throw error;
    } finally {
      this.gate.release();
    }
  }

  private assumeDone(request: UpstreamRequest, error: UpstreamError): UpstreamResponse {
    const { method, path } = error.call;
    const scope: RequestScope | undefined = request.scope;
    scope?.warnings.push({
      code: "ASSUMED_APPLIED",
      message:
        "The upstream's answer to an earlier attempt was lost, and the retry found nothing to delete: " +
        "the earlier attempt most likely deleted it, so the deletion is reported as done.",
      method,
      path,
    });
    this.log.warn(
      { requestId: scope?.requestId, method, path, upstreamRequestId: error.requestId },
      "retried DELETE answered 404 after a lost answer; taken as done",
    );
    const answer: UpstreamResponse = {
      status: error.status ?? 404,
      json: undefined,
      requestId: error.requestId,
      call: error.call,
      headers: {},
    };
    return answer;
  }

  private refusal(request: UpstreamRequest, kind: "circuit-open" | "overloaded"): UpstreamError {
    const pausedFor = this.breaker.retryInMs;
    const message =
      kind === "overloaded"
        ? "The gateway has too many upstream calls in flight and waiting; try again shortly"
        : pausedFor > 0
          ? `The upstream is failing; calls to it are paused for about ${Math.ceil(pausedFor / 1_000)} s`
          : "The upstream is failing; calls to it are paused until a test call succeeds";
    return new UpstreamError(kind, message, this.inner.callInfo(request), null, null, {
      notSent: true,
      refusedByGateway: true,
    });
  }

  private gateError(request: UpstreamRequest, error: unknown): UpstreamError {
    if (error instanceof GateRefusedError && error.reason === "aborted") {
      return new UpstreamError(
        "aborted",
        "The upstream call was abandoned before it was sent",
        this.inner.callInfo(request),
        null,
        null,
        { cause: error.cause, notSent: true, refusedByGateway: true },
      );
    }
    return this.refusal(request, "overloaded");
  }
}

/**
 * What an attempt says about the upstream's health. A call the gateway did not send says nothing;
 * one the upstream failed to take or to answer is a failure, however far it got: a connection
 * refused, reset or never established (connect timeout) as much as an answer that never came.
 */
function outcomeOf(error: unknown): CallOutcome {
  if (!(error instanceof UpstreamError) || error.refusedByGateway) {
    return "neutral";
  }
  switch (error.kind) {
    case "timeout":
    case "unreachable":
      return "failure";
    case "status":
      return error.status === 502 || error.status === 503 || error.status === 504
        ? "failure"
        : error.status === 429
          ? "neutral"
          : "success";
    case "bad-response":
    case "version-unavailable":
      return "success";
    default:
      return "neutral";
  }
}

/** Resolves true after `ms`, or false as soon as `cancellation` is cancelled. */
function sleep(ms: number, cancellation: Cancellation | undefined): Promise<boolean> {
  if (cancellation?.cancelled === true) {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stopListening?.();
      resolve(true);
    }, ms);
    const stopListening = cancellation?.onCancel(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}
