/**
 * The route template of an upstream path, for metric labels and span names: the path without its
 * query, each id replaced by a placeholder named after what it identifies, so that label values
 * stay few whatever ids clients send (`/v2/images/{image_id}/members/{member_id}`).
 */

/** Segments kept as they are: the Images API's own words. */
const LITERALS = new Set([
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

/** What the segment after each collection names. */
const PLACEHOLDERS: Readonly<Record<string, string>> = {
  images: "{image_id}",
  members: "{member_id}",
  "shared-images": "{member_id}",
};

const known = new Map<string, string>();
const MAX_REMEMBERED = 1_000;

export function routeTemplate(path: string): string {
  const query = path.indexOf("?");
  const bare = query === -1 ? path : path.slice(0, query);
  let template = known.get(bare);
  if (template === undefined) {
    template = templateOf(bare);
    // Most paths carry ids, so this remembers only the few without (listings, versions).
    if (template === bare && known.size < MAX_REMEMBERED) {
      known.set(bare, template);
    }
  }
  return template;
}

function templateOf(path: string): string {
  const segments = path.split("/");
  return segments
    .map((segment, index) => {
      if (index === 0 || LITERALS.has(segment)) {
        return segment;
      }
      return PLACEHOLDERS[segments[index - 1] ?? ""] ?? "{id}";
    })
    .join("/");
}
