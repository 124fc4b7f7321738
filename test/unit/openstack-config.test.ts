/** OS_* settings and clouds.yaml, through loadConfig, as openstack client users write them. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, type Config } from "../../src/config.js";

const nowhere = { cwd: "/nonexistent/cwd", home: "/nonexistent/home" };

/** Every secret value used below: none may reach a message or the JSON of a Config. */
const SECRETS = ["s3cret-pass", "file-secret", "env-secret", "rax-key", "acs-123", "secure-pass", "0123abcd"];

function problems(env: Record<string, string>, places = nowhere): readonly string[] {
  try {
    loadConfig(env, places);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const secret of SECRETS) {
        expect(error.message).not.toContain(secret);
      }
      return error.problems;
    }
    throw error;
  }
  return [];
}

function expectNoSecretOutside(config: Config): void {
  const json = JSON.stringify(config);
  for (const secret of SECRETS) {
    expect(json).not.toContain(secret);
  }
}

const V3 = {
  OS_AUTH_URL: "http://127.0.0.1:5000/v3",
  OS_USERNAME: "gateway",
  OS_PASSWORD: "s3cret-pass",
  OS_PROJECT_NAME: "service",
};

describe("OpenStack settings from the environment", () => {
  it("none at all: no OpenStack (npm start keeps its emulator), tokens validated for 300 s once set", () => {
    const config = loadConfig({}, nowhere);
    expect(config.openstack).toBeNull();
    expect(config.tokenValidation).toBe("on");
    expect(config.tokenCacheSeconds).toBe(300);
  });

  it("a v3 password: the default domain by id, public interface, the secret kept out of JSON", () => {
    const config = loadConfig({ ...V3, OS_REGION_NAME: "RegionTwo" }, nowhere);
    expect(config.openstack).toMatchObject({
      identityApi: "v3",
      regionName: "RegionTwo",
      interface: "public",
      source: "environment",
    });
    expect(config.openstack?.authUrl.toString()).toBe("http://127.0.0.1:5000/v3/");
    expect(config.openstack?.credentials).toEqual({
      kind: "password",
      username: "gateway",
      userId: null,
      password: "s3cret-pass",
      userDomainName: null,
      userDomainId: "default",
      projectName: "service",
      projectId: null,
      projectDomainName: null,
      projectDomainId: "default",
    });
    expect(config.osPasswordSet).toBe(true);
    expect(config.osApiKeySet).toBe(false);
    expectNoSecretOutside(config);
  });

  it("a domain given by name is used as is; secrets are taken as written", () => {
    const config = loadConfig(
      { ...V3, OS_PASSWORD: " s3cret-pass ", OS_USER_DOMAIN_NAME: "Users", OS_PROJECT_DOMAIN_ID: "p-dom" },
      nowhere,
    );
    expect(config.openstack?.credentials).toMatchObject({
      password: " s3cret-pass ",
      userDomainName: "Users",
      userDomainId: null,
      projectDomainName: null,
      projectDomainId: "p-dom",
    });
  });

  it.each([
    ["http://keystone:5000", "http://keystone:5000/v3/", "v3"],
    ["http://keystone:5000/v3/", "http://keystone:5000/v3/", "v3"],
    ["http://host/identity/", "http://host/identity/v3/", "v3"],
    ["https://identity.example.com/v2.0", "https://identity.example.com/v2.0/", "v2.0"],
    ["https://identity.example.com/v2.0//", "https://identity.example.com/v2.0/", "v2.0"],
  ])("auth URL %s is %s (%s)", (given, url, api) => {
    const config = loadConfig({ ...V3, OS_AUTH_URL: given }, nowhere);
    expect(config.openstack?.authUrl.toString()).toBe(url);
    expect(new URL("auth/tokens", config.openstack?.authUrl).pathname).toBe(
      `${new URL(url).pathname}auth/tokens`,
    );
    expect(config.openstack?.identityApi).toBe(api);
  });

  it.each([
    ["internal", "internal"],
    ["internalURL", "internal"],
    ["ADMIN", "admin"],
    ["publicURL", "public"],
  ])("OS_INTERFACE %s is %s", (given, chosen) => {
    expect(loadConfig({ ...V3, OS_INTERFACE: given }, nowhere).openstack?.interface).toBe(chosen);
  });

  it("Rackspace: a v2.0 URL with an API key", () => {
    const config = loadConfig(
      { OS_AUTH_URL: "https://identity.example.com/v2.0", OS_USERNAME: "me", OS_API_KEY: "0123abcd" },
      nowhere,
    );
    expect(config.openstack?.identityApi).toBe("v2.0");
    expect(config.openstack?.credentials).toEqual({ kind: "apiKey", username: "me", apiKey: "0123abcd" });
    expectNoSecretOutside(config);
  });

  it("v2.0 with a password: the tenant from OS_TENANT_*, OS_PROJECT_* winning", () => {
    const v2 = { ...V3, OS_AUTH_URL: "https://identity.example.com/v2.0", OS_PROJECT_NAME: "" };
    expect(
      loadConfig({ ...v2, OS_TENANT_NAME: "t-name", OS_TENANT_ID: "t-id" }, nowhere).openstack?.credentials,
    ).toEqual({
      kind: "v2Password",
      username: "gateway",
      password: "s3cret-pass",
      tenantName: "t-name",
      tenantId: "t-id",
    });
    expect(
      loadConfig({ ...v2, OS_TENANT_NAME: "t-name", OS_PROJECT_NAME: "p-name" }, nowhere).openstack
        ?.credentials,
    ).toMatchObject({ tenantName: "p-name" });
  });

  it("an application credential by id wins over a password", () => {
    const config = loadConfig(
      { ...V3, OS_APPLICATION_CREDENTIAL_ID: "ac1", OS_APPLICATION_CREDENTIAL_SECRET: "acs-123" },
      nowhere,
    );
    expect(config.openstack?.credentials).toEqual({
      kind: "applicationCredential",
      id: "ac1",
      name: null,
      secret: "acs-123",
      username: "gateway",
      userId: null,
      userDomainName: null,
      userDomainId: "default",
    });
    expect(config.osApplicationCredentialSecretSet).toBe(true);
    expectNoSecretOutside(config);
  });

  it("an application credential by name with its user; without its secret, a password is used", () => {
    const named = {
      OS_AUTH_URL: "http://keystone:5000/v3",
      OS_USER_ID: "u1",
      OS_APPLICATION_CREDENTIAL_NAME: "gateway-ac",
      OS_APPLICATION_CREDENTIAL_SECRET: "acs-123",
    };
    expect(loadConfig(named, nowhere).openstack?.credentials).toMatchObject({
      kind: "applicationCredential",
      id: null,
      name: "gateway-ac",
      userId: "u1",
    });
    expect(
      loadConfig({ ...V3, OS_APPLICATION_CREDENTIAL_ID: "ac1" }, nowhere).openstack?.credentials.kind,
    ).toBe("password");
  });

  it("TOKEN_VALIDATION and TOKEN_CACHE_SECONDS", () => {
    const config = loadConfig({ TOKEN_VALIDATION: "off", TOKEN_CACHE_SECONDS: "0" }, nowhere);
    expect(config.tokenValidation).toBe("off");
    expect(config.tokenCacheSeconds).toBe(0);
    expect(problems({ TOKEN_VALIDATION: "maybe", TOKEN_CACHE_SECONDS: "86401" })).toEqual([
      'TOKEN_VALIDATION must be one of on, off (got "maybe")',
      'TOKEN_CACHE_SECONDS must be an integer from 0 to 86400 (got "86401")',
    ]);
  });

  it.each<[string, Record<string, string>, string[]]>([
    [
      "credentials without an auth URL",
      { OS_USERNAME: "gateway", OS_PASSWORD: "s3cret-pass" },
      ["OS_USERNAME is set but OS_AUTH_URL is not: set both, or OS_CLOUD"],
    ],
    [
      "no password",
      { ...V3, OS_PASSWORD: "" },
      [
        "OS_PASSWORD is required (or an application credential: OS_APPLICATION_CREDENTIAL_ID and OS_APPLICATION_CREDENTIAL_SECRET)",
      ],
    ],
    [
      "a password without a user",
      { ...V3, OS_USERNAME: "" },
      ["OS_USERNAME or OS_USER_ID is required with a password"],
    ],
    [
      "no project",
      { ...V3, OS_PROJECT_NAME: "" },
      [
        "OS_PROJECT_NAME or OS_PROJECT_ID is required: the gateway's token must be scoped to a project to read the catalog and validate tokens",
      ],
    ],
    [
      "a bad interface",
      { ...V3, OS_INTERFACE: "private" },
      ['OS_INTERFACE must be public, internal or admin (got "private")'],
    ],
    [
      "a bad interface even without OpenStack",
      { OS_INTERFACE: "private" },
      ['OS_INTERFACE must be public, internal or admin (got "private")'],
    ],
    [
      "not http",
      { ...V3, OS_AUTH_URL: "ftp://keystone/v3" },
      ['OS_AUTH_URL must use http or https (got "ftp:")'],
    ],
    [
      "not a URL",
      { ...V3, OS_AUTH_URL: "keystone 5000" },
      ['OS_AUTH_URL must be an absolute http(s) URL such as http://keystone:5000/v3 (got "keystone 5000")'],
    ],
    [
      "a URL carrying credentials",
      { ...V3, OS_AUTH_URL: "http://gateway:s3cret-pass@keystone:5000/v3" },
      ["OS_AUTH_URL must not carry credentials, a query or a fragment"],
    ],
    [
      "an application credential without its secret",
      { ...V3, OS_PASSWORD: "", OS_APPLICATION_CREDENTIAL_ID: "ac1" },
      ["OS_APPLICATION_CREDENTIAL_SECRET is required with an application credential"],
    ],
    [
      "an application credential named without its user",
      {
        OS_AUTH_URL: "http://keystone:5000/v3",
        OS_APPLICATION_CREDENTIAL_NAME: "ac",
        OS_APPLICATION_CREDENTIAL_SECRET: "acs-123",
      },
      [
        "an application credential named by OS_APPLICATION_CREDENTIAL_NAME also needs OS_USERNAME or OS_USER_ID",
      ],
    ],
    [
      "v2.0 without a user or a key",
      { OS_AUTH_URL: "https://identity.example.com/v2.0" },
      [
        "OS_USERNAME is required with Identity v2.0",
        "OS_API_KEY or OS_PASSWORD is required with Identity v2.0",
      ],
    ],
    [
      "a clouds.yaml without a cloud named",
      { OS_CLIENT_CONFIG_FILE: "/etc/clouds.yaml" },
      ["OS_CLIENT_CONFIG_FILE is set but OS_CLOUD is not: set OS_CLOUD to the cloud to read"],
    ],
  ])("%s", (_, env, expected) => {
    expect(problems(env)).toEqual(expected);
  });
});

describe("OS_CLOUD and clouds.yaml", () => {
  const dir = mkdtempSync(join(tmpdir(), "clouds-"));
  const home = join(dir, "home");
  const cwd = join(dir, "work");
  mkdirSync(join(home, ".config", "openstack"), { recursive: true });
  mkdirSync(cwd, { recursive: true });
  const places = { cwd, home };
  const homeFile = join(home, ".config", "openstack", "clouds.yaml");
  writeFileSync(
    homeFile,
    [
      "clouds:",
      "  mycloud:",
      "    auth:",
      "      auth_url: http://10.0.0.5:5000/v3",
      "      username: svc",
      "      password: file-secret",
      "      project_name: service",
      "      user_domain_name: Users",
      "    region_name: RegionTwo",
      "    interface: internal",
      "  rax:",
      "    auth_type: rackspace_apikey",
      "    auth:",
      "      auth_url: https://identity.example.com/v2.0/",
      "      username: raxuser",
      "      api_key: rax-key",
      "    regions: [IAD, DFW]",
    ].join("\n"),
  );

  /** A clouds.yaml of its own in a fresh directory; returns its path. */
  function cloudsFile(name: string, ...lines: string[]): string {
    const directory = join(dir, name);
    mkdirSync(directory, { recursive: true });
    const path = join(directory, "clouds.yaml");
    writeFileSync(path, lines.join("\n"));
    return path;
  }

  it("reads ~/.config/openstack/clouds.yaml when ./clouds.yaml is absent", () => {
    const config = loadConfig({ OS_CLOUD: "mycloud" }, places);
    expect(config.openstack).toMatchObject({
      identityApi: "v3",
      regionName: "RegionTwo",
      interface: "internal",
      source: `clouds.yaml ${homeFile} (cloud mycloud)`,
    });
    expect(config.openstack?.authUrl.toString()).toBe("http://10.0.0.5:5000/v3/");
    expect(config.openstack?.credentials).toEqual({
      kind: "password",
      username: "svc",
      userId: null,
      password: "file-secret",
      userDomainName: "Users",
      userDomainId: null,
      projectName: "service",
      projectId: null,
      projectDomainName: null,
      projectDomainId: "default",
    });
    expect(config.osPasswordSet).toBe(false);
    expectNoSecretOutside(config);
  });

  it("OS_* variables beside OS_CLOUD win over the file, setting by setting", () => {
    const config = loadConfig(
      {
        OS_CLOUD: "mycloud",
        OS_PASSWORD: "env-secret",
        OS_REGION_NAME: "RegionOne",
        OS_INTERFACE: "admin",
        OS_TENANT_NAME: "other",
      },
      places,
    );
    expect(config.openstack).toMatchObject({ regionName: "RegionOne", interface: "admin" });
    expect(config.openstack?.credentials).toMatchObject({
      username: "svc",
      password: "env-secret",
      projectName: "other",
      userDomainName: "Users",
    });
    expectNoSecretOutside(config);
  });

  it("a Rackspace entry: v2.0 with its API key, the first of its regions", () => {
    const config = loadConfig({ OS_CLOUD: "rax" }, places);
    expect(config.openstack?.authUrl.toString()).toBe("https://identity.example.com/v2.0/");
    expect(config.openstack?.credentials).toEqual({ kind: "apiKey", username: "raxuser", apiKey: "rax-key" });
    expect(config.openstack?.regionName).toBe("IAD");
  });

  it("./clouds.yaml comes before the home one; OS_CLIENT_CONFIG_FILE replaces the search", () => {
    const local = join(cwd, "clouds.yaml");
    writeFileSync(
      local,
      "clouds:\n  mycloud:\n    auth:\n      auth_url: http://local:5000\n      username: l\n      password: p\n      project_id: abc\n",
    );
    expect(loadConfig({ OS_CLOUD: "mycloud" }, places).openstack?.source).toBe(
      `clouds.yaml ${local} (cloud mycloud)`,
    );
    for (const given of [
      homeFile,
      "~/.config/openstack/clouds.yaml",
      "../home/.config/openstack/clouds.yaml",
    ]) {
      expect(
        loadConfig({ OS_CLOUD: "mycloud", OS_CLIENT_CONFIG_FILE: given }, places).openstack?.source,
      ).toBe(`clouds.yaml ${homeFile} (cloud mycloud)`);
    }
  });

  it("secure.yaml beside clouds.yaml is merged over it", () => {
    const path = cloudsFile(
      "with-secure",
      "clouds:",
      "  c:",
      "    auth:",
      "      auth_url: http://keystone:5000/v3",
      "      username: svc",
      "      project_id: p1",
    );
    writeFileSync(
      join(dir, "with-secure", "secure.yaml"),
      "clouds:\n  c:\n    auth:\n      password: secure-pass\n",
    );
    const config = loadConfig({ OS_CLOUD: "c", OS_CLIENT_CONFIG_FILE: path }, places);
    expect(config.openstack?.credentials).toMatchObject({
      username: "svc",
      password: "secure-pass",
      projectId: "p1",
    });
    expectNoSecretOutside(config);
  });

  it("older and dashed spellings: tenant_name, domain_name, auth-url, region_name as a list", () => {
    const path = cloudsFile(
      "older",
      "clouds:",
      "  c:",
      "    auth:",
      "      auth-url: http://keystone:5000",
      "      username: svc",
      "      password: file-secret",
      "      tenant_name: legacy",
      "      domain_name: Corp",
      "    region_name: [RegionB, RegionC]",
      "    interface: internalURL",
    );
    const config = loadConfig({ OS_CLOUD: "c", OS_CLIENT_CONFIG_FILE: path }, places);
    expect(config.openstack).toMatchObject({ regionName: "RegionB", interface: "internal" });
    expect(config.openstack?.credentials).toMatchObject({
      projectName: "legacy",
      userDomainName: "Corp",
      userDomainId: null,
      projectDomainName: "Corp",
      projectDomainId: null,
    });
  });

  it("auth_type v3applicationcredential", () => {
    const path = cloudsFile(
      "app-credential",
      "clouds:",
      "  c:",
      "    auth_type: v3applicationcredential",
      "    auth:",
      "      auth_url: http://keystone:5000/v3",
      "      application_credential_id: ac1",
      "      application_credential_secret: acs-123",
      "  nosecret:",
      "    auth_type: v3applicationcredential",
      "    auth:",
      "      auth_url: http://keystone:5000/v3",
      "      application_credential_id: ac1",
      "      username: svc",
      "      password: file-secret",
    );
    const config = loadConfig({ OS_CLOUD: "c", OS_CLIENT_CONFIG_FILE: path }, places);
    expect(config.openstack?.credentials).toMatchObject({
      kind: "applicationCredential",
      id: "ac1",
      secret: "acs-123",
    });
    expectNoSecretOutside(config);
    expect(problems({ OS_CLOUD: "nosecret", OS_CLIENT_CONFIG_FILE: path }, places)).toEqual([
      `OS_APPLICATION_CREDENTIAL_SECRET (or auth.application_credential_secret in clouds.yaml ${path} (cloud nosecret)) is required with an application credential`,
    ]);
  });

  it("problems name the file, the key and the clouds it has, never a secret", () => {
    const path = cloudsFile(
      "problems",
      "clouds:",
      "  nourl:",
      "    auth:",
      "      username: svc",
      "      password: file-secret",
      "  nopassword:",
      "    auth:",
      "      auth_url: http://keystone:5000/v3",
      "      username: svc",
      "      project_name: service",
      "  totp:",
      "    auth_type: v3totp",
      "    auth:",
      "      auth_url: http://keystone:5000/v3",
      "  raxv3:",
      "    auth_type: rackspace_apikey",
      "    auth:",
      "      auth_url: http://keystone:5000/v3",
      "  v3v2:",
      "    auth_type: v3password",
      "    auth:",
      "      auth_url: https://identity.example.com/v2.0",
      "  badinterface:",
      "    interface: private",
      "    auth:",
      "      auth_url: http://keystone:5000/v3",
      "      username: svc",
      "      password: file-secret",
      "      project_name: service",
    );
    const source = (cloud: string): string => `clouds.yaml ${path} (cloud ${cloud})`;
    const at = (cloud: string): Record<string, string> => ({ OS_CLOUD: cloud, OS_CLIENT_CONFIG_FILE: path });
    expect(problems(at("nourl"), places)).toEqual([
      `OS_AUTH_URL (or auth.auth_url in ${source("nourl")}) is required`,
    ]);
    expect(problems(at("nopassword"), places)).toEqual([
      `OS_PASSWORD (or auth.password in ${source("nopassword")}) is required (or an application credential: OS_APPLICATION_CREDENTIAL_ID and OS_APPLICATION_CREDENTIAL_SECRET)`,
    ]);
    expect(problems(at("totp"), places)).toEqual([
      `auth_type v3totp in ${source("totp")} is not supported: use password, v3password, v3applicationcredential, v2password, rackspace_apikey, rackspace_password`,
    ]);
    expect(problems(at("raxv3"), places)).toEqual([
      `auth_type rackspace_apikey in ${source("raxv3")} is for Identity v2.0: OS_AUTH_URL (or auth.auth_url in ${source("raxv3")}) must end in /v2.0`,
    ]);
    expect(problems(at("v3v2"), places)).toEqual([
      `auth_type v3password in ${source("v3v2")} is for Identity v3, but OS_AUTH_URL (or auth.auth_url in ${source("v3v2")}) ends in /v2.0`,
    ]);
    expect(problems(at("badinterface"), places)).toEqual([
      `interface in ${source("badinterface")} must be public, internal or admin (got "private")`,
    ]);
    expect(problems({ OS_CLOUD: "other", OS_CLIENT_CONFIG_FILE: homeFile }, places)).toEqual([
      `${homeFile} has no cloud other; it has mycloud, rax`,
    ]);
    expect(problems({ OS_CLOUD: "mycloud" }, nowhere)).toEqual([
      "OS_CLOUD is mycloud, but no clouds.yaml was found (looked for /nonexistent/cwd/clouds.yaml, /nonexistent/home/.config/openstack/clouds.yaml, /etc/openstack/clouds.yaml)",
    ]);
    expect(problems({ OS_CLOUD: "mycloud", OS_CLIENT_CONFIG_FILE: "missing.yaml" }, places)).toEqual([
      `OS_CLIENT_CONFIG_FILE names ${join(cwd, "missing.yaml")}, which does not exist`,
    ]);
    expect(problems({ OS_CLOUD: "mycloud", OS_CLIENT_CONFIG_FILE: dir }, places)).toEqual([
      `${dir} cannot be read (EISDIR)`,
    ]);
    const empty = cloudsFile("empty", "other: {}");
    expect(problems({ OS_CLOUD: "c", OS_CLIENT_CONFIG_FILE: empty }, places)).toEqual([
      `${empty} has no clouds: mapping`,
    ]);
  });

  it.each([
    ["unclosed", ["clouds: [unclosed"], "BAD_INDENT at line 1, column 18"],
    [
      "an alias",
      ["clouds:", "  c:", "    auth:", "      password: *s3cret-pass"],
      "an alias names no anchor (quote a value that starts with !, & or *)",
    ],
    [
      "a tag",
      ["clouds:", "  c:", "    auth:", "      password: !s3cret-pass"],
      "TAG_RESOLVE_FAILED at line 4, column 17 (quote a value that starts with !, & or *)",
    ],
    [
      "a bad escape",
      ["clouds:", "  c:", "    auth:", '      password: "s3cret-pass\\q"'],
      "BAD_DQ_ESCAPE at line 4, column 29",
    ],
  ])("invalid YAML (%s): the file, line and column, never its text", (name, lines, why) => {
    const path = cloudsFile(`invalid-${name.replaceAll(" ", "-")}`, ...lines);
    expect(problems({ OS_CLOUD: "c", OS_CLIENT_CONFIG_FILE: path }, places)).toEqual([
      `${path} is not valid YAML: ${why}`,
    ]);
  });
});
