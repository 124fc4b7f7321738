/** What `npm start` prints when it runs over the embedded emulator: who owns what, and how to act as whom. */
import type { DemoSeed, EmulatedApi } from "./types.js";

export function demoBanner(
  graphqlUrl: string,
  emulatorUrl: string,
  api: EmulatedApi,
  seed: DemoSeed,
): string {
  const { tenants, images } = seed;
  const curl = (project: string, query: string): string =>
    `curl -s ${graphqlUrl} -H 'content-type: application/json' -H 'x-auth-token: ${project}' \\\n    -d '${JSON.stringify({ query })}'`;
  return [
    "",
    "image-members-gateway is running over its embedded emulator",
    `  GraphQL (Apollo Sandbox in a browser): ${graphqlUrl}`,
    `  emulated Images API (${api}):          ${emulatorUrl}`,
    "",
    "Act as a project by sending its name as the token: X-Auth-Token: <project>",
    `  ${tenants.owner.padEnd(10)} owns the demo images`,
    `  ${tenants.consumer.padEnd(10)} is a member of ${tenants.owner}'s shared images`,
    `  ${tenants.stranger.padEnd(10)} is neither owner nor member`,
    `  ${tenants.admin.padEnd(10)} is an admin when it also sends X-Roles: admin (set FORWARD_HEADERS=X-Roles)`,
    "",
    "Images:",
    `  ${images.sharedPending}  shared, ${tenants.consumer} pending`,
    `  ${images.sharedAccepted}  shared, ${tenants.consumer} accepted`,
    `  ${images.sharedEmpty}  shared, no members yet`,
    `  ${images.private}  private (v2 refuses members on it)`,
    `  ${images.public}  public, owned by ${tenants.admin}`,
    "",
    "Try:",
    `  ${curl(tenants.owner, `{ imageMembers(imageId: "${images.sharedPending}") { memberId status } }`)}`,
    `  ${curl(tenants.consumer, `{ sharedImages(memberId: "${tenants.consumer}") { imageId status } }`)}`,
    `  ${curl(tenants.owner, `mutation { shareImage(imageId: "${images.sharedEmpty}", memberId: "${tenants.consumer}") { id status } }`)}`,
    "",
  ].join("\n");
}
