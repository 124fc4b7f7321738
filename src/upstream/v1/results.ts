/** Readers of Images API v1 answers: `{"members": [...]}` and `{"shared_images": [...]}`. */
import type { ImageMember } from "../../domain/image-member.js";
import type { WireReader } from "../wire.js";

export function v1Member(imageId: string, memberId: string, canShare: boolean): ImageMember {
  return { imageId, memberId, status: null, canShare, createdAt: null, updatedAt: null };
}

export function readMembers(wire: WireReader, imageId: string): ImageMember[] {
  return wire.array(wire.root().members, "members").map((value, index) => {
    const member = wire.object(value, `members[${index}]`);
    return v1Member(
      imageId,
      wire.idString(member.member_id, `members[${index}].member_id`),
      wire.boolean(member.can_share, `members[${index}].can_share`),
    );
  });
}

export function readSharedImages(wire: WireReader, memberId: string): ImageMember[] {
  return wire.array(wire.root().shared_images, "shared_images").map((value, index) => {
    const share = wire.object(value, `shared_images[${index}]`);
    return v1Member(
      wire.string(share.image_id, `shared_images[${index}].image_id`),
      memberId,
      wire.boolean(share.can_share, `shared_images[${index}].can_share`),
    );
  });
}
