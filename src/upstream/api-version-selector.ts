/**
 * Selects the Images API version the members calls use, and so their implementation (v1 or v2):
 * pinned by configuration, or read once from the upstream's version document ("auto", preferring v2).
 */
import type { ApiVersion } from "../domain/image-member.js";
import type { Cancellation } from "./cancellation.js";
import type { UpstreamHttpClient } from "./http-client.js";
import type { MembersApi } from "./members-api.js";
import { MembersV1 } from "./v1/members-v1.js";
import { MembersV2, type MembersV2Options } from "./v2/members-v2.js";
import { detectApiVersion } from "./version-detection.js";

export type ApiVersionMode = ApiVersion | "auto";

export class ApiVersionSelector {
  private readonly v1: MembersV1;
  private readonly v2: MembersV2;
  private detection: Promise<MembersApi> | null = null;
  /** What `detection` resolved to, while it stands. */
  private settled: MembersApi | null = null;

  constructor(
    private readonly http: UpstreamHttpClient,
    readonly mode: ApiVersionMode,
    v2Options?: MembersV2Options,
  ) {
    this.v1 = new MembersV1(http);
    this.v2 = new MembersV2(http, v2Options);
  }

  get(cancellation?: Cancellation): Promise<MembersApi> {
    if (this.mode !== "auto") {
      return Promise.resolve(this.mode === "v1" ? this.v1 : this.v2);
    }
    if (this.detection === null) {
      const detection = detectApiVersion(this.http, cancellation).then((version) => {
        const api = version === "v1" ? this.v1 : this.v2;
        if (this.detection === detection) {
          this.settled = api;
        }
        return api;
      });
      // A failed detection is not remembered: the next request asks again.
      detection.catch(() => {
        if (this.detection === detection) {
          this.detection = null;
        }
      });
      this.detection = detection;
    }
    return this.detection;
  }

  /** The implementation in use when it is already known (pinned, or detected), without waiting. */
  current(): MembersApi | null {
    if (this.mode !== "auto") {
      return this.mode === "v1" ? this.v1 : this.v2;
    }
    return this.settled;
  }

  /** Forget the detected version (the upstream stopped serving it); only meaningful in "auto" mode. */
  forget(): boolean {
    if (this.mode !== "auto") {
      return false;
    }
    this.detection = null;
    this.settled = null;
    return true;
  }
}
