/**
 * The gateway's Keystone side, assembled from the configuration: the HTTP client to the auth URL,
 * the service session (sign-in, renewal, the catalog) and the client-token validator. In catalog
 * mode every new sign-in updates the regions served.
 */
import type { Config } from "./config.js";
import { KeystoneClient, type ServiceSignIn } from "./identity/keystone-client.js";
import { ServiceSession } from "./identity/service-session.js";
import { TokenValidator, type TokenValidatorOptions } from "./identity/token-validator.js";
import type { OpenStackSettings } from "./identity/types.js";
import { USER_AGENT, type Regions } from "./regions.js";
import type { Logger } from "./server/logger.js";
import { generateRequestId } from "./server/request-id.js";
import { UndiciHttpClient } from "./upstream/http-client.js";
import { ObservedHttpClient } from "./upstream/observed-client.js";
import type { UpstreamObserver } from "./upstream/observer.js";
import { createRequestScope } from "./upstream/request-scope.js";

/** Keep-alive connections to Keystone: one validation per new token, sign-ins now and then. */
const KEYSTONE_CONNECTIONS = 8;

export interface Identity {
  readonly session: ServiceSession;
  readonly validator: TokenValidator;
  close(): Promise<void>;
}

/**
 * Signs in once; throws a start-up error naming Keystone's URL when that fails. `regions`: the
 * regions to keep in step with the catalog (null when GLANCE_URL gives the endpoint);
 * `validatorOptions`: the shared token cache and the metrics hook.
 */
export async function startIdentity(
  config: Config,
  settings: OpenStackSettings,
  logger: Logger,
  regions: Regions | null,
  validatorOptions: TokenValidatorOptions = {},
  /** Watches the calls to Keystone (metrics, traces). */
  observer?: UpstreamObserver,
): Promise<Identity> {
  const http = new UndiciHttpClient({
    baseUrl: settings.authUrl,
    timeouts: {
      connectMs: config.upstreamConnectTimeoutMs,
      headersMs: config.upstreamHeadersTimeoutMs,
      bodyMs: config.upstreamBodyTimeoutMs,
      totalMs: config.upstreamTimeoutMs,
    },
    maxBodyBytes: config.upstreamMaxBodyBytes,
    connections: KEYSTONE_CONNECTIONS,
    userAgent: USER_AGENT,
  });
  const client = new KeystoneClient(
    observer === undefined ? http : new ObservedHttpClient(http, observer),
    settings,
  );
  const onSignIn = (signIn: ServiceSignIn): void => {
    logger.info(
      {
        authUrl: settings.authUrl.toString(),
        source: settings.source,
        expiresAt: signIn.expiresAt.toISOString(),
        regions: signIn.endpoints.map((endpoint) => endpoint.region),
      },
      "signed in to Keystone",
    );
    if (regions === null) {
      return;
    }
    if (signIn.endpoints.length === 0) {
      if (regions.names.length > 0) {
        logger.warn("the new catalog lists no image endpoint; keeping the last one");
        return;
      }
    }
    regions.update(signIn.endpoints);
  };
  const session = new ServiceSession(client, {
    newScope: () =>
      createRequestScope({
        requestId: generateRequestId(),
        deadlineMs: config.upstreamTimeoutMs,
        retryBudget: 0,
      }),
    onSignIn,
    onRenewalFailure: (error) =>
      logger.warn(
        { err: error, authUrl: settings.authUrl.toString() },
        "Keystone sign-in failed; keeping the last token and catalog",
      ),
  });
  const close = async (): Promise<void> => {
    session.close();
    await http.close();
  };
  try {
    await session.start();
  } catch (error) {
    await close();
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Could not sign in to Keystone at ${settings.authUrl.toString()} (${settings.source}): ${why}`,
      {
        cause: error,
      },
    );
  }
  if (regions !== null) {
    if (regions.names.length === 0) {
      await close();
      throw new Error(
        `The catalog of ${settings.authUrl.toString()} lists no image endpoint (service type image) on the ${settings.interface} interface`,
      );
    }
    const problem = regions.checkPreferred();
    if (problem !== null) {
      await close();
      throw new Error(problem);
    }
  }
  return {
    session,
    validator: new TokenValidator(client, session, config.tokenCacheSeconds, validatorOptions),
    close,
  };
}
