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
export { Pkcs11, Pkcs11Token, Pkcs11Key, parseSlotSelector, pinOf } from "./module.ts";
export type { Pkcs11Options, TokenSelector, OpenTokenOptions, KeyAlgorithm, ObjectInfo, RsaPadding, HashName, ModuleInfo, SlotInfo, TokenInfo, Mechanism, Attr } from "./module.ts";
export { parsePkcs11Uri, formatPkcs11Uri, describePkcs11Uri, type Pkcs11Uri, type Pkcs11ObjectType } from "./uri.ts";
export { Pkcs11Error, hasCkr, type Pkcs11ErrorKind } from "./errors.ts";
export { p256Signer, rsaSigner, type RsaSigner } from "./signers.ts";
export { spkiOf, ecdsaRawToDer, type Pkcs11PublicKey } from "./public-key.ts";
export { CKA, CKM, CKO, CKK, CKR, ckrName } from "./constants.ts";
