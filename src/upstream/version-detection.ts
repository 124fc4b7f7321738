/**
 * Which Images API the upstream serves, read from its version document (GET /versions answers 200
 * since Liberty, 300 before; ids look like "v2.15" or "v1.1").
 */
import type { ApiVersion } from "../domain/image-member.js";
import type { Cancellation } from "./cancellation.js";
import type { UpstreamHttpClient } from "./http-client.js";
import { WireReader } from "./wire.js";

export async function detectApiVersion(
  http: UpstreamHttpClient,
  cancellation?: Cancellation,
): Promise<ApiVersion> {
  const wire = new WireReader(
    await http.send({ method: "GET", path: "/versions", headers: {}, expect: [200, 300], cancellation }),
  );
  const ids = wire
    .array(wire.root().versions, "versions")
    .map((entry, index) => wire.string(wire.object(entry, `versions[${index}]`).id, `versions[${index}].id`));
  if (ids.some((id) => id.startsWith("v2"))) {
    return "v2";
  }
  if (ids.some((id) => id.startsWith("v1"))) {
    return "v1";
  }
  return wire.fail(`no v1 or v2 entry among ${ids.join(", ") || "no versions"}`);
}
