import { normalizeUuid } from "../controller/index.ts";
import { utf8 } from "../shared/index.ts";
import { type DeviceLayout, readValidated, writeFileAtomicIfChanged } from "../state/index.ts";

export interface OnboardingRecord {
  uuid: string;
  hardwareModel?: string;
}

/** The persisted device UUID; throws StateError(corrupt) for a file that is not one. */
export function readPersistedUuid(layout: DeviceLayout): string | undefined {
  return readValidated(layout.persist.uuid, (d) => normalizeUuid(utf8.decode(d)));
}

/**
 * Writes the onboarding outcome in EVE's files: the UUID file last-but-one
 * and the OnboardingStatus record last, so a crash in between leaves a state
 * that simply onboards again. A file that already says the same (every
 * boot after the first) is left as it is.
 */
export function persistOnboarding(layout: DeviceLayout, rec: OnboardingRecord): void {
  if (rec.hardwareModel) writeFileAtomicIfChanged(layout.persist.hardwareModel, rec.hardwareModel, 0o644);
  writeFileAtomicIfChanged(layout.persist.uuid, `${rec.uuid}\n`, 0o644);
  writeFileAtomicIfChanged(layout.persist.onboardingStatus, JSON.stringify({ DeviceUUID: rec.uuid, HardwareModel: rec.hardwareModel ?? "" }) + "\n", 0o644);
}
