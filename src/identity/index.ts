export type { KeyIdentity } from "./signer.ts";
export type { P256Signer } from "../shared/index.ts";
export { hardwareSerial, softSerial, hardwareModel } from "./serial.ts";
export {
  ensureDeviceIdentity,
  loadOnboardingIdentity,
  ensureEdgeNodeCerts,
  ensureSoftEdgeNodeCerts,
  softDeviceKeyBackend,
  assertSaneClock,
  IdentityError,
  EARLIEST_SANE_TIME,
  type DeviceKeyBackend,
  type EdgeNodeCertSpec,
} from "./device.ts";
export { tpmDeviceKeyBackend, ensureTpmEdgeNodeCerts, tpmKeyStatus, DERIVABLE_DEVICE_KEY_ADVICE } from "./tpm-backend.ts";
