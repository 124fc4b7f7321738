import { Ctx, Query, Resolver } from "type-graphql";
import type { GatewayContext } from "../context.js";
import { ViewerType } from "../types/viewer.type.js";

@Resolver(() => ViewerType)
export class ViewerResolver {
  @Query(() => ViewerType, {
    description:
      "The caller and the regions served. UNAUTHENTICATED for a missing, invalid, expired or revoked token; " +
      "UNSUPPORTED_OPERATION when the gateway does not validate tokens.",
  })
  async viewer(@Ctx() context: GatewayContext): Promise<ViewerType> {
    const { caller, region, regions } = await context.viewer();
    return {
      project: caller.project,
      user: caller.user,
      roles: [...caller.roles],
      tokenExpiresAt: caller.expiresAt,
      region,
      regions: [...regions],
    };
  }
}
