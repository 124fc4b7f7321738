/**
 * The service catalog: Keystone itself (the three endpoints `keystone-manage bootstrap` makes in
 * RegionOne) and Glance, with the image endpoints the tests set. Endpoint ids stay the same while the
 * endpoint does, as rows of Keystone's endpoint table.
 */
import { newId } from "./ids.js";
import type { EndpointInterface, ImageEndpointOption } from "./types.js";

export interface Endpoint {
  readonly id: string;
  readonly region: string;
  readonly url: string;
  readonly interface: EndpointInterface;
}

export interface Service {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly endpoints: readonly Endpoint[];
}

const IDENTITY_INTERFACES: readonly EndpointInterface[] = ["public", "internal", "admin"];

export class Catalog {
  private readonly identityServiceId = newId();
  private readonly imageServiceId = newId();
  private readonly identityEndpointIds = IDENTITY_INTERFACES.map(() => newId());
  private images: readonly Endpoint[] = [];

  setImageEndpoints(endpoints: readonly ImageEndpointOption[]): void {
    const previous = this.images;
    this.images = endpoints.map((option) => {
      const iface = option.interface ?? "public";
      const kept = previous.find(
        (endpoint) =>
          endpoint.region === option.region && endpoint.url === option.url && endpoint.interface === iface,
      );
      return { id: kept?.id ?? newId(), region: option.region, url: option.url, interface: iface };
    });
  }

  get imageEndpoints(): readonly Endpoint[] {
    return this.images;
  }

  /** The services in Keystone's order: identity (made by bootstrap) first. */
  services(identityUrl: string): Service[] {
    return [
      {
        id: this.identityServiceId,
        type: "identity",
        name: "keystone",
        endpoints: IDENTITY_INTERFACES.map((iface, index) => ({
          id: this.identityEndpointIds[index] ?? newId(),
          region: "RegionOne",
          url: identityUrl,
          interface: iface,
        })),
      },
      { id: this.imageServiceId, type: "image", name: "glance", endpoints: this.images },
    ];
  }
}

/** Identity v3's rendering: `{endpoints: [{id, interface, region_id, url, region}], id, type, name}`. */
export function v3Catalog(services: readonly Service[]): Record<string, unknown>[] {
  return services.map((service) => ({
    endpoints: service.endpoints.map((endpoint) => ({
      id: endpoint.id,
      interface: endpoint.interface,
      region_id: endpoint.region,
      url: endpoint.url,
      region: endpoint.region,
    })),
    id: service.id,
    type: service.type,
    name: service.name,
  }));
}
