import { createHmac, timingSafeEqual } from "node:crypto";
import { toHex } from "../../shared/index.ts";

/** K, U and V are 32 bytes (kl/cmd/user_data_encrypt.py: AES-256 key and its two XOR halves). */
export const HALF_BYTES = 32;
/** Halves kept while waiting for the other one; a peer cannot grow this without bound. */
const MAX_PENDING = 8;

export interface UHalf {
  half: Uint8Array;
  /** HMAC-SHA384(K, agent UUID), as the tenant computes it (kl/tenant.py preloop). */
  authTag: Uint8Array;
  /** base64-decoded iv ‖ AES-256-GCM ciphertext ‖ tag, when the tenant sent one. */
  payload?: Uint8Array;
}

export type BootstrapState = "none" | "u-received" | "v-received" | "both-unmatched" | "combined";

export interface Combined {
  key: Uint8Array;
  payload?: Uint8Array;
}

export function hmacSha384(key: Uint8Array, message: string): Uint8Array {
  return new Uint8Array(createHmac("sha384", key).update(message, "utf8").digest());
}

/**
 * The bootstrap key K = U ⊕ V. The tenant sends U, the verifier sends V
 * only after a good quote, in either order, and a re-enrolment sends new
 * pairs while old halves may still arrive; so every pending U is tried with
 * every pending V, and the pair whose K authenticates the UUID wins (as the
 * rust agent's try_combine_keys does). K stays in memory only.
 */
export class BootstrapKeys {
  private us: UHalf[] = [];
  private vs: Uint8Array[] = [];
  private key: Uint8Array | undefined;

  constructor(private readonly uuid: string) {}

  /** Returns what the new half completed, if anything. */
  addU(u: UHalf): Combined | undefined {
    this.us = [...this.us, u].slice(-MAX_PENDING);
    return this.combine();
  }

  addV(v: Uint8Array): Combined | undefined {
    this.vs = [...this.vs, v].slice(-MAX_PENDING);
    return this.combine();
  }

  get state(): BootstrapState {
    if (this.key && this.us.length === 0 && this.vs.length === 0) return "combined";
    if (this.us.length > 0 && this.vs.length > 0) return "both-unmatched";
    if (this.us.length > 0) return "u-received";
    if (this.vs.length > 0) return "v-received";
    return this.key ? "combined" : "none";
  }

  get combined(): boolean {
    return this.key !== undefined;
  }

  /** hex HMAC-SHA384(K, challenge), what `keylime_tenant --verify` compares; undefined before K exists. */
  verify(challenge: string): string | undefined {
    return this.key ? toHex(hmacSha384(this.key, challenge)) : undefined;
  }

  private combine(): Combined | undefined {
    for (const u of this.us) {
      for (const v of this.vs) {
        if (u.half.length !== v.length) continue;
        const k = u.half.map((b, i) => b ^ v[i]!);
        const tag = hmacSha384(k, this.uuid);
        if (tag.length === u.authTag.length && timingSafeEqual(tag, u.authTag)) {
          this.key = k;
          this.us = [];
          this.vs = [];
          return { key: k, ...(u.payload ? { payload: u.payload } : {}) };
        }
      }
    }
    return undefined;
  }
}
