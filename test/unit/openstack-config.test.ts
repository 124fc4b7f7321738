/** OS_* settings and clouds.yaml, through loadConfig, as openstack client users write them. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

const nowhere = { cwd: "/nonexistent/cwd", home: "/nonexistent/home" };

function problems(env: Record<string, string>, places = nowhere): readonly string[] {
  try {
    loadConfig(env, places);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
  return [];
}

const V3 = {
  OS_AUTH_URL: "http://127.0.0.1:5000/v3",
  OS_USERNAME: "gateway",
  OS_PASSWORD: "s3cret-pass",
  OS_PROJECT_NAME: "service",
};

describe("OpenStack settings from the environment", () => {
  it("none at all: no OpenStack (npm start keeps its emulator)", () => {
    expect(loadConfig({}, nowhere).openstack).toBeNull();
  });

  it("a v3 password: the default domain by id, public interface, the secret kept out of JSON", () => {
    const config = loadConfig({ ...V3, OS_REGION_NAME: "RegionTwo" }, nowhere);
    expect(config.openstack).toMatchObject({
      identityApi: "v3",
      regionName: "RegionTwo",
      interface: "public",
      source: "environment",
    });
    expect(config.openstack?.authUrl.toString()).toBe("http://127.0.0.1:5000/v3");
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
    expect(JSON.stringify(config)).not.toContain("s3cret-pass");
  });

  it.each([
    ["http://keystone:5000", "http://keystone:5000/v3", "v3"],
    ["http://host/identity/", "http://host/identity/v3", "v3"],
    ["https://identity.example.com/v2.0/", "https://identity.example.com/v2.0", "v2.0"],
  ])("auth URL %s is %s (%s)", (given, url, api) => {
    const config = loadConfig({ ...V3, OS_AUTH_URL: given, OS_API_KEY: "k" }, nowhere);
    expect(config.openstack?.authUrl.toString()).toBe(url);
    expect(config.openstack?.identityApi).toBe(api);
  });

  it("Rackspace: a v2.0 URL with an API key", () => {
    const config = loadConfig(
      { OS_AUTH_URL: "https://identity.example.com/v2.0", OS_USERNAME: "me", OS_API_KEY: "0123abcd" },
      nowhere,
    );
    expect(config.openstack?.credentials).toEqual({ kind: "apiKey", username: "me", apiKey: "0123abcd" });
  });

  it("an application credential wins over a password", () => {
    const config = loadConfig(
      { ...V3, OS_APPLICATION_CREDENTIAL_ID: "ac1", OS_APPLICATION_CREDENTIAL_SECRET: "acs" },
      nowhere,
    );
    expect(config.openstack?.credentials).toMatchObject({
      kind: "applicationCredential",
      id: "ac1",
      secret: "acs",
    });
  });

  it("every problem named, no secret in any message", () => {
    expect(problems({ OS_USERNAME: "gateway", OS_PASSWORD: "pw-123" })).toEqual([
      "OS_USERNAME is set but OS_AUTH_URL is not: set both, or OS_CLOUD",
    ]);
    expect(problems({ ...V3, OS_PASSWORD: "" })).toEqual([
      "OS_PASSWORD is required (or an application credential: OS_APPLICATION_CREDENTIAL_ID and OS_APPLICATION_CREDENTIAL_SECRET)",
    ]);
    expect(problems({ ...V3, OS_PROJECT_NAME: "" })).toEqual([
      "OS_PROJECT_NAME or OS_PROJECT_ID is required: the gateway's token must be scoped to a project to read the catalog and validate tokens",
    ]);
    expect(problems({ ...V3, OS_INTERFACE: "private" })).toEqual([
      'OS_INTERFACE must be public, internal or admin (got "private")',
    ]);
    expect(problems({ ...V3, OS_AUTH_URL: "ftp://keystone/v3" })).toEqual([
      'OS_AUTH_URL must use http or https (got "ftp:")',
    ]);
    expect(problems({ ...V3, OS_APPLICATION_CREDENTIAL_ID: "ac1" })).toEqual([
      "OS_APPLICATION_CREDENTIAL_SECRET is required with an application credential",
    ]);
    expect(problems({ ...V3, OS_AUTH_URL: "https://id.example/v2.0", OS_API_KEY: "" }).join()).not.toContain(
      "s3cret-pass",
    );
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

  it("reads ~/.config/openstack/clouds.yaml when ./clouds.yaml is absent", () => {
    const config = loadConfig({ OS_CLOUD: "mycloud" }, places);
    expect(config.openstack).toMatchObject({
      identityApi: "v3",
      regionName: "RegionTwo",
      interface: "internal",
      source: `clouds.yaml ${homeFile} (cloud mycloud)`,
    });
    expect(config.openstack?.credentials).toMatchObject({
      username: "svc",
      password: "file-secret",
      userDomainName: "Users",
      userDomainId: null,
    });
  });

  it("OS_* variables beside OS_CLOUD win over the file", () => {
    const config = loadConfig(
      { OS_CLOUD: "mycloud", OS_PASSWORD: "env-secret", OS_REGION_NAME: "RegionOne" },
      places,
    );
    expect(config.openstack?.regionName).toBe("RegionOne");
    expect(config.openstack?.credentials).toMatchObject({ password: "env-secret" });
  });

  it("a Rackspace entry: v2.0 with its API key, the first of its regions", () => {
    const config = loadConfig({ OS_CLOUD: "rax" }, places);
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
    expect(
      loadConfig({ OS_CLOUD: "mycloud", OS_CLIENT_CONFIG_FILE: homeFile }, places).openstack?.source,
    ).toBe(`clouds.yaml ${homeFile} (cloud mycloud)`);
  });

  it("problems name the file and the clouds it has", () => {
    expect(problems({ OS_CLOUD: "other", OS_CLIENT_CONFIG_FILE: homeFile }, places)).toEqual([
      `${homeFile} has no cloud other; it has mycloud, rax`,
    ]);
    expect(problems({ OS_CLOUD: "mycloud" }, nowhere)).toEqual([
      "OS_CLOUD is mycloud, but no clouds.yaml was found (looked for /nonexistent/cwd/clouds.yaml, /nonexistent/home/.config/openstack/clouds.yaml, /etc/openstack/clouds.yaml)",
    ]);
    const broken = join(dir, "broken.yaml");
    writeFileSync(broken, "clouds: [unclosed");
    expect(problems({ OS_CLOUD: "mycloud", OS_CLIENT_CONFIG_FILE: broken }, places)[0]).toMatch(
      new RegExp(`^${broken} is not valid YAML: `),
    );
  });
});
