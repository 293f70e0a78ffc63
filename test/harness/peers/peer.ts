/**
 * What a controller suite needs from one EVE controller implementation:
 * the admin client, device /config files, the controller's own records
 * (the ones its admin API does not serve), a way to make it unreachable,
 * and its known differences from the reference behaviour, by name.
 */
import type { AdamDifference } from "../adam/index.ts";
import type { AdminClient, ControllerFetch, StoredKeysJson } from "../admin/index.ts";
import type { DeviceFiles } from "../device.ts";
import type { OnboardingCert } from "../pki.ts";

export type PeerKind = "test-controller" | "adam";

export interface ControllerPeer {
  readonly kind: PeerKind;
  /** The one admin API client. */
  readonly client: AdminClient;
  /** fetch against the controller's HTTPS root, trusting its CA. */
  readonly fetch: ControllerFetch;
  /** Agent timer overrides this controller needs (on top of the harness's FAST_TIMERS). */
  readonly agentTimers: Readonly<Record<string, number>>;
  /**
   * Whether a named difference from the reference behaviour applies to this
   * controller (the list and the reasons: adam/differences.ts). The test
   * controller follows the reference, so it never differs.
   */
  differs(difference: AdamDifference): boolean;
  /** The /config files of a device that onboards to this controller with `onboard`. */
  deviceFiles(onboard: OnboardingCert): Promise<DeviceFiles>;
  /**
   * Reads the controller's data again while `read` throws what a read
   * crossing one of Adam v0.1.3's unlocked file writes throws
   * ("unlocked-json-writes"); elsewhere it is just `read()`.
   */
  settled<T>(what: string, read: () => Promise<T>): Promise<T>;
  /** storage-keys.json of the device (no admin call in Adam; an extension route in the test controller). */
  storedKeys(uuid: string): Promise<StoredKeysJson>;
  /** When the controller created the device record (ms since the epoch). */
  registeredAtMs(uuid: string): number;
  /** Why each /register was refused, oldest first, in the words of Adam's errors. */
  registerRefusals(): string[];
  /** Why each quote was refused, oldest first (quoteValidate or templateAttest). */
  quoteRefusals(): string[];
  /** Runs `body` while the controller answers nothing, and brings it back after. */
  unreachable<T>(body: () => Promise<T>): Promise<T>;
  /** The controller's log (Adam's output; the test controller's refusal records), for evidence and failure reports. */
  log(): string;
  stop(): Promise<void>;
}
