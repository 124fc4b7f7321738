/**
 * A plain client watched by an UpstreamObserver: for upstreams called without the resilient
 * client's retries and breaker (Keystone), each call is one attempt, reported as such.
 */
import { UpstreamError } from "./errors.js";
import type { UpstreamHttpClient, UpstreamRequest, UpstreamResponse } from "./http-client.js";
import type { UpstreamObserver } from "./observer.js";

export class ObservedHttpClient implements UpstreamHttpClient {
  constructor(
    private readonly inner: UpstreamHttpClient,
    private readonly observer: UpstreamObserver,
  ) {}

  async send(original: UpstreamRequest): Promise<UpstreamResponse> {
    const observation = this.observer.callStarted(original);
    const request =
      observation.headers.length === 0 ? original : { ...original, extraHeaders: observation.headers };
    const sentAt = performance.now();
    try {
      const response = await this.inner.send(request);
      observation.attemptEnded(response.status, null, (performance.now() - sentAt) / 1_000);
      observation.ended(response.status, null, false);
      return response;
    } catch (error) {
      const seconds = (performance.now() - sentAt) / 1_000;
      const status = error instanceof UpstreamError ? error.status : null;
      const failure = error instanceof UpstreamError ? error.kind : "aborted";
      observation.attemptEnded(
        status,
        failure,
        error instanceof UpstreamError && error.notSent ? null : seconds,
      );
      observation.ended(status, failure, false);
      throw error;
    }
  }
}
