export { ADAM_V013_DIFFERENCES, type AdamDifference } from "./differences.ts";
export {
  ADAM_FALLBACK_VERSION,
  ADAM_MODULE,
  ADAM_PINNED_COMMIT,
  AdamError,
  type AdamInstall,
  AdamInstallError,
  type InstallAdamOptions,
  installAdam,
} from "./install.ts";
export { type Adam, type AdamCertFiles, AdamStartError, adamDeviceConfig, type DeviceConfigOptions, type StartAdamOptions, startAdam } from "./process.ts";
