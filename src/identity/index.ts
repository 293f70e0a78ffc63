export type { P256Signer } from "../shared/index.ts";
export {
  assertSaneClock,
  type DeviceKeyBackend,
  type EdgeNodeCertSpec,
  ensureDeviceIdentity,
  ensureEdgeNodeCerts,
  ensureSoftEdgeNodeCerts,
  IdentityError,
  loadOnboardingIdentity,
  softDeviceKeyBackend,
} from "./device.ts";
export { DERIVABLE_DEVICE_KEY_ADVICE, EARLIEST_SANE_TIME } from "./limits.ts";
export { hardwareModel, hardwareSerial, softSerial } from "./serial.ts";
export type { KeyIdentity } from "./signer.ts";
export { ensureTpmEdgeNodeCerts, tpmDeviceKeyBackend, tpmKeyStatus } from "./tpm-backend.ts";
