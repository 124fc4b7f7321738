/**
 * The embedded emulator of the Glance image-members API (v2 as Glance 25 "Zed" with the legacy
 * policy, v1 as Queens), served over real HTTP on loopback.
 */
export type { AuthtokenSettings, TokenHolder } from "./authtoken.js";
export { demoBanner } from "./demo-banner.js";
export { seedDemoData } from "./seed.js";
export { startEmulator } from "./server.js";
export { startKeystoneEmulator } from "./keystone/server.js";
export type {
  ImageEndpointOption,
  KeystoneEmulator,
  KeystoneEmulatorOptions,
  KeystoneRequest,
  KeystoneTokenHolder,
} from "./keystone/server.js";
export type {
  AddApplicationCredentialOptions,
  AddProjectOptions,
  AddUserOptions,
  EndpointInterface,
  Named as KeystoneNamed,
} from "./keystone/server.js";
export type {
  AddMemberOptions,
  CreateImageInput,
  DemoSeed,
  EmulatedApi,
  EmulatedImage,
  Emulator,
  EmulatorOptions,
  FaultAction,
  FaultRule,
  ImageVisibility,
  MemberStatus,
  RecordedRequest,
} from "./types.js";
