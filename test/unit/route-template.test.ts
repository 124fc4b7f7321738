/** Route templates of upstream paths: ids replaced, queries dropped, nothing unknown kept. */
import { describe, expect, it } from "vitest";
import { routeTemplate } from "../../src/telemetry/route-template.js";

describe("routeTemplate", () => {
  it.each([
    ["/v2/images/abc-1/members/proj%20b", "/v2/images/{image_id}/members/{member_id}"],
    ["/v2/images/abc-1/members", "/v2/images/{image_id}/members"],
    ["/v2/images/abc-1", "/v2/images/{image_id}"],
    ["/v2/images?visibility=shared&member_status=all&limit=20&marker=abc", "/v2/images"],
    ["/v1/images/x/members/y", "/v1/images/{image_id}/members/{member_id}"],
    ["/v1/shared-images/proj-b", "/v1/shared-images/{member_id}"],
    ["/versions", "/versions"],
    ["/", "/"],
    ["/v2/schemas/member", "/v2/schemas/member"],
    ["/auth/tokens?nocatalog", "/auth/tokens"],
    ["/tokens", "/tokens"],
    ["/tokens/gAAAAABl-secret", "/tokens/{token}"],
    ["/v3/auth/tokens", "/v3/auth/tokens"],
    ["/v3/users/abc/projects", "/v3/{id}/{id}/{id}"],
    ["/v2/images/members/members", "/v2/images/{image_id}/members"],
  ])("%s → %s", (path, template) => {
    expect(routeTemplate(path)).toBe(template);
  });
});
