export {
  type CertsFetchOutcome,
  fetchControllerCerts,
  Onboarder,
  type OnboardingDeps,
  OnboardingError,
  type OnboardingPhase,
  type OnboardingResult,
  type OnboardingStatus,
} from "./onboard.ts";
export { type OnboardingRecord, persistOnboarding, readPersistedUuid } from "./persist.ts";
export { DeviceUuid } from "./uuid.ts";
