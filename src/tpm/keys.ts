import type { Logger } from "../shared/index.ts";
import { createChild, createPrimary, evictPersistent, makePersistent, openPersistent, type PersistentObject, withFlush } from "./commands/objects.ts";
import { TpmError } from "./errors.ts";
import { ESYS_TR, type EsysTr, type TpmPort } from "./port.ts";
import { CHILD_TEMPLATES, type ChildKeyName, EVE_CHILD_TEMPLATES, HANDLES, isChildKey, type KeyName, PRIMARY_TEMPLATES, type PrimaryKeyName } from "./slots.ts";
import type { TpmtPublic } from "./structures/public.ts";
import { matchesTemplate } from "./structures/templates.ts";

/**
 * "derivable": a primary key; whoever can run TPM2_CreatePrimary in its
 * hierarchy re-creates the private key from the template, with an auth of
 * their choice. "tpm-created": an ordinary object whose private part came
 * from the TPM's RNG and exists nowhere else.
 */
export type KeyOrigin = "derivable" | "tpm-created";

export interface PersistentKey {
  name: KeyName;
  handle: number;
  tr: EsysTr;
  public: TpmtPublic;
  publicBytes: Uint8Array;
  origin: KeyOrigin;
}

export interface EnsureOutcome {
  key: PersistentKey;
  created: boolean;
  /** Set when an object with other attributes sat at the handle and was replaced. */
  replaced: boolean;
}

export interface EnsureKeyOptions {
  /** userAuth of a newly created key (the device key's). */
  auth?: Uint8Array;
  recreate?: boolean;
  /** Parent of the device and ECDH keys; required for those. */
  srk?: PersistentKey;
  onCreatePrimary?: () => void;
  onCreate?: () => void;
  log: Logger;
}

const hex = (h: number) => `0x${h.toString(16)}`;

function existingKey(name: KeyName, handle: number, o: PersistentObject): PersistentKey {
  return { name, handle, tr: o.tr, public: o.public, publicBytes: o.publicBytes, origin: o.primary ? "derivable" : "tpm-created" };
}

/**
 * Makes sure `name` sits at its EVE handle: reuses a matching object (no
 * CreatePrimary or Create on a warm boot), otherwise evicts whatever is there
 * and creates the key, then makes it persistent.
 */
export function ensureKey(tpm: TpmPort, name: KeyName, opts: EnsureKeyOptions): Promise<EnsureOutcome> {
  return isChildKey(name) ? ensureChildKey(tpm, name, opts) : ensurePrimaryKey(tpm, name, opts);
}

/** EK, SRK, AIK, quote key: EVE's primaries under the owner hierarchy. */
async function ensurePrimaryKey(tpm: TpmPort, name: PrimaryKeyName, opts: EnsureKeyOptions): Promise<EnsureOutcome> {
  const handle = HANDLES[name];
  const template = PRIMARY_TEMPLATES[name];
  const existing = await openPersistent(tpm, handle);
  let replaced = false;
  if (existing) {
    if (!opts.recreate && matchesTemplate(existing.public, template)) {
      return { key: existingKey(name, handle, existing), created: false, replaced: false };
    }
    opts.log.warn("replacing persistent TPM object", { keyHandle: hex(handle), key_type: name });
    await evictPersistent(tpm, existing.tr, handle);
    replaced = true;
  }
  opts.onCreatePrimary?.();
  const created = await createPrimary(tpm, ESYS_TR.RH_OWNER, template, opts.auth);
  const tr = await withFlush(tpm, created.tr, (t) => makePersistent(tpm, t, handle));
  return { key: { name, handle, tr, public: created.public, publicBytes: created.publicBytes, origin: "derivable" }, created: true, replaced };
}

/**
 * Device and ECDH keys: TPM2_Create under the SRK, TPM2_Load, EvictControl.
 * The private blob is dropped on purpose: the persistent object survives
 * reboots inside the TPM, and the blob could only bring the key back after
 * an owner-authorised eviction (a TPM clear changes the SRK and makes the
 * blob useless anyway); keeping it would leave a loadable copy of the
 * identity on disk and hide a removed key that should be reported as a
 * cleared TPM.
 *
 * An existing key made by EVE's template (a migrated device) is kept: the
 * controller knows the device by it and the vault escrow is wrapped with the
 * ECDH key; it is reported as derivable instead.
 */
async function ensureChildKey(tpm: TpmPort, name: ChildKeyName, opts: EnsureKeyOptions): Promise<EnsureOutcome> {
  const handle = HANDLES[name];
  const template = CHILD_TEMPLATES[name];
  const existing = await openPersistent(tpm, handle);
  let replaced = false;
  if (existing) {
    const known = matchesTemplate(existing.public, template) || matchesTemplate(existing.public, EVE_CHILD_TEMPLATES[name]);
    if (!opts.recreate && known) return { key: existingKey(name, handle, existing), created: false, replaced: false };
    if (!opts.recreate && name === "device") {
      // Replacing it would destroy the identity the controller knows; an operator must look first.
      await tpm.closeTr({ object: existing.tr }).catch(() => undefined);
      throw new TpmError(
        "tpm.key-mismatch",
        `the object at ${hex(handle)} is not a device key (attributes 0x${existing.public.attributes.toString(16)}); refusing to replace it`,
      );
    }
    opts.log.warn("replacing persistent TPM object", { keyHandle: hex(handle), key_type: name });
    await evictPersistent(tpm, existing.tr, handle);
    replaced = true;
  }
  if (!opts.srk) throw new TpmError("tpm.key-missing", `the SRK is needed to create the ${name} key`);
  opts.onCreate?.();
  const created = await createChild(tpm, opts.srk.tr, template, opts.auth);
  const tr = await withFlush(tpm, created.tr, (t) => makePersistent(tpm, t, handle));
  return { key: { name, handle, tr, public: created.public, publicBytes: created.publicBytes, origin: "tpm-created" }, created: true, replaced };
}

/** Origin of whatever sits at the key's handle, without loading or creating anything. */
export async function inspectKey(tpm: TpmPort, name: KeyName): Promise<KeyOrigin | "missing"> {
  const o = await openPersistent(tpm, HANDLES[name]);
  if (!o) return "missing";
  await tpm.closeTr({ object: o.tr });
  return o.primary ? "derivable" : "tpm-created";
}
