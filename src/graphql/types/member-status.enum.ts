import { registerEnumType } from "type-graphql";

/** GraphQL names in capitals, internal values as the upstream spells them. */
export enum MemberStatusEnum {
  PENDING = "pending",
  ACCEPTED = "accepted",
  REJECTED = "rejected",
}

registerEnumType(MemberStatusEnum, {
  name: "MemberStatus",
  description:
    "Where a share stands for its member (Images API v2). Only the member (or an admin) changes it.",
  valuesConfig: {
    PENDING: { description: "Offered and not yet answered. A share starts here, and may be set back here." },
    ACCEPTED: { description: "Accepted: the image appears in the member's default image list." },
    REJECTED: {
      description: "Declined: hidden from the member's default image list, yet still usable by id.",
    },
  },
});
