/** Readers of Images API v2 answers: member objects, member lists and image list pages. */
import { isMemberStatus, type ImageMember } from "../../domain/image-member.js";
import type { ImageSummary } from "../../domain/image-summary.js";
import { readV2Image } from "../image-wire.js";
import type { WireReader } from "../wire.js";

export function readMember(wire: WireReader, value: unknown, where = "member"): ImageMember {
  const json = wire.object(value, where);
  const status = json.status;
  if (!isMemberStatus(status)) {
    wire.fail(`${where}.status is not pending, accepted or rejected`);
  }
  return {
    imageId: wire.string(json.image_id, `${where}.image_id`),
    memberId: wire.idString(json.member_id, `${where}.member_id`),
    status,
    canShare: null,
    createdAt: wire.timestamp(json.created_at, `${where}.created_at`),
    updatedAt: wire.timestamp(json.updated_at, `${where}.updated_at`),
  };
}

export function readMemberList(wire: WireReader): ImageMember[] {
  const members = wire.array(wire.root().members, "members");
  return members.map((member, index) => readMember(wire, member, `members[${index}]`));
}

export interface ImagesPage {
  readonly images: ReadonlyArray<{
    readonly id: string;
    readonly owner: string | null;
    readonly summary: ImageSummary;
  }>;
  readonly next: string | null;
}

export function readImagesPage(wire: WireReader): ImagesPage {
  const root = wire.root();
  const images = wire.array(root.images, "images").map((value, index) => {
    const image = wire.object(value, `images[${index}]`);
    const owner = image.owner;
    return {
      id: wire.string(image.id, `images[${index}].id`),
      owner: owner === null || owner === undefined ? null : wire.string(owner, `images[${index}].owner`),
      summary: readV2Image(wire, image),
    };
  });
  const next = root.next === undefined || root.next === null ? null : wire.string(root.next, "next");
  return { images, next };
}
