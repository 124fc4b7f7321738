/**
 * Keystone over HTTP: the gateway's own sign-in (a service token and its catalog) and the
 * validation of client tokens, in Identity v3 or, for Rackspace, v2.0. Statuses Keystone answers
 * about the gateway's own token (401, 403) never reach the client as its own failure.
 */
import type { Caller } from "../domain/caller.js";
import { IdentityServiceError } from "../domain/errors.js";
import { UpstreamError } from "../upstream/errors.js";
import type { UpstreamHttpClient, UpstreamRequest, UpstreamResponse } from "../upstream/http-client.js";
import type { RequestScope } from "../upstream/request-scope.js";
import { WireReader, type Json } from "../upstream/wire.js";
import { imageEndpointsV2, imageEndpointsV3 } from "./catalog.js";
import type { ImageEndpoint, OpenStackSettings, ServiceCredentials } from "./types.js";

export interface ServiceSignIn {
  readonly token: string;
  readonly expiresAt: Date;
  /** The catalog's image endpoints on the configured interface, one per region. */
  readonly endpoints: readonly ImageEndpoint[];
}

/** What Keystone said of a client token. */
export type Validation =
  | { readonly kind: "valid"; readonly caller: Caller }
  /** Unknown, expired or revoked. */
  | { readonly kind: "invalid" }
  /** The gateway's own token was refused: sign in again, then ask again. */
  | { readonly kind: "service-token-refused" };

export class KeystoneClient {
  constructor(
    /** Based at the auth URL (`…/v3/` or `…/v2.0/`). */
    private readonly http: UpstreamHttpClient,
    private readonly settings: OpenStackSettings,
  ) {}

  async signIn(scope: RequestScope): Promise<ServiceSignIn> {
    const v3 = this.settings.identityApi === "v3";
    const response = await this.send(
      {
        method: "POST",
        path: v3 ? "/auth/tokens" : "/tokens",
        headers: {},
        body: v3 ? v3SignInBody(this.settings.credentials) : v2SignInBody(this.settings.credentials),
        expect: v3 ? [201, 401, 403] : [200, 401, 403],
      },
      scope,
    );
    if (response.status === 401 || response.status === 403) {
      throw new IdentityServiceError(
        `Keystone refused the gateway's service credentials (HTTP ${response.status}, from ${this.settings.source})`,
      );
    }
    const wire = new WireReader(response);
    if (v3) {
      const token = wire.object(wire.root().token, "token");
      const subject = response.headers["x-subject-token"];
      return {
        token: wire.string(Array.isArray(subject) ? subject[0] : subject, "the X-Subject-Token header"),
        expiresAt: wire.timestamp(token.expires_at, "token.expires_at"),
        endpoints: imageEndpointsV3(wire, token.catalog ?? [], this.settings.interface),
      };
    }
    const access = wire.object(wire.root().access, "access");
    const token = wire.object(access.token, "access.token");
    return {
      token: wire.string(token.id, "access.token.id"),
      expiresAt: wire.timestamp(token.expires, "access.token.expires"),
      endpoints: imageEndpointsV2(wire, access.serviceCatalog ?? [], this.settings.interface),
    };
  }

  async validate(serviceToken: string, subject: string, scope: RequestScope): Promise<Validation> {
    const v3 = this.settings.identityApi === "v3";
    const request: UpstreamRequest = v3
      ? {
          method: "GET",
          // The client's catalog is of no use here, and it is most of the answer.
          path: "/auth/tokens?nocatalog",
          headers: { "x-auth-token": serviceToken, "x-subject-token": subject },
          expect: [200, 401, 403, 404],
        }
      : {
          method: "GET",
          path: `/tokens/${encodeURIComponent(subject)}`,
          headers: { "x-auth-token": serviceToken },
          expect: [200, 401, 403, 404],
        };
    const response = await this.send(request, scope);
    switch (response.status) {
      case 404:
        return { kind: "invalid" };
      case 401:
        return { kind: "service-token-refused" };
      case 403:
        throw new IdentityServiceError(
          "Keystone does not let the gateway's service user validate tokens: give it the service or admin role",
        );
    }
    const wire = new WireReader(response);
    return { kind: "valid", caller: v3 ? callerV3(wire) : callerV2(wire) };
  }

  /** Sends one call; the path in any error names no token (v2.0 puts the token in the path). */
  private async send(request: UpstreamRequest, scope: RequestScope): Promise<UpstreamResponse> {
    try {
      return await this.http.send({ ...request, scope, cancellation: scope.cancellation });
    } catch (error) {
      if (error instanceof UpstreamError && request.path.startsWith("/tokens/")) {
        const call = {
          method: error.call.method,
          path: error.call.path.replace(/\/tokens\/.*$/, "/tokens/{token}"),
        };
        throw new UpstreamError(error.kind, error.message, call, error.status, error.requestId, {
          retryAfterMs: error.retryAfterMs,
          notSent: error.notSent,
          refusedByGateway: error.refusedByGateway,
        });
      }
      throw error;
    }
  }
}

function callerV3(wire: WireReader): Caller {
  const token = wire.object(wire.root().token, "token");
  const user = wire.object(token.user, "token.user");
  const project = token.project === undefined ? null : wire.object(token.project, "token.project");
  return {
    user: { id: wire.string(user.id, "token.user.id"), name: optionalString(user.name) },
    project:
      project === null
        ? null
        : { id: wire.string(project.id, "token.project.id"), name: optionalString(project.name) },
    roles: roleNames(wire, token.roles ?? [], "token.roles"),
    expiresAt: wire.timestamp(token.expires_at, "token.expires_at"),
  };
}

function callerV2(wire: WireReader): Caller {
  const access = wire.object(wire.root().access, "access");
  const token = wire.object(access.token, "access.token");
  const user = wire.object(access.user, "access.user");
  const tenant = token.tenant === undefined ? null : wire.object(token.tenant, "access.token.tenant");
  return {
    user: { id: wire.string(user.id, "access.user.id"), name: optionalString(user.name) },
    project:
      tenant === null
        ? null
        : { id: wire.string(tenant.id, "access.token.tenant.id"), name: optionalString(tenant.name) },
    roles: roleNames(wire, user.roles ?? [], "access.user.roles"),
    expiresAt: wire.timestamp(token.expires, "access.token.expires"),
  };
}

function roleNames(wire: WireReader, roles: unknown, where: string): string[] {
  return wire
    .array(roles, where)
    .map((role, i) => wire.string(wire.object(role, `${where}[${i}]`).name, `${where}[${i}].name`));
}

function optionalString(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function domain(id: string | null, name: string | null): Json {
  return id !== null ? { id } : { name: name ?? "Default" };
}

function v3SignInBody(credentials: ServiceCredentials): Json {
  switch (credentials.kind) {
    case "password": {
      const user: Json =
        credentials.userId !== null
          ? { id: credentials.userId, password: credentials.password }
          : {
              name: credentials.username,
              domain: domain(credentials.userDomainId, credentials.userDomainName),
              password: credentials.password,
            };
      const project: Json | null =
        credentials.projectId !== null
          ? { id: credentials.projectId }
          : credentials.projectName !== null
            ? {
                name: credentials.projectName,
                domain: domain(credentials.projectDomainId, credentials.projectDomainName),
              }
            : null;
      return {
        auth: {
          identity: { methods: ["password"], password: { user } },
          ...(project === null ? {} : { scope: { project } }),
        },
      };
    }
    case "applicationCredential": {
      const applicationCredential: Json =
        credentials.id !== null
          ? { id: credentials.id, secret: credentials.secret }
          : {
              name: credentials.name,
              secret: credentials.secret,
              user:
                credentials.userId !== null
                  ? { id: credentials.userId }
                  : {
                      name: credentials.username,
                      domain: domain(credentials.userDomainId, credentials.userDomainName),
                    },
            };
      return {
        auth: {
          identity: {
            methods: ["application_credential"],
            application_credential: applicationCredential,
          },
        },
      };
    }
    default:
      throw new IdentityServiceError(`${credentials.kind} credentials are for Identity v2.0, not v3`);
  }
}

function v2SignInBody(credentials: ServiceCredentials): Json {
  switch (credentials.kind) {
    case "apiKey":
      return {
        auth: {
          "RAX-KSKEY:apiKeyCredentials": { username: credentials.username, apiKey: credentials.apiKey },
        },
      };
    case "v2Password":
      return {
        auth: {
          passwordCredentials: { username: credentials.username, password: credentials.password },
          ...(credentials.tenantId !== null
            ? { tenantId: credentials.tenantId }
            : credentials.tenantName !== null
              ? { tenantName: credentials.tenantName }
              : {}),
        },
      };
    default:
      throw new IdentityServiceError(`${credentials.kind} credentials are for Identity v3, not v2.0`);
  }
}
