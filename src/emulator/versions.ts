/**
 * Version discovery and URL negotiation (glance/api/versions.py and
 * glance/api/middleware/version_negotiation.py): v2 as Zed lists it without image_cache_dir or
 * enabled_backends, v1 as Queens listed it.
 */
import type { EmulatedApi } from "./types.js";

interface VersionEntry {
  readonly id: string;
  readonly status: "CURRENT" | "SUPPORTED" | "DEPRECATED";
  readonly major: 1 | 2;
}

const V2_ENTRIES: readonly VersionEntry[] = [
  { id: "v2.15", status: "CURRENT", major: 2 },
  ...["v2.9", "v2.7", "v2.6", "v2.5", "v2.4", "v2.3", "v2.2", "v2.1", "v2.0"].map((id): VersionEntry => ({
    id,
    status: "SUPPORTED",
    major: 2,
  })),
];

const V1_ENTRIES: readonly VersionEntry[] = [
  { id: "v1.1", status: "DEPRECATED", major: 1 },
  { id: "v1.0", status: "DEPRECATED", major: 1 },
];

/** What the first path segment may be: Zed does not accept v2.8 or v2.10-v2.14 without backends. */
const V2_SEGMENTS = ["v2", "v2.0", "v2.1", "v2.2", "v2.3", "v2.4", "v2.5", "v2.6", "v2.7", "v2.9", "v2.15"];
const V1_SEGMENTS = ["v1", "v1.0", "v1.1"];

const servesV1 = (api: EmulatedApi): boolean => api !== "v2";
const servesV2 = (api: EmulatedApi): boolean => api !== "v1";

export function versionDocument(api: EmulatedApi, hostUrl: string): unknown {
  const entries = [...(servesV2(api) ? V2_ENTRIES : []), ...(servesV1(api) ? V1_ENTRIES : [])];
  return {
    versions: entries.map((entry) => ({
      id: entry.id,
      status: entry.status,
      links: [{ rel: "self", href: `${hostUrl}/v${entry.major}/` }],
    })),
  };
}

export type Negotiated =
  /** GET /versions: the document with 200. */
  | { readonly kind: "versions" }
  /** No usable version: the document with 300 Multiple Choices. */
  | { readonly kind: "choices" }
  /** A served major version; `rest` is the path below /vN (may be empty). */
  | { readonly kind: "api"; readonly major: 1 | 2; readonly rest: string };

const VENDOR_MEDIA_TYPE = "application/vnd.openstack.images-";

/**
 * @param path the percent-decoded path
 * @param accept the raw Accept header: a vendor media type selects the version instead of the URL
 */
export function negotiate(api: EmulatedApi, path: string, accept: string | undefined): Negotiated {
  const trimmed = path.replace(/^\/+/, "");
  const slash = trimmed.indexOf("/");
  const first = slash === -1 ? trimmed : trimmed.slice(0, slash);
  if (path.split("/")[1] === "versions") {
    return { kind: "versions" };
  }
  let requested: string;
  let rest: string;
  if (accept?.startsWith(VENDOR_MEDIA_TYPE) === true) {
    // The version comes from the media type and the path is kept whole.
    requested = accept.slice(VENDOR_MEDIA_TYPE.length);
    rest = path;
  } else {
    requested = first;
    rest = slash === -1 ? "" : trimmed.slice(slash);
  }
  if (servesV2(api) && V2_SEGMENTS.includes(requested)) {
    return { kind: "api", major: 2, rest };
  }
  if (servesV1(api) && V1_SEGMENTS.includes(requested)) {
    return { kind: "api", major: 1, rest };
  }
  return { kind: "choices" };
}
