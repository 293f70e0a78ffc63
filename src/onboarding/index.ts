export { Onboarder, OnboardingError, type OnboardingStatus, type OnboardingPhase, type OnboardingDeps } from "./onboard.ts";
export { readPersistedUuid, persistOnboarding, type OnboardingRecord } from "./persist.ts";
