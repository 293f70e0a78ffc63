export type { P256Signer, KeyIdentity } from "./signer.ts";
export { hardwareSerial, softSerial, hardwareModel } from "./serial.ts";
export {
  ensureDeviceIdentity,
  loadOnboardingIdentity,
  ensureSoftEdgeNodeCerts,
  softDeviceKeyBackend,
  assertSaneClock,
  IdentityError,
  EARLIEST_SANE_TIME,
  type DeviceKeyBackend,
} from "./device.ts";
