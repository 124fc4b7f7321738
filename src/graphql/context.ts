import type { Caller } from "../domain/caller.js";
import type { MemberService } from "../service/member-service.js";

/** The caller of one request and the regions served. */
export interface ViewerInfo {
  readonly caller: Caller;
  /** The region serving this request. */
  readonly region: string;
  readonly regions: readonly string[];
}

/** Per-request state: everything that holds the caller's credentials lives here. */
export interface GatewayContext {
  readonly members: MemberService;
  /** Correlates logs and errors of this request. */
  readonly requestId: string;
  /** Who is asking; rejects when tokens are not validated or the token is not valid. */
  viewer(): Promise<ViewerInfo>;
}
