/**
 * The OpenStack identity side of the gateway: how it signs in to Keystone (v3, or Rackspace's
 * v2.0), the image endpoints its catalog lists, and who a validated client token names. No GraphQL
 * and no HTTP here: plain data shared by config/ (which fills OpenStackSettings) and the Keystone
 * client.
 */

export type EndpointInterface = "public" | "internal" | "admin";

/** Keystone v3: a user's password, scoped to a project. */
export interface PasswordCredentials {
  readonly kind: "password";
  readonly username: string | null;
  readonly userId: string | null;
  readonly password: string;
  readonly userDomainName: string | null;
  readonly userDomainId: string | null;
  readonly projectName: string | null;
  readonly projectId: string | null;
  readonly projectDomainName: string | null;
  readonly projectDomainId: string | null;
}

/** Keystone v3: an application credential (it carries its own project). */
export interface ApplicationCredentials {
  readonly kind: "applicationCredential";
  /** The id, or the name together with the user's name or id. */
  readonly id: string | null;
  readonly name: string | null;
  readonly secret: string;
  readonly username: string | null;
  readonly userId: string | null;
  readonly userDomainName: string | null;
  readonly userDomainId: string | null;
}

/** Rackspace Identity v2.0: a user name and an API key (`RAX-KSKEY:apiKeyCredentials`). */
export interface ApiKeyCredentials {
  readonly kind: "apiKey";
  readonly username: string;
  readonly apiKey: string;
}

/** Identity v2.0: `passwordCredentials`, optionally with a tenant. */
export interface V2PasswordCredentials {
  readonly kind: "v2Password";
  readonly username: string;
  readonly password: string;
  readonly tenantName: string | null;
  readonly tenantId: string | null;
}

export type ServiceCredentials =
  PasswordCredentials | ApplicationCredentials | ApiKeyCredentials | V2PasswordCredentials;

/** What the gateway needs to sign in to Keystone and read its catalog. */
export interface OpenStackSettings {
  /**
   * Normalised to end in `/` after its version, so that `new URL("auth/tokens", authUrl)` (v3) or
   * `new URL("tokens", authUrl)` (v2.0) is the token endpoint: `http://127.0.0.1:5000/v3/`,
   * `https://identity.api.rackspacecloud.com/v2.0/`. An auth URL whose path names no version
   * (`http://h:5000`, devstack's `http://h/identity`) gets `/v3/`: Keystone's version document is not
   * read to choose.
   */
  readonly authUrl: URL;
  /** `v3`, or `v2.0` when the auth URL's path ends in `/v2.0`. */
  readonly identityApi: "v3" | "v2.0";
  /**
   * The only place the secrets are kept. Not enumerable: JSON and log lines of the settings (or of the
   * whole Config) leave it out, and so does a spread copy (`{ ...settings }`); pass the object itself.
   */
  readonly credentials: ServiceCredentials;
  /** The region a request without `X-OpenStack-Region` uses; null: the only one, or the first. */
  readonly regionName: string | null;
  readonly interface: EndpointInterface;
  /** Where the settings came from, for logs: `environment`, or `clouds.yaml <path> (cloud <name>)`. */
  readonly source: string;
}

/** One image endpoint of the catalog. */
export interface ImageEndpoint {
  readonly region: string;
  readonly url: string;
}
