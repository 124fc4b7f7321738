/**
 * REST-level scenarios of the Images API v2 members API, played against a real Glance (legacy
 * policy) and against the embedded emulator by `differential.glance.test.ts`, which compares the
 * answers. They cover every case of the members API: who may call what on images of each
 * visibility, the bodies Glance refuses, the quota, image listings, versions, methods and error formats.
 *
 * Placeholders, replaced before sending:
 * - `{A}` `{B}` `{C}` `{D}` `{ADMIN}`: fresh project ids, new for every scenario;
 * - `{i1}`, `{i2}`, …: the images the scenario created, in order of creation (`{I1}`: upper-case);
 * - `{x}`: a well-formed image id that exists nowhere.
 */

/** Who sends a request: a project with the roles member and reader; `ADMIN` and `A+admin` add admin. */
export type Actor = "A" | "B" | "C" | "D" | "ADMIN" | "A+admin" | "anonymous";

export const PROJECTS = ["A", "B", "C", "D", "ADMIN"] as const;
export type Project = (typeof PROJECTS)[number];

export const MISSING_IMAGE = "11111111-2222-3333-4444-555555555555";

export interface RestStep {
  as: Actor;
  method: string;
  /** Request-target with placeholders; already percent-encoded where needed. */
  path: string;
  /** A JSON body (serialised, then placeholders replaced). */
  json?: unknown;
  /** A body sent as is (after placeholders); `""` sends an empty body with `Content-Length: 0`. */
  raw?: string;
  /**
   * Headers over the defaults (`Accept: application/json`, the actor's identity headers, and
   * `Content-Type: application/json` with a body). `null` leaves a default header out.
   */
  headers?: Record<string, string | null>;
  /** A 201 answer's `id` becomes the next image placeholder. */
  createsImage?: boolean;
}

export interface RestScenario {
  name: string;
  /** image_member_quota of both sides: Glance's default 128, or the small-quota instance's 3. */
  quota?: "default" | "small";
  steps: RestStep[];
}

/**
 * A difference between Glance's answers and the emulator's, recorded so the suite stays exact: each
 * listed step must differ in exactly these parts with exactly these statuses (and every other step
 * must be equal). A recorded difference that goes away fails the suite too, so its entry is removed
 * once the emulator answers as Glance does.
 */
export interface RecordedDifference {
  /** Glance's answer, then the emulator's, and why they differ. */
  summary: string;
  /** The steps that show it: scenario name and step index. */
  steps: ReadonlyArray<readonly [scenario: string, step: number]>;
  /** The parts that differ: "status", "body", "header <name>" (lower-case), sorted. */
  differs: readonly string[];
  status: { glance: number; emulator: number };
}

// --- builders ---------------------------------------------------------------------------------

const JSON_PATCH = "application/openstack-images-v2.1-json-patch";

type StepOptions = Omit<RestStep, "as" | "method" | "path">;

const call =
  (method: string) =>
  (as: Actor, path: string, options: StepOptions = {}): RestStep => ({ as, method, path, ...options });

const get = call("GET");
const post = call("POST");
const put = call("PUT");
const del = call("DELETE");

const members = (image: number): string => `/v2/images/{i${image}}/members`;
const member = (image: number, memberSegment: string): string => `${members(image)}/${memberSegment}`;

/** POST /v2/images: metadata only; `null` visibility leaves the field out. */
function image(
  as: Actor,
  visibility: "shared" | "private" | "public" | "community" | null = "shared",
  options: { name?: string; headers?: Record<string, string | null> } = {},
): RestStep {
  const json: Record<string, unknown> = {
    name: options.name ?? "differential",
    disk_format: "raw",
    container_format: "bare",
  };
  if (visibility !== null) {
    json.visibility = visibility;
  }
  return post(as, "/v2/images", { json, createsImage: true, headers: options.headers });
}

const share = (as: Actor, img: number, memberId: unknown): RestStep =>
  post(as, members(img), { json: { member: memberId } });
const respond = (as: Actor, img: number, memberId: string, status: unknown): RestStep =>
  put(as, member(img, memberId), { json: { status } });
const setVisibility = (as: Actor, img: number, visibility: string): RestStep => ({
  as,
  method: "PATCH",
  path: `/v2/images/{i${img}}`,
  json: [{ op: "replace", path: "/visibility", value: visibility }],
  headers: { "Content-Type": JSON_PATCH },
});

const withAccept = (step: RestStep, accept: string | null): RestStep => ({
  ...step,
  headers: { ...step.headers, Accept: accept },
});

const LONG_255 = "m".repeat(255);
const LONG_300 = "l".repeat(300);

// --- the scenarios ----------------------------------------------------------------------------

export const restScenarios: RestScenario[] = [
  // Images: the set-up every member case relies on.
  { name: "img-create-shared", steps: [image("A", "shared"), get("A", "/v2/images/{i1}")] },
  { name: "img-create-private", steps: [image("A", "private"), get("A", "/v2/images/{i1}")] },
  { name: "img-create-public-as-member", steps: [image("A", "public")] },
  {
    name: "img-create-public-as-admin",
    steps: [image("A+admin", "public"), get("B", "/v2/images/{i1}")],
  },
  { name: "img-create-community", steps: [image("A", "community"), get("C", "/v2/images/{i1}")] },
  { name: "img-create-default-visibility", steps: [image("A", null), get("A", "/v2/images/{i1}")] },
  {
    name: "img-create-reader-only-and-no-roles",
    steps: [
      image("A", "shared", { headers: { "X-Roles": "reader" } }),
      image("A", "shared", { headers: { "X-Roles": "" } }),
    ],
  },
  {
    name: "img-create-tenant-id-header",
    steps: [
      image("anonymous", "shared", { headers: { "X-Identity-Status": "Confirmed", "X-Tenant-Id": "{A}" } }),
      get("A", "/v2/images/{i1}"),
    ],
  },
  {
    name: "img-create-no-project",
    steps: [
      image("anonymous", "shared", { headers: { "X-Identity-Status": "Confirmed", "X-Roles": "member" } }),
    ],
  },
  { name: "img-get-as-stranger", steps: [image("A"), get("B", "/v2/images/{i1}")] },
  { name: "img-get-missing", steps: [get("A", "/v2/images/{x}")] },
  {
    name: "img-delete-then-members",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      del("A", "/v2/images/{i1}"),
      get("A", members(1)),
      share("A", 1, "{C}"),
      get("B", "/v2/images/{i1}"),
      del("A", "/v2/images/{i1}"),
    ],
  },

  // POST /v2/images/{id}/members
  { name: "mem-add-and-duplicate", steps: [image("A"), share("A", 1, "{B}"), share("A", 1, "{B}")] },
  {
    name: "mem-add-by-member",
    steps: [image("A"), share("A", 1, "{B}"), share("B", 1, "{C}"), share("B", 1, "{B}")],
  },
  { name: "mem-add-by-stranger", steps: [image("A"), share("C", 1, "{C}")] },
  ...(["private", "public", "community"] as const).map((visibility): RestScenario => ({
    name: `mem-calls-on-${visibility}-image`,
    steps: [
      image(visibility === "public" ? "A+admin" : "A", visibility),
      share("A", 1, "{B}"),
      get("A", members(1)),
      get("A", member(1, "{B}")),
      respond("B", 1, "{B}", "accepted"),
      del("A", member(1, "{B}")),
      share("ADMIN", 1, "{B}"),
    ],
  })),
  {
    name: "mem-add-by-stranger-on-visible-images",
    steps: [
      image("A+admin", "public"),
      image("A", "community"),
      share("C", 1, "{C}"),
      share("C", 2, "{C}"),
      get("C", members(1)),
      get("C", member(2, "{C}")),
    ],
  },
  { name: "mem-add-default-visibility-image", steps: [image("A", null), share("A", 1, "{B}")] },
  {
    name: "mem-add-missing-and-malformed-image",
    steps: [
      post("A", "/v2/images/{x}/members", { json: { member: "{B}" } }),
      post("A", "/v2/images/not-a-uuid/members", { json: { member: "{B}" } }),
    ],
  },
  { name: "mem-add-owner-self", steps: [image("A"), share("A", 1, "{A}"), get("A", members(1))] },
  {
    name: "mem-add-by-admin",
    steps: [image("A"), share("ADMIN", 1, "{D}"), get("A", members(1)), get("D", "/v2/images/{i1}")],
  },
  {
    name: "mem-add-roles-ignored-by-legacy-policy",
    steps: [
      image("A"),
      post("A", members(1), { json: { member: "{B}" }, headers: { "X-Roles": "reader" } }),
      post("A", members(1), { json: { member: "{C}" }, headers: { "X-Roles": "" } }),
    ],
  },
  {
    name: "mem-add-without-body",
    steps: [
      image("A"),
      post("A", members(1)),
      post("A", members(1), { raw: "" }),
      post("A", members(1), { raw: "", headers: { "Content-Type": null } }),
    ],
  },
  {
    name: "mem-add-body-without-member",
    steps: [
      image("A"),
      post("A", members(1), { json: { Member: "{B}" } }),
      post("A", members(1), { json: {} }),
      post("A", members(1), { json: { member_id: "{B}" } }),
    ],
  },
  {
    name: "mem-add-body-not-an-object",
    steps: [
      image("A"),
      post("A", members(1), { raw: '{"member": ' }),
      post("A", members(1), { json: ["{B}"] }),
      post("A", members(1), { json: "{B}" }),
      post("A", members(1), { json: 42 }),
      post("A", members(1), { json: null }),
    ],
  },
  {
    name: "mem-add-content-type-ignored",
    steps: [
      image("A"),
      post("A", members(1), { json: { member: "{B}" }, headers: { "Content-Type": "text/plain" } }),
      post("A", members(1), { json: { member: "{C}" }, headers: { "Content-Type": "application/xml" } }),
      post("A", members(1), { json: { member: "{D}" }, headers: { "Content-Type": null } }),
      get("A", members(1)),
    ],
  },
  {
    name: "mem-add-xml-and-form-bodies",
    steps: [
      image("A"),
      post("A", members(1), { raw: "<member>{B}</member>", headers: { "Content-Type": "application/xml" } }),
      post("A", members(1), {
        raw: "member={B}",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }),
    ],
  },
  {
    name: "mem-add-empty-members",
    steps: [
      image("A"),
      share("A", 1, ""),
      share("A", 1, null),
      share("A", 1, 0),
      share("A", 1, false),
      share("A", 1, []),
    ],
  },
  {
    name: "mem-add-whitespace-member",
    steps: [image("A"), share("A", 1, " "), get("A", member(1, "%20")), get("A", members(1))],
  },
  {
    name: "mem-add-number-and-boolean-members",
    steps: [
      image("A"),
      share("A", 1, 123),
      get("A", member(1, "123")),
      share("A", 1, true),
      share("A", 1, 1.5),
      get("A", members(1)),
      share("A", 1, "123"),
    ],
  },
  { name: "mem-add-object-member", steps: [image("A"), share("A", 1, { id: "x" }), get("A", members(1))] },
  { name: "mem-add-list-member", steps: [image("A"), share("A", 1, ["x"]), get("A", members(1))] },
  {
    name: "mem-add-extra-fields",
    steps: [image("A"), post("A", members(1), { json: { member: "{B}", status: "accepted", foo: "bar" } })],
  },
  {
    name: "mem-add-long-ids",
    steps: [
      image("A"),
      share("A", 1, LONG_255),
      get("A", member(1, LONG_255)),
      share("A", 1, LONG_300),
      get("A", member(1, LONG_300)),
    ],
  },
  {
    name: "mem-add-unicode-and-slash",
    steps: [
      image("A"),
      share("A", 1, "pröj-ü"),
      share("A", 1, "a/b"),
      share("A", 1, "日本"),
      get("A", members(1)),
    ],
  },
  {
    name: "mem-path-unicode-member",
    steps: [image("A"), share("A", 1, "pröj-ü"), get("A", member(1, encodeURIComponent("pröj-ü")))],
  },
  {
    name: "mem-path-invalid-utf8",
    steps: [image("A"), get("A", member(1, "%FF"))],
  },
  {
    name: "mem-path-encoded-slash",
    steps: [image("A"), share("A", 1, "a/b"), get("A", member(1, "a%2Fb")), del("A", member(1, "a%2Fb"))],
  },
  { name: "mem-add-four-byte-unicode", steps: [image("A"), share("A", 1, "emoji-😀"), get("A", members(1))] },
  {
    name: "mem-add-body-checked-before-image",
    steps: [
      post("A", "/v2/images/{x}/members", { json: {} }),
      post("A", "/v2/images/{x}/members", { json: { member: "" } }),
      post("A", "/v2/images/{x}/members"),
    ],
  },
  {
    name: "mem-readd-after-delete-starts-pending",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      respond("B", 1, "{B}", "accepted"),
      del("A", member(1, "{B}")),
      get("B", member(1, "{B}")),
      share("A", 1, "{B}"),
      get("B", member(1, "{B}")),
    ],
  },

  // The member quota (the small-quota Glance: 3).
  {
    name: "quota-fourth-member",
    quota: "small",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      share("A", 1, "{C}"),
      share("A", 1, "{D}"),
      share("A", 1, "q-4"),
    ],
  },
  {
    name: "quota-admin-not-exempt",
    quota: "small",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      share("A", 1, "{C}"),
      share("A", 1, "{D}"),
      share("ADMIN", 1, "q-4"),
    ],
  },
  {
    name: "quota-counts-rejected-members",
    quota: "small",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      share("A", 1, "{C}"),
      share("A", 1, "{D}"),
      respond("B", 1, "{B}", "rejected"),
      share("A", 1, "q-4"),
    ],
  },
  {
    name: "quota-freed-by-delete",
    quota: "small",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      share("A", 1, "{C}"),
      share("A", 1, "{D}"),
      del("A", member(1, "{B}")),
      share("A", 1, "q-4"),
      share("A", 1, "{B}"),
    ],
  },
  {
    name: "quota-checked-before-duplicate",
    quota: "small",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      share("A", 1, "{C}"),
      share("A", 1, "{B}"),
      share("A", 1, "{D}"),
      share("A", 1, "{B}"),
    ],
  },

  // GET /v2/images/{id}/members and …/members/{member}
  { name: "mem-list-empty", steps: [image("A"), get("A", members(1))] },
  {
    name: "mem-list-owner",
    steps: [image("A"), share("A", 1, "{B}"), share("A", 1, "{A}"), get("A", members(1))],
  },
  {
    name: "mem-list-member-sees-own-row",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      share("A", 1, "{C}"),
      get("B", members(1)),
      respond("B", 1, "{B}", "rejected"),
      get("B", members(1)),
      get("C", members(1)),
    ],
  },
  {
    name: "mem-list-stranger-and-admin",
    steps: [image("A"), share("A", 1, "{B}"), get("D", members(1)), get("ADMIN", members(1))],
  },
  {
    name: "mem-list-missing-image",
    steps: [get("A", "/v2/images/{x}/members"), get("A", "/v2/images/{x}/members/{B}")],
  },
  {
    name: "mem-show-who-sees-what",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      share("A", 1, "{C}"),
      get("A", member(1, "{B}")),
      get("B", member(1, "{B}")),
      get("C", member(1, "{B}")),
      get("D", member(1, "{B}")),
      get("D", member(1, "{D}")),
      get("A", member(1, "{D}")),
      get("ADMIN", member(1, "{C}")),
    ],
  },
  {
    name: "mem-get-and-delete-with-body",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      get("A", members(1), { json: {} }),
      get("A", member(1, "{B}"), { raw: "x" }),
      del("A", member(1, "{B}"), { json: { member: "{B}" } }),
      get("A", members(1), { raw: "" }),
    ],
  },

  // PUT /v2/images/{id}/members/{member}
  {
    name: "put-status-lifecycle",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      respond("B", 1, "{B}", "accepted"),
      respond("B", 1, "{B}", "rejected"),
      respond("B", 1, "{B}", "pending"),
      respond("B", 1, "{B}", "pending"),
      respond("B", 1, "{B}", "accepted"),
      get("A", members(1)),
    ],
  },
  {
    name: "put-by-owner",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      respond("A", 1, "{B}", "accepted"),
      respond("A", 1, "{D}", "accepted"),
      respond("A", 1, "{B}", "bogus"),
    ],
  },
  {
    name: "put-by-stranger",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      respond("C", 1, "{B}", "accepted"),
      respond("C", 1, "{C}", "accepted"),
    ],
  },
  {
    name: "put-other-members-status",
    steps: [image("A"), share("A", 1, "{B}"), share("A", 1, "{C}"), respond("B", 1, "{C}", "accepted")],
  },
  {
    name: "put-bad-status-values",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      respond("B", 1, "{B}", "bogus"),
      respond("B", 1, "{B}", ""),
      respond("B", 1, "{B}", 1),
      respond("B", 1, "{B}", null),
      respond("B", 1, "{B}", "ACCEPTED"),
      respond("B", 1, "{B}", ["accepted"]),
    ],
  },
  {
    name: "put-bad-bodies",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      put("B", member(1, "{B}"), { json: {} }),
      put("B", member(1, "{B}")),
      put("B", member(1, "{B}"), { raw: '{"status":' }),
      put("B", member(1, "{B}"), { json: ["accepted"] }),
      put("B", member(1, "{B}"), { json: "accepted" }),
      put("B", member(1, "{B}"), { raw: "", headers: { "Content-Type": "text/plain" } }),
    ],
  },
  {
    name: "put-extra-fields",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      put("B", member(1, "{B}"), { json: { status: "accepted", member_id: "{C}", foo: 1 } }),
    ],
  },
  {
    name: "put-by-admin",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      respond("ADMIN", 1, "{B}", "accepted"),
      respond("ADMIN", 1, "{D}", "accepted"),
    ],
  },
  {
    name: "put-missing-and-private-images",
    steps: [
      image("A", "private"),
      respond("B", 1, "{B}", "accepted"),
      put("B", "/v2/images/{x}/members/{B}", { json: { status: "accepted" } }),
      put("B", "/v2/images/{x}/members/{B}", { json: { status: "bogus" } }),
      put("B", "/v2/images/{x}/members/{B}", { json: {} }),
    ],
  },

  // DELETE /v2/images/{id}/members/{member}
  {
    name: "del-rules",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      share("A", 1, "{C}"),
      del("B", member(1, "{B}")),
      del("B", member(1, "{C}")),
      del("D", member(1, "{B}")),
      del("A", member(1, "{B}")),
      del("A", member(1, "{B}")),
      del("ADMIN", member(1, "{C}")),
      get("A", members(1)),
      get("B", "/v2/images/{i1}"),
    ],
  },
  {
    name: "del-missing-member-and-image",
    steps: [image("A"), del("A", member(1, "{D}")), del("A", "/v2/images/{x}/members/{B}")],
  },

  // How members see images: GET /v2/images and GET /v2/images/{id}
  {
    name: "list-as-pending-member",
    steps: [
      image("A"),
      image("A+admin", "public"),
      share("A", 1, "{B}"),
      get("B", "/v2/images?owner={A}"),
      get("B", "/v2/images?visibility=shared"),
      get("B", "/v2/images?visibility=shared&member_status=pending"),
      get("B", "/v2/images?visibility=shared&member_status=all"),
      get("B", "/v2/images?member_status=pending&owner={A}"),
      get("B", "/v2/images/{i1}"),
    ],
  },
  {
    name: "list-as-accepted-member",
    steps: [
      image("A"),
      image("A+admin", "public"),
      share("A", 1, "{B}"),
      respond("B", 1, "{B}", "accepted"),
      get("B", "/v2/images?owner={A}"),
      get("B", "/v2/images?visibility=shared"),
      get("B", "/v2/images?visibility=shared&member_status=accepted"),
      get("B", "/v2/images?visibility=shared&member_status=pending"),
    ],
  },
  {
    name: "list-as-rejected-member",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      respond("B", 1, "{B}", "rejected"),
      get("B", "/v2/images?owner={A}"),
      get("B", "/v2/images?visibility=shared&member_status=rejected"),
      get("B", "/v2/images?visibility=shared&member_status=all"),
      get("B", "/v2/images/{i1}"),
    ],
  },
  {
    name: "list-own-shared-images",
    steps: [
      image("A"),
      image("A", "private"),
      image("B"),
      share("B", 3, "{A}"),
      get("A", "/v2/images?visibility=shared"),
      get("A", "/v2/images?visibility=shared&member_status=pending"),
      get("A", "/v2/images?visibility=private"),
      get("A", "/v2/images?owner={A}"),
    ],
  },
  {
    name: "list-member-status-bad-values",
    steps: [
      get("B", "/v2/images?visibility=shared&member_status=bogus"),
      get("B", "/v2/images?visibility=shared&member_status=ACCEPTED"),
      get("B", "/v2/images?visibility=bogus"),
    ],
  },
  {
    name: "list-pages",
    steps: [
      image("A", "shared", { name: "p1" }),
      image("A", "shared", { name: "p2" }),
      image("A", "shared", { name: "p3" }),
      image("A", "shared", { name: "p4" }),
      image("A", "shared", { name: "p5" }),
      share("A", 1, "{B}"),
      share("A", 2, "{B}"),
      share("A", 3, "{B}"),
      share("A", 4, "{B}"),
      share("A", 5, "{B}"),
      get("B", "/v2/images?visibility=shared&member_status=all&limit=2"),
      get("B", "/v2/images?visibility=shared&member_status=all&limit=2&marker={i4}"),
      get("B", "/v2/images?visibility=shared&member_status=all&limit=2&marker={i2}"),
      get("B", "/v2/images?visibility=shared&member_status=all&limit=1&marker={i1}"),
      get("B", "/v2/images?visibility=shared&member_status=all&sort_key=name&sort_dir=asc&limit=3"),
      get("B", "/v2/images?visibility=shared&member_status=all&sort=name:desc&limit=2"),
    ],
  },
  {
    name: "list-bad-paging-parameters",
    steps: [
      image("A"),
      get("A", "/v2/images?owner={A}&limit=-1"),
      get("A", "/v2/images?owner={A}&limit=abc"),
      get("A", "/v2/images?owner={A}&marker={x}"),
      get("A", "/v2/images?owner={A}&sort_dir=sideways"),
      get("A", "/v2/images?owner={A}&sort_key=bogus"),
      get("A", "/v2/images?owner={A}&limit=0"),
    ],
  },
  {
    name: "list-marker-not-visible",
    steps: [image("A", "private"), get("B", "/v2/images?visibility=shared&marker={i1}")],
  },
  {
    name: "list-community-and-admin",
    steps: [
      image("A", "community"),
      image("A", "private"),
      image("A"),
      get("C", "/v2/images?owner={A}"),
      get("C", "/v2/images?visibility=community&owner={A}"),
      get("ADMIN", "/v2/images?owner={A}"),
      get("ADMIN", "/v2/images?owner={A}&visibility=shared&member_status=accepted"),
    ],
  },
  {
    name: "image-read-by-member-in-any-status",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      get("B", "/v2/images/{i1}"),
      respond("B", 1, "{B}", "rejected"),
      get("B", "/v2/images/{i1}"),
      del("A", member(1, "{B}")),
      get("B", "/v2/images/{i1}"),
    ],
  },
  {
    name: "visibility-flip-keeps-members",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      respond("B", 1, "{B}", "accepted"),
      setVisibility("A", 1, "private"),
      get("A", members(1)),
      get("B", "/v2/images/{i1}"),
      get("B", member(1, "{B}")),
      setVisibility("A", 1, "shared"),
      get("A", members(1)),
      get("B", "/v2/images/{i1}"),
    ],
  },

  // Schemas, versions, paths
  { name: "schema-member", steps: [get("A", "/v2/schemas/member"), get("A", "/v2/schemas/members")] },
  { name: "schema-image", steps: [get("A", "/v2/schemas/image"), get("A", "/v2/schemas/images")] },
  { name: "schema-without-identity", steps: [get("anonymous", "/v2/schemas/member")] },
  {
    name: "version-documents",
    steps: [
      get("anonymous", "/"),
      get("anonymous", "/versions"),
      get("A", "/versions"),
      withAccept(get("anonymous", "/versions"), "text/html"),
    ],
  },
  {
    name: "version-v1-and-v3-gone",
    steps: [
      get("A", "/v1/images/{x}/members"),
      get("A", "/v1/images"),
      get("A", "/v3/images"),
      get("anonymous", "/v1/shared-images/{B}"),
    ],
  },
  {
    name: "version-v2-root",
    steps: [get("A", "/v2"), get("A", "/v2/"), get("anonymous", "/v2"), get("anonymous", "/v2/")],
  },
  {
    name: "version-minor-in-path",
    steps: [
      image("A"),
      get("A", "/v2.15/images?owner={A}"),
      get("A", "/v2.1/images/{i1}/members"),
      get("A", "/v2.19/images"),
    ],
  },
  { name: "healthcheck", steps: [get("anonymous", "/healthcheck"), get("A", "/healthcheck")] },
  { name: "unknown-v2-paths", steps: [get("A", "/v2/nothing"), get("A", "/v2/images/{x}/nothing")] },
  {
    name: "member-paths-odd-forms",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      get("A", `${members(1)}/`),
      get("A", `${members(1)}?limit=1&member_status=bogus`),
      get("A", `${member(1, "{B}")}/`),
      get("A", "/v2/images/{I1}/members"),
      get("A", "//v2/images/{i1}/members"),
      { as: "A", method: "HEAD", path: member(1, "{B}") },
    ],
  },

  // Identity
  {
    name: "no-identity",
    steps: [
      get("anonymous", "/v2/images"),
      get("A", "/v2/images?owner={A}", { headers: { "X-Identity-Status": null } }),
      get("A", "/v2/images?owner={A}", { headers: { "X-Identity-Status": "Invalid" } }),
      post("anonymous", "/v2/images/{x}/members", { json: { member: "{B}" } }),
    ],
  },
  {
    name: "no-identity-status-on-member-calls",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      get("A", members(1), { headers: { "X-Identity-Status": null } }),
      post("A", members(1), { json: { member: "{C}" }, headers: { "X-Identity-Status": null } }),
    ],
  },
  {
    name: "roles-are-case-insensitive",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      get("A", members(1), { headers: { "X-Roles": "ADMIN" } }),
      get("C", members(1), { headers: { "X-Roles": "Admin" } }),
    ],
  },

  // Methods
  {
    name: "wrong-methods-on-members",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      { as: "A", method: "PATCH", path: members(1), json: {} },
      put("A", members(1), { json: {} }),
      del("A", members(1)),
      post("A", member(1, "{B}"), { json: { member: "{B}" } }),
      { as: "A", method: "PATCH", path: member(1, "{B}"), json: {} },
      { as: "A", method: "HEAD", path: members(1) },
      { as: "A", method: "OPTIONS", path: member(1, "{B}") },
    ],
  },
  { name: "options-without-identity", steps: [{ as: "anonymous", method: "OPTIONS", path: "/v2/images" }] },
  {
    name: "wrong-methods-on-missing-image",
    steps: [
      put("A", "/v2/images/{x}/members", { json: {} }),
      post("A", "/v2/images/{x}/members/{B}", { json: {} }),
    ],
  },

  // Request ids
  {
    name: "request-ids-echoed",
    steps: [
      get("A", "/v2/images/{x}", { headers: { "X-Openstack-Request-Id": "my-trace-id-42" } }),
      get("A", "/v2/images/{x}", { headers: { "X-Openstack-Request-Id": "req-my-own" } }),
      get("A", "/v2/images/{x}", { headers: { "X-Openstack-Request-Id": `req-${"7".repeat(60)}` } }),
      get("A", "/v2/images/{x}", { headers: { "X-Openstack-Request-Id": "r".repeat(64) } }),
    ],
  },
  {
    name: "request-id-too-long",
    steps: [get("A", "/v2/images/{x}", { headers: { "X-Openstack-Request-Id": "r".repeat(65) } })],
  },

  // Error bodies by Accept
  ...(
    [
      ["json", "application/json"],
      ["any", "*/*"],
      ["html", "text/html"],
      ["none", null],
      ["text", "text/plain"],
      ["json-or-any", "application/json, */*"],
      ["json-preferred", "application/json;q=0.9, text/html;q=0.1"],
      ["xml", "application/xml"],
      ["empty", ""],
    ] as const
  ).map(([label, accept]): RestScenario => ({
    name: `accept-${label}-on-errors`,
    steps: [
      withAccept(get("A", "/v2/images/{x}/members"), accept),
      withAccept(post("A", "/v2/images/{x}/members", { json: {} }), accept),
      withAccept(get("anonymous", "/v2/images"), accept),
      withAccept(put("A", "/v2/images/{x}/members", { json: {} }), accept),
      withAccept(
        get("A", "/v2/images/{x}", { headers: { "X-Openstack-Request-Id": "r".repeat(65) } }),
        accept,
      ),
    ],
  })),
  {
    name: "accept-on-success-and-head",
    steps: [
      image("A"),
      share("A", 1, "{B}"),
      withAccept(get("A", members(1)), "text/html"),
      withAccept(get("A", member(1, "{B}")), null),
      withAccept(del("A", member(1, "{B}")), "text/plain"),
      withAccept({ as: "A", method: "HEAD", path: "/v2/images/{x}/members" }, "application/json"),
    ],
  },
];

/** Where Glance is wrong and the emulator deliberately is not. */
export const knownDifferences: RecordedDifference[] = [
  {
    summary:
      "A member id outside ASCII, stored by POST, is not found by its own path on Glance: its eventlet " +
      'WSGI server reads the path as Latin-1 (404 "prÃ¶j-Ã¼ not found in the member list"). The ' +
      "emulator reads the path as UTF-8 and answers 200 with the member.",
    steps: [["mem-path-unicode-member", 2]],
    differs: ["body", "status"],
    status: { glance: 404, emulator: 200 },
  },
  {
    summary:
      "A path segment that is not UTF-8 (%FF): Glance fails with a bare 500 (text/plain, empty body, no " +
      'request id). The emulator answers the 400 "Error decoding your request…" Glance\'s own code means ' +
      "to give.",
    steps: [["mem-path-invalid-utf8", 1]],
    differs: ["body", "header content-type", "header x-openstack-request-id", "status"],
    status: { glance: 500, emulator: 400 },
  },
];
