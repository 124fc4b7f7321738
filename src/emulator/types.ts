/**
 * The emulator's public contract: what the gateway's entry point and the tests program against.
 */
import type { AuthtokenSettings } from "./authtoken.js";

/** Which Images API the emulator serves: Zed's v2, Queens' v1, or both side by side. */
export type EmulatedApi = "v1" | "v2" | "both";

export type ImageVisibility = "public" | "private" | "shared" | "community";

export type MemberStatus = "pending" | "accepted" | "rejected";

export interface EmulatorOptions {
  /** Default "v2". */
  api?: EmulatedApi;
  /** Glance's image_member_quota: default 128; negative means unlimited. */
  memberQuota?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Page size of GET /v2/images without ?limit (Glance's limit_param_default, 25). The maximum limit is 1000. */
  pageSize?: number;
  /**
   * Behind Keystone, as Glance with keystonemiddleware's authtoken: only tokens `resolve` knows
   * are let in, as their project and roles. Default: no authtoken (identity from headers).
   */
  authtoken?: AuthtokenSettings;
}

export interface RecordedRequest {
  method: string;
  /** The raw request-target, query string included, exactly as received. */
  path: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

export interface EmulatedImage {
  id: string;
  name: string;
  owner: string | null;
  visibility: ImageVisibility;
  createdAt: Date;
  updatedAt: Date;
}

export type FaultAction =
  | { kind: "respond"; status: number; headers?: Record<string, string>; body?: string }
  /** Wait, then answer normally. */
  | { kind: "delay"; ms: number }
  /** Send the status line and headers of the normal answer, then wait before the body. */
  | { kind: "stall-body"; ms: number }
  /** Destroy the socket without answering. */
  | { kind: "destroy" }
  /** Send headers announcing a longer body than is sent, then end the socket. */
  | { kind: "truncate" };

export interface FaultRule {
  /** Match only this method. */
  method?: string;
  /** A string is a prefix of the path without its query; a RegExp is tested against the raw request-target. */
  path?: string | RegExp;
  /** How many matching requests the rule applies to: default 1; Infinity means always. */
  times?: number;
  action: FaultAction;
}

export interface CreateImageInput {
  owner: string | null;
  /** Default "shared", as Glance defaults since Ocata. */
  visibility?: ImageVisibility;
  name?: string;
  id?: string;
}

export interface AddMemberOptions {
  /** Default "pending". */
  status?: MemberStatus;
  /** The v1 delegation flag; default false. */
  canShare?: boolean;
}

export interface Emulator {
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  /** Every request received, faulted ones too, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  clearRequests(): void;
  /** Seeds an image directly: no HTTP, not journaled. */
  createImage(input: CreateImageInput): EmulatedImage;
  /** Seeds a membership directly; an existing one is updated (or revived if it was deleted). */
  addMember(imageId: string, memberId: string, options?: AddMemberOptions): void;
  /** Rules are checked in insertion order before normal handling; the first match applies. */
  injectFault(rule: FaultRule): void;
  clearFaults(): void;
  /** Drops every image, membership, fault rule and journal entry. */
  reset(): void;
  /** Stops listening and destroys open sockets, keep-alive ones included. */
  close(): Promise<void>;
}

/** What `seedDemoData` created: project ids by role and image ids by label, for a banner to print. */
export interface DemoSeed {
  tenants: {
    /** Owns the demo images. */
    owner: string;
    /** A member of the owner's shared images. */
    consumer: string;
    /** Neither owner nor member of anything. */
    stranger: string;
    /** Sends `X-Roles: admin` to act as an administrator. */
    admin: string;
  };
  images: {
    /** The owner's shared image; the consumer is a pending member. */
    sharedPending: string;
    /** The owner's shared image; the consumer has accepted it. */
    sharedAccepted: string;
    /** The owner's shared image without members yet. */
    sharedEmpty: string;
    /** The owner's private image: v2 refuses members on it, v1 accepts them. */
    private: string;
    /** The admin's public image, visible to everyone; public images take no v2 members. */
    public: string;
  };
}
