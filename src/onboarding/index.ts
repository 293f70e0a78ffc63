export { Onboarder, OnboardingError, type OnboardingStatus, type OnboardingPhase, type OnboardingDeps, type OnboardingResult } from "./onboard.ts";
export { readPersistedUuid, persistOnboarding, type OnboardingRecord } from "./persist.ts";
export { DeviceUuid } from "./uuid.ts";
