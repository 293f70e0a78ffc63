export { ADAM_FALLBACK_VERSION, ADAM_MODULE, ADAM_PINNED_COMMIT, AdamError, AdamInstallError, installAdam, type AdamInstall, type InstallAdamOptions } from "./install.ts";
export { AdamStartError, adamDeviceConfig, startAdam, type Adam, type AdamCertFiles, type DeviceConfigOptions, type StartAdamOptions } from "./process.ts";
export { ADAM_V013_DIFFERENCES, type AdamDifference } from "./differences.ts";
