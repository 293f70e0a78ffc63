import { constants, generateKeyPair, generateKeyPairSync, type KeyObject, privateDecrypt } from "node:crypto";
import { keyBindingDigest } from "../quote.ts";

/**
 * The key the U and V halves are encrypted to (`pubkey` in the quotes and
 * keys/pubkey). A software RSA-2048 key made at start and held in memory
 * only, as the rust agent does: it protects one bootstrap exchange, the
 * quote's PCR 16 binds it to the TPM, and a restart makes a new one (the
 * verifier then fails the agent until it is re-added, docs/keylime.md#running-keylime),
 * so nothing about it is worth persisting or spending TPM object slots on.
 */
export class TransportKey {
  /** SubjectPublicKeyInfo PEM with its trailing newline: the exact string PCR 16 binds. */
  readonly publicPem: string;
  private readonly privateKey: KeyObject;

  private constructor(privateKey: KeyObject, publicPem: string) {
    this.privateKey = privateKey;
    this.publicPem = publicPem;
  }

  /** Off the event loop: RSA key generation takes seconds on a small device, and EVE's services share the loop. */
  static create(): Promise<TransportKey> {
    return new Promise((resolve, reject) =>
      generateKeyPair("rsa", { modulusLength: 2048, publicExponent: 65537 }, (err, publicKey, privateKey) =>
        err ? reject(err) : resolve(new TransportKey(privateKey, publicKey.export({ type: "spki", format: "pem" }).toString())),
      ),
    );
  }

  static generate(): TransportKey {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 65537 });
    return new TransportKey(privateKey, publicKey.export({ type: "spki", format: "pem" }).toString());
  }

  /**
   * H(pubkey PEM): the value extended into the reset PCR 16, so that
   * PCR16 = H(0…0 ‖ H(PEM)) as the verifier recomputes it (kl/tpm/tpm_main.py sim_extend), in the SHA-256 bank the quotes use.
   */
  bindDigest(): Uint8Array {
    return keyBindingDigest(this.publicPem);
  }

  /** RSA-OAEP with SHA-1 and MGF1-SHA-1, no label (kl/crypto.py rsa_encrypt). Throws on any padding error. */
  decrypt(ciphertext: Uint8Array): Uint8Array {
    return new Uint8Array(privateDecrypt({ key: this.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" }, ciphertext));
  }
}
