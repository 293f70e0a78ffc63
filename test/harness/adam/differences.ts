/**
 * How Adam v0.1.3 (the fallback build, see install.ts) differs from the
 * pinned commit that docs/adam.md describes and the in-repo test
 * controller follows, read from v0.1.3's source and observed when run.
 *
 * This is the one list of them. A scenario that meets one asks for it by
 * name (`peer.differs("register-unknown-401")`) and asserts the alternative
 * there, so no difference is absorbed silently and removing one here makes
 * the scenarios that relied on it fail to compile.
 */
export const ADAM_V013_DIFFERENCES = {
  "register-unknown-401": "register with an unknown onboarding cert or serial answers 401, not 403",
  "base-config-at-register": 'registration (and admin device add) stores a base config {id:{uuid,version:"4"}}, so /config serves one before any admin PUT',
  "no-confighash-no-scep": "served configs carry no controllercert_confighash, and there is no /proxy/scep route",
  "ip-single-address": "--ip takes one address (a plain string flag), not a repeatable list",
  "info-stored-binary":
    "info is stored as binary protobuf; GET /admin/device/U/info converts to protojson only when Accept allows JSON, and the plain dump merges a file's messages into one (the X-Stream call passes each on its own)",
  "register-repeat-panics":
    "a device registered less than --cert-refresh seconds ago has no onboard cert/serial in memory, so any /register in that window panics the handler (connection reset) instead of answering 409",
  "request-files-per-second":
    "with --cert-refresh 0 every request starts a new request/info file named to the second, so records made in the same second replace each other",
  "unlocked-json-writes":
    "options.json, certs.json and storage-keys.json are rewritten (truncate, then write) without a lock: a read that crosses a write sees empty or partial JSON (the admin call answers 400 or 500, a device /attest or /config 500), the device's first /attest and /config race to create options.json, and concurrent polls make both likelier",
  "onboard-remove-cached":
    "removing an onboarding cert deletes its files but leaves it listed (and accepted) until the next --cert-refresh, while an add updates the cached list at once",
  "quote-options-overwritten":
    "the quote handler writes back the options it read before templateAttest stored the received PCR template and event log, so receivedPCRTemplate stays null and eventLog absent",
} as const;

export type AdamDifference = keyof typeof ADAM_V013_DIFFERENCES;
