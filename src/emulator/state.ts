/**
 * The emulator's database: images and one membership table shared by v1 and v2, soft-deleted rows
 * included, as Glance keeps them.
 */
import { randomUUID } from "node:crypto";
import type { ImageVisibility, MemberStatus } from "./types.js";

export interface ImageRecord {
  readonly id: string;
  name: string | null;
  owner: string | null;
  visibility: ImageVisibility;
  /** Images never receive data here, so they stay "queued" until deleted. */
  status: "queued" | "deleted";
  protected: boolean;
  minRam: number;
  minDisk: number;
  diskFormat: string | null;
  containerFormat: string | null;
  osHidden: boolean;
  tags: string[];
  /** Additional (string) properties, in insertion order. */
  extra: Map<string, string>;
  readonly createdAt: Date;
  updatedAt: Date;
  /** Glance keeps deleted image rows: their ids stay taken. */
  deleted: boolean;
}

export interface MembershipRecord {
  /** Insertion order: the order Glance's unordered queries return rows in. */
  readonly seq: number;
  readonly imageId: string;
  /** Stored as a string whatever JSON type it arrived as. */
  readonly memberId: string;
  status: MemberStatus;
  /** The v1 delegation flag; v2 writes reset it to false. */
  canShare: boolean;
  createdAt: Date;
  updatedAt: Date;
  deleted: boolean;
}

export interface NewImage {
  id?: string;
  name: string | null;
  owner: string | null;
  visibility: ImageVisibility;
  protected?: boolean;
  minRam?: number;
  minDisk?: number;
  diskFormat?: string | null;
  containerFormat?: string | null;
  osHidden?: boolean;
  tags?: string[];
  extra?: Map<string, string>;
}

export class DuplicateImageError extends Error {
  constructor(readonly imageId: string) {
    super(`Image ID ${imageId} already exists!`);
    this.name = "DuplicateImageError";
  }
}

export class EmulatorState {
  private images = new Map<string, ImageRecord>();
  private rows: MembershipRecord[] = [];
  private nextSeq = 1;
  private lastTick = 0;

  /**
   * The current time, strictly increasing between calls so that "created_at desc, id desc" lists
   * images newest first even when they were created within the same millisecond.
   */
  now(): Date {
    this.lastTick = Math.max(Date.now(), this.lastTick + 1);
    return new Date(this.lastTick);
  }

  reset(): void {
    this.images = new Map();
    this.rows = [];
    this.nextSeq = 1;
  }

  createImage(input: NewImage): ImageRecord {
    const id = input.id ?? randomUUID();
    if (this.images.has(id)) {
      throw new DuplicateImageError(id);
    }
    const now = this.now();
    const image: ImageRecord = {
      id,
      name: input.name,
      owner: input.owner,
      visibility: input.visibility,
      status: "queued",
      protected: input.protected ?? false,
      minRam: input.minRam ?? 0,
      minDisk: input.minDisk ?? 0,
      diskFormat: input.diskFormat ?? null,
      containerFormat: input.containerFormat ?? null,
      osHidden: input.osHidden ?? false,
      tags: input.tags ?? [],
      extra: input.extra ?? new Map<string, string>(),
      createdAt: now,
      updatedAt: now,
      deleted: false,
    };
    this.images.set(id, image);
    return image;
  }

  /** Any image row, deleted ones included. */
  imageRow(id: string): ImageRecord | undefined {
    return this.images.get(id);
  }

  liveImage(id: string): ImageRecord | undefined {
    const image = this.images.get(id);
    return image?.deleted === false ? image : undefined;
  }

  liveImages(): ImageRecord[] {
    return [...this.images.values()].filter((image) => !image.deleted);
  }

  /** Deleting an image marks it deleted and soft-deletes its memberships. */
  deleteImage(image: ImageRecord): void {
    const now = this.now();
    image.deleted = true;
    image.status = "deleted";
    image.updatedAt = now;
    for (const row of this.rows) {
      if (row.imageId === image.id && !row.deleted) {
        row.deleted = true;
        row.updatedAt = now;
      }
    }
  }

  /** The membership rows of an image (or of every image), in insertion order. */
  memberships(
    filter: { imageId?: string; memberId?: string; includeDeleted?: boolean } = {},
  ): MembershipRecord[] {
    return this.rows.filter(
      (row) =>
        (filter.includeDeleted === true || !row.deleted) &&
        (filter.imageId === undefined || row.imageId === filter.imageId) &&
        (filter.memberId === undefined || row.memberId === filter.memberId),
    );
  }

  /** The row for a pair, live or deleted (there is at most one). */
  membershipRow(imageId: string, memberId: string): MembershipRecord | undefined {
    return this.rows.find((row) => row.imageId === imageId && row.memberId === memberId);
  }

  /** Live memberships of an image, whatever their status: what image_member_quota counts. */
  memberCount(imageId: string): number {
    return this.memberships({ imageId }).length;
  }

  insertMembership(
    imageId: string,
    memberId: string,
    values: { status: MemberStatus; canShare: boolean },
  ): MembershipRecord {
    const now = this.now();
    const row: MembershipRecord = {
      seq: this.nextSeq++,
      imageId,
      memberId,
      status: values.status,
      canShare: values.canShare,
      createdAt: now,
      updatedAt: now,
      deleted: false,
    };
    this.rows.push(row);
    return row;
  }
}
