/**
 * Demo data for `npm start` without an upstream: one owner with shared images in each member
 * state, a private image, and a public image, so every call can be tried by hand.
 */
import type { DemoSeed, Emulator } from "./types.js";

const TENANTS: DemoSeed["tenants"] = {
  owner: "demo-owner",
  consumer: "demo-consumer",
  stranger: "demo-stranger",
  admin: "demo-admin",
};

/** Fixed ids, so that instructions written once keep working across restarts. */
const IMAGE_IDS: DemoSeed["images"] = {
  sharedPending: "5eed0001-0000-4000-8000-000000000001",
  sharedAccepted: "5eed0001-0000-4000-8000-000000000002",
  sharedEmpty: "5eed0001-0000-4000-8000-000000000003",
  private: "5eed0001-0000-4000-8000-000000000004",
  public: "5eed0001-0000-4000-8000-000000000005",
};

/**
 * Who owns what:
 * - demo-owner owns "shared-pending" (demo-consumer is a pending member), "shared-accepted"
 *   (demo-consumer has accepted it), "shared-empty" (no members yet) and "private";
 * - demo-admin owns "public";
 * - demo-stranger owns nothing and is a member of nothing.
 */
export function seedDemoData(emulator: Emulator): DemoSeed {
  const { owner, consumer, admin } = TENANTS;
  emulator.createImage({ id: IMAGE_IDS.sharedPending, owner, visibility: "shared", name: "shared-pending" });
  emulator.addMember(IMAGE_IDS.sharedPending, consumer, { status: "pending" });
  emulator.createImage({
    id: IMAGE_IDS.sharedAccepted,
    owner,
    visibility: "shared",
    name: "shared-accepted",
  });
  emulator.addMember(IMAGE_IDS.sharedAccepted, consumer, { status: "accepted" });
  emulator.createImage({ id: IMAGE_IDS.sharedEmpty, owner, visibility: "shared", name: "shared-empty" });
  emulator.createImage({ id: IMAGE_IDS.private, owner, visibility: "private", name: "private" });
  emulator.createImage({ id: IMAGE_IDS.public, owner: admin, visibility: "public", name: "public" });
  return { tenants: { ...TENANTS }, images: { ...IMAGE_IDS } };
}
