/**
 * The gateway's own Keystone session: its service token and the catalog's image endpoints. Signed
 * in once at start (a failure then stops the start), signed in again before the token expires and
 * whenever asked (an endpoint stopped answering, Keystone refused the token). A failed renewal keeps
 * the last good token and catalog and tries again later.
 */
import type { RequestScope } from "../upstream/request-scope.js";
import type { KeystoneClient, ServiceSignIn } from "./keystone-client.js";

export interface ServiceSessionOptions {
  /** A scope for the session's own calls (no client request behind them). */
  readonly newScope: () => RequestScope;
  /** Called with each new sign-in, the first included. */
  readonly onSignIn: (signIn: ServiceSignIn) => void;
  /** Called when a renewal fails; the last good sign-in stays in use. */
  readonly onRenewalFailure: (error: unknown) => void;
}

/** Renew this long before expiry, or at half the lifetime when that is shorter. */
const RENEW_BEFORE_MS = 5 * 60_000;
/** After a failed renewal, try again after this long. */
const RETRY_AFTER_FAILURE_MS = 30_000;
/** Renewals asked for by callers (e.g. an endpoint stopped answering) at most this often. */
const MIN_INTERVAL_MS = 30_000;

export class ServiceSession {
  private current: ServiceSignIn | null = null;
  private pending: Promise<ServiceSignIn> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastAttempt = -Infinity;
  private closed = false;

  constructor(
    private readonly client: KeystoneClient,
    private readonly options: ServiceSessionOptions,
  ) {}

  /** Signs in; throws when Keystone cannot be reached or refuses the credentials. */
  async start(): Promise<ServiceSignIn> {
    return this.renew();
  }

  /** The service token, renewed first when it has expired. */
  async token(): Promise<string> {
    const current = this.current;
    if (current !== null && current.expiresAt.getTime() > Date.now()) {
      return current.token;
    }
    return (await this.renew()).token;
  }

  /**
   * Signs in again now, unless a renewal ran less than MIN_INTERVAL_MS ago (then that one's
   * answer). `force` skips that limit: Keystone has just refused the current token.
   */
  refresh(force = false): Promise<ServiceSignIn> {
    if (!force && this.current !== null && performance.now() - this.lastAttempt < MIN_INTERVAL_MS) {
      return this.pending ?? Promise.resolve(this.current);
    }
    return this.renew();
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private renew(): Promise<ServiceSignIn> {
    this.pending ??= this.signIn().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async signIn(): Promise<ServiceSignIn> {
    this.lastAttempt = performance.now();
    try {
      const signIn = await this.client.signIn(this.options.newScope());
      this.current = signIn;
      this.options.onSignIn(signIn);
      const lifetime = signIn.expiresAt.getTime() - Date.now();
      this.schedule(lifetime - Math.min(RENEW_BEFORE_MS, lifetime / 2));
      return signIn;
    } catch (error) {
      if (this.current !== null) {
        this.options.onRenewalFailure(error);
        this.schedule(RETRY_AFTER_FAILURE_MS);
      }
      throw error;
    }
  }

  private schedule(inMs: number): void {
    if (this.closed) {
      return;
    }
    if (this.timer !== null) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(
      () => {
        this.timer = null;
        // A failure is reported through onRenewalFailure and retried by schedule().
        this.renew().catch(() => undefined);
      },
      Math.max(1_000, inMs),
    );
    this.timer.unref();
  }
}
