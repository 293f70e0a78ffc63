import type { Logger } from "../shared/index.ts";
import { ESYS_TR, type EsysTr, type TpmPort } from "./port.ts";
import { createPrimary, evictPersistent, makePersistent, openPersistent, withFlush } from "./commands/objects.ts";
import { matchesTemplate } from "./structures/templates.ts";
import type { TpmtPublic } from "./structures/public.ts";
import { HANDLES, TEMPLATES, type KeyName } from "./slots.ts";

export interface PersistentKey {
  name: KeyName;
  handle: number;
  tr: EsysTr;
  public: TpmtPublic;
  publicBytes: Uint8Array;
}

export interface EnsureOutcome {
  key: PersistentKey;
  created: boolean;
  /** Set when an object with other attributes sat at the handle and was replaced. */
  replaced: boolean;
}

/**
 * Makes sure `name` sits at its EVE handle with EVE's template: reuses a
 * matching object (no CreatePrimary), otherwise evicts whatever is there and
 * creates the primary under the owner hierarchy, then makes it persistent.
 */
export async function ensureKey(
  tpm: TpmPort,
  name: KeyName,
  opts: { auth?: Uint8Array; recreate?: boolean; onCreatePrimary?: () => void; log: Logger },
): Promise<EnsureOutcome> {
  const handle = HANDLES[name];
  const template = TEMPLATES[name];
  const existing = await openPersistent(tpm, handle);
  let replaced = false;
  if (existing) {
    if (!opts.recreate && matchesTemplate(existing.public, template)) {
      return { key: { name, handle, ...existing }, created: false, replaced: false };
    }
    opts.log.warn("replacing persistent TPM object", { keyHandle: `0x${handle.toString(16)}`, key_type: name });
    await evictPersistent(tpm, existing.tr, handle);
    replaced = true;
  }
  opts.onCreatePrimary?.();
  const created = await createPrimary(tpm, ESYS_TR.RH_OWNER, template, opts.auth);
  const tr = await withFlush(tpm, created.tr, (t) => makePersistent(tpm, t, handle));
  return { key: { name, handle, tr, public: created.public, publicBytes: created.publicBytes }, created: true, replaced };
}
