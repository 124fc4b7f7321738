import type { MemberService } from "../service/member-service.js";

/** Per-request state: everything that holds the caller's credentials lives here. */
export interface GatewayContext {
  readonly members: MemberService;
  /** Correlates logs and errors of this request. */
  readonly requestId: string;
}
