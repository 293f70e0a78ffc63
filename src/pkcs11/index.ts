/**
 * PKCS#11 (Cryptoki v2.40) client: loads a module by path through bun:ffi,
 * opens tokens by slot index or RFC 7512 URI, finds and generates EC P-256
 * and RSA keys, and signs with them inside the token. Private keys never
 * leave the token; PINs never reach a log line or an error.
 *
 *   const p11 = await Pkcs11.open({ libPath: "/usr/lib/softhsm/libsofthsm2.so", log });
 *   const key = await p11.findKey("pkcs11:token=edge;object=device-id?pin-value=1234");
 *   const signer = p256Signer(key);                    // P256Signer for envelopes
 *   const token = await p11.openToken(parseSlotSelector(0), { pin });
 *   const fresh = await token.generateKeyPair({ algorithm: "ec-p256", label: "workload" });
 *   await p11.close();                                 // logout, close sessions, C_Finalize
 */

export { CKA, CKK, CKM, CKO, CKR, ckrName } from "./constants.ts";
export { hasCkr, Pkcs11Error, type Pkcs11ErrorKind } from "./errors.ts";
export type {
  Attr,
  HashName,
  KeyAlgorithm,
  Mechanism,
  ModuleInfo,
  ObjectInfo,
  OpenTokenOptions,
  Pkcs11Options,
  RsaPadding,
  SlotInfo,
  TokenInfo,
  TokenSelector,
} from "./module.ts";
export { Pkcs11, Pkcs11Key, Pkcs11Token, parseSlotSelector, pinOf } from "./module.ts";
export { ecdsaRawToDer, type Pkcs11PublicKey, spkiOf } from "./public-key.ts";
export { p256Signer, type RsaSigner, rsaSigner } from "./signers.ts";
export { describePkcs11Uri, formatPkcs11Uri, type Pkcs11ObjectType, type Pkcs11Uri, parsePkcs11Uri } from "./uri.ts";
