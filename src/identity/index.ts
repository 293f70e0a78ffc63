export type { P256Signer } from "../shared/index.ts";
export {
  assertSaneClock,
  type DeviceKeyBackend,
  EARLIEST_SANE_TIME,
  type EdgeNodeCertSpec,
  ensureDeviceIdentity,
  ensureEdgeNodeCerts,
  ensureSoftEdgeNodeCerts,
  IdentityError,
  loadOnboardingIdentity,
  softDeviceKeyBackend,
} from "./device.ts";
export { hardwareModel, hardwareSerial, softSerial } from "./serial.ts";
export type { KeyIdentity } from "./signer.ts";
export { DERIVABLE_DEVICE_KEY_ADVICE, ensureTpmEdgeNodeCerts, tpmDeviceKeyBackend, tpmKeyStatus } from "./tpm-backend.ts";
