/** GET /v2/schemas/{member,members,image,images}: the schema documents Glance serves. */
import type { EmulatorResponse } from "./http-types.js";
import { IMAGE_SCHEMA_DOCUMENT } from "./image-schema-document.js";
import { rejectBody } from "./request-body.js";
import { jsonResponse } from "./responses.js";
import type { Route, RouteCall } from "./route-table.js";

const UUID_PATTERN =
  "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$";

const MEMBER_SCHEMA = {
  name: "member",
  properties: {
    member_id: { type: "string", description: "An identifier for the image member (tenantId)" },
    image_id: { type: "string", description: "An identifier for the image", pattern: UUID_PATTERN },
    created_at: { type: "string", description: "Date and time of image member creation" },
    updated_at: { type: "string", description: "Date and time of last modification of image member" },
    status: {
      type: "string",
      description: "The status of this image member",
      enum: ["pending", "accepted", "rejected"],
    },
    schema: { readOnly: true, type: "string" },
  },
};

const MEMBERS_SCHEMA = {
  name: "members",
  properties: {
    members: { type: "array", items: MEMBER_SCHEMA },
    schema: { type: "string" },
  },
  links: [{ rel: "describedby", href: "{schema}" }],
};

const IMAGES_SCHEMA = {
  name: "images",
  properties: {
    images: { type: "array", items: IMAGE_SCHEMA_DOCUMENT },
    first: { type: "string" },
    next: { type: "string" },
    schema: { type: "string" },
  },
  links: [
    { rel: "first", href: "{first}" },
    { rel: "next", href: "{next}" },
    { rel: "describedby", href: "{schema}" },
  ],
};

const schemaHandler =
  (schema: unknown) =>
  (call: RouteCall): EmulatorResponse => {
    rejectBody(call.request);
    return jsonResponse(200, schema, { ensureAscii: true });
  };

export const v2SchemaRoutes: readonly Route[] = [
  { pattern: "/schemas/member", methods: { GET: schemaHandler(MEMBER_SCHEMA) }, allow: "GET" },
  { pattern: "/schemas/members", methods: { GET: schemaHandler(MEMBERS_SCHEMA) }, allow: "GET" },
  { pattern: "/schemas/image", methods: { GET: schemaHandler(IMAGE_SCHEMA_DOCUMENT) }, allow: "GET" },
  { pattern: "/schemas/images", methods: { GET: schemaHandler(IMAGES_SCHEMA) }, allow: "GET" },
];
