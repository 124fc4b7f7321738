/**
 * The route template of an upstream path, for metric labels and span names: the path without its
 * query, each id replaced by a placeholder named after what it identifies, so that label values
 * stay few whatever ids clients send (`/v2/images/{image_id}/members/{member_id}`).
 */

/** Segments kept as they are: the Images API's own words. */
const LITERALS = new Set([
  // Keystone's, for the calls to it
  "auth",
  "tokens",
  "v3",
  "v2.0",
  "v1",
  "v2",
  "images",
  "members",
  "shared-images",
  "schemas",
  "image",
  "member",
  "versions",
  "file",
]);

const IMAGE_ID = /\/images\/[^/]+/;
const MEMBER_ID = /\/members\/[^/]+/;
const SHARED_WITH = /\/shared-images\/[^/]+/;
const TOKEN = /\/tokens\/[^/]+/;

/** Templates already checked segment by segment; the gateway's calls have a handful. */
const checked = new Map<string, string>();
const MAX_CHECKED = 100;

export function routeTemplate(path: string): string {
  const query = path.indexOf("?");
  let template = query === -1 ? path : path.slice(0, query);
  // The ids of the paths the gateway calls, replaced by plain string replacements: this runs for
  // every upstream call.
  if (template.includes("/images/")) {
    template = template.replace(IMAGE_ID, "/images/{image_id}");
  }
  if (template.includes("/members/")) {
    template = template.replace(MEMBER_ID, "/members/{member_id}");
  }
  if (template.includes("/tokens/")) {
    // Identity v2.0 validates a token named in the path: never let it through.
    template = template.replace(TOKEN, "/tokens/{token}");
  }
  if (template.includes("/shared-images/")) {
    template = template.replace(SHARED_WITH, "/shared-images/{member_id}");
  }
  let safe = checked.get(template);
  if (safe === undefined) {
    safe = withoutUnknownSegments(template);
    if (checked.size < MAX_CHECKED) {
      checked.set(template, safe);
    }
  }
  return safe;
}

/** Paths of other shapes (none that the gateway calls today) keep no segment this module does not know. */
function withoutUnknownSegments(template: string): string {
  return template
    .split("/")
    .map((segment) =>
      segment === "" || LITERALS.has(segment) || /^\{\w+\}$/.test(segment) ? segment : "{id}",
    )
    .join("/");
}
