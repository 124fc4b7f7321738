/** The image endpoints read from both catalog shapes. */
import { describe, expect, it } from "vitest";
import { imageEndpointsV2, imageEndpointsV3 } from "../../src/identity/catalog.js";
import { WireReader } from "../../src/upstream/wire.js";

const wire = new WireReader({
  status: 201,
  json: undefined,
  requestId: null,
  call: { method: "POST", path: "/v3/auth/tokens" },
  headers: {},
});

const V3 = [
  {
    type: "identity",
    name: "keystone",
    endpoints: [{ interface: "public", region: "RegionOne", region_id: "RegionOne", url: "http://k/v3" }],
  },
  {
    type: "image",
    name: "glance",
    endpoints: [
      { interface: "internal", region: "RegionOne", region_id: "RegionOne", url: "http://10.0.0.1:9292" },
      { interface: "public", region: "RegionOne", region_id: "RegionOne", url: "https://one.example:9292" },
      { interface: "public", region: "RegionTwo", region_id: "RegionTwo", url: "https://two.example/image" },
      { interface: "public", region: "RegionTwo", region_id: "RegionTwo", url: "https://two-again.example" },
    ],
  },
];

const V2 = [
  { name: "cloudFiles", type: "object-store", endpoints: [{ region: "DFW", publicURL: "https://files/v1" }] },
  {
    name: "cloudImages",
    type: "image",
    endpoints: [
      { region: "DFW", tenantId: "123", publicURL: "https://dfw.images.example/v2" },
      {
        region: "IAD",
        tenantId: "123",
        publicURL: "https://iad.images.example/v2",
        internalURL: "http://snet/v2",
      },
    ],
  },
];

describe("image endpoints of a catalog", () => {
  it("v3: type image, the interface asked for, the first endpoint of each region", () => {
    expect(imageEndpointsV3(wire, V3, "public")).toEqual([
      { region: "RegionOne", url: "https://one.example:9292" },
      { region: "RegionTwo", url: "https://two.example/image" },
    ]);
    expect(imageEndpointsV3(wire, V3, "internal")).toEqual([
      { region: "RegionOne", url: "http://10.0.0.1:9292" },
    ]);
    expect(imageEndpointsV3(wire, V3, "admin")).toEqual([]);
  });

  it("v2.0 (Rackspace): cloudImages by its type, publicURL or internalURL per region", () => {
    expect(imageEndpointsV2(wire, V2, "public")).toEqual([
      { region: "DFW", url: "https://dfw.images.example/v2" },
      { region: "IAD", url: "https://iad.images.example/v2" },
    ]);
    expect(imageEndpointsV2(wire, V2, "internal")).toEqual([{ region: "IAD", url: "http://snet/v2" }]);
  });

  it("a catalog that is not one is UPSTREAM_BAD_RESPONSE material, naming where", () => {
    expect(() => imageEndpointsV3(wire, { type: "image" }, "public")).toThrow(
      "The upstream answer does not match the API: token.catalog is not an array",
    );
    expect(() =>
      imageEndpointsV3(wire, [{ type: "image", endpoints: [{ interface: "public" }] }], "public"),
    ).toThrow("token.catalog[0].endpoints[0].region is not a string");
  });
});
