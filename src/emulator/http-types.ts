/** The request and response shapes passed between the HTTP plumbing and the emulated Glance. */

export interface EmulatorRequest {
  /** Upper-case method. */
  readonly method: string;
  /** The raw request-target. */
  readonly target: string;
  /** The path part of the target, percent-encoded as received. */
  readonly rawPath: string;
  /** Query parameters in order, decoded as webob decodes them (`+` is a space). */
  readonly query: ReadonlyArray<readonly [string, string]>;
  /** Lower-cased names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** scheme://host[:port] as the client addressed us, for absolute links. */
  readonly hostUrl: string;
}

export interface EmulatorResponse {
  readonly status: number;
  /** Reason phrase of the status line; Node's default when absent. */
  readonly reason?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}
