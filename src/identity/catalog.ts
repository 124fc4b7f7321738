/**
 * The image endpoints of a service catalog, in both shapes: Keystone v3 (`token.catalog`, one
 * endpoint object per interface) and Identity v2.0 (`access.serviceCatalog`, one object per region
 * with `publicURL`, `internalURL`, `adminURL`). Rackspace names the service `cloudImages`; both
 * give it the type `image`.
 */
import type { WireReader } from "../upstream/wire.js";
import type { EndpointInterface, ImageEndpoint } from "./types.js";

const IMAGE_SERVICE_TYPE = "image";

/** v3: `[{type, endpoints: [{interface, region (or region_id), url}]}]`. */
export function imageEndpointsV3(
  wire: WireReader,
  catalog: unknown,
  wanted: EndpointInterface,
): ImageEndpoint[] {
  const found: ImageEndpoint[] = [];
  for (const [i, entry] of wire.array(catalog, "token.catalog").entries()) {
    const service = wire.object(entry, `token.catalog[${i}]`);
    if (service.type !== IMAGE_SERVICE_TYPE) {
      continue;
    }
    for (const [j, item] of wire.array(service.endpoints, `token.catalog[${i}].endpoints`).entries()) {
      const endpoint = wire.object(item, `token.catalog[${i}].endpoints[${j}]`);
      if (endpoint.interface !== wanted) {
        continue;
      }
      const region = endpoint.region_id ?? endpoint.region;
      found.push({
        region: wire.string(region, `token.catalog[${i}].endpoints[${j}].region`),
        url: wire.string(endpoint.url, `token.catalog[${i}].endpoints[${j}].url`),
      });
    }
  }
  return unique(found);
}

const V2_URL_KEYS: Readonly<Record<EndpointInterface, string>> = {
  public: "publicURL",
  internal: "internalURL",
  admin: "adminURL",
};

/** v2.0: `[{type, endpoints: [{region, publicURL, internalURL?, adminURL?}]}]`. */
export function imageEndpointsV2(
  wire: WireReader,
  catalog: unknown,
  wanted: EndpointInterface,
): ImageEndpoint[] {
  const key = V2_URL_KEYS[wanted];
  const found: ImageEndpoint[] = [];
  for (const [i, entry] of wire.array(catalog, "access.serviceCatalog").entries()) {
    const service = wire.object(entry, `access.serviceCatalog[${i}]`);
    if (service.type !== IMAGE_SERVICE_TYPE) {
      continue;
    }
    for (const [j, item] of wire
      .array(service.endpoints, `access.serviceCatalog[${i}].endpoints`)
      .entries()) {
      const endpoint = wire.object(item, `access.serviceCatalog[${i}].endpoints[${j}]`);
      const url = endpoint[key];
      if (url === undefined) {
        continue;
      }
      found.push({
        region: wire.string(endpoint.region, `access.serviceCatalog[${i}].endpoints[${j}].region`),
        url: wire.string(url, `access.serviceCatalog[${i}].endpoints[${j}].${key}`),
      });
    }
  }
  return unique(found);
}

/** One endpoint per region: the first the catalog lists. */
function unique(endpoints: readonly ImageEndpoint[]): ImageEndpoint[] {
  const seen = new Set<string>();
  return endpoints.filter((endpoint) => !seen.has(endpoint.region) && seen.add(endpoint.region));
}
