/** GLANCE_URL, and GLANCE_API_VERSION against the version a versioned GLANCE_URL pins. */
import type { Context } from "./read-variable.js";

// Service catalogs (Rackspace's among them) list the versioned endpoint, e.g. https://dfw.images.api.rackspacecloud.com/v2
const VERSIONED = /^(.*?)\/(v1|v2)(?:\.\d+)?\/?$/;

/** The endpoint without its version; null (unset) starts the embedded emulator. */
export function parseGlanceUrl(raw: string, context: Context): URL | null {
  if (raw.trim() === "") {
    return null;
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    context.problem(
      `GLANCE_URL must be an absolute http(s) URL such as http://127.0.0.1:9292 (got "${raw}")`,
    );
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    context.problem(`GLANCE_URL must use http or https (got "${url.protocol}")`);
    return null;
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    context.problem("GLANCE_URL must not carry credentials, a query or a fragment");
    return null;
  }
  const versioned = VERSIONED.exec(url.pathname);
  if (versioned !== null) {
    url.pathname = versioned[1] || "/";
  }
  return url;
}

/** `auto` becomes the version GLANCE_URL pins; another choice must be that version. */
export function pinnedByGlanceUrl(chosen: string, context: Context): string {
  if (context.value("GLANCE_URL") === null) {
    return chosen;
  }
  const pinned = VERSIONED.exec(new URL(context.env.GLANCE_URL?.trim() ?? "").pathname)?.[2];
  if (pinned === undefined || chosen === pinned) {
    return chosen;
  }
  if (chosen === "auto") {
    return pinned;
  }
  context.problem(`GLANCE_URL ends in /${pinned} but GLANCE_API_VERSION is ${chosen}; remove one of them`);
  return chosen;
}
