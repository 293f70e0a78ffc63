// Controller certificate sets built in-process with @peculiar/x509: a real
// root and intermediate, and leaves with odd but legal shapes (unknown
// non-critical extensions, long names, 20-byte serials, many SANs, chains
// sent in any order) so the chain reader sees more than the one happy shape.
import { createPrivateKey, sign as nodeSign } from "node:crypto";
import { p256 } from "@noble/curves/nist.js";
import { type ParsedCert, type PublicKeyInfo, parseCertificatesPem } from "../../src/pki/index.ts";
import { x509 } from "../../src/pki/x509-lib.ts";

const EC = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

export interface Issued {
  pem: string;
  der: Uint8Array;
  keys: CryptoKeyPair;
}

let serial = 1;

async function issue(opts: { subject: string; issuer?: Issued; ca?: boolean; odd?: boolean; keys?: CryptoKeyPair; notAfter?: Date }): Promise<Issued> {
  const keys = opts.keys ?? ((await crypto.subtle.generateKey(EC, true, ["sign", "verify"])) as CryptoKeyPair);
  const exts: InstanceType<typeof x509.Extension>[] = [];
  if (opts.ca) {
    exts.push(new x509.BasicConstraintsExtension(true, opts.odd ? 7 : undefined, true));
    exts.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true));
  } else {
    exts.push(new x509.BasicConstraintsExtension(false, undefined, opts.odd ?? false));
    exts.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true));
    exts.push(new x509.ExtendedKeyUsageExtension(opts.odd ? [SERVER_AUTH, "1.3.6.1.5.5.7.3.2", "1.2.3.4.5.6.7"] : [SERVER_AUTH], false));
  }
  exts.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
  if (opts.issuer) exts.push(await x509.AuthorityKeyIdentifierExtension.create(opts.issuer.keys.publicKey));
  if (opts.odd) {
    // Legal but unusual: an unknown private extension (non-critical), many SANs.
    exts.push(new x509.Extension("1.3.6.1.4.1.99999.1", false, new Uint8Array([4, 3, 1, 2, 3])));
    exts.push(
      new x509.SubjectAlternativeNameExtension([
        ...Array.from({ length: 20 }, (_, i) => ({ type: "dns" as const, value: `h${i}.example.test` })),
        { type: "ip", value: "127.0.0.1" },
      ]),
    );
  }
  const serialHex = opts.odd ? "7f" + "ab".repeat(19) : (serial++).toString(16).padStart(2, "0");
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex,
    subject: opts.subject,
    issuer: opts.issuer ? new x509.X509Certificate(opts.issuer.der).subject : opts.subject,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: opts.notAfter ?? new Date(Date.now() + 365 * 86_400_000),
    signingAlgorithm: EC,
    publicKey: keys.publicKey,
    signingKey: (opts.issuer ?? { keys }).keys.privateKey,
    extensions: exts,
  });
  return { pem: cert.toString("pem") + "\n", der: new Uint8Array(cert.rawData), keys };
}

export interface FuzzPki {
  root: Issued;
  roots: ParsedCert[];
  intermediate: Issued;
  /** leaves issued under root (directly or via the intermediate): the only ones a verified set may hold */
  trustedLeafDers: Set<string>;
  signing: Issued;
  signingOdd: Issued;
  ecdh: Issued;
  ecdhOdd: Issued;
  /** a look-alike root (same DN, other key) and a leaf under it: must never verify */
  rogueLeaf: Issued;
  rogueIntermediate: Issued;
  /**
   * The envelope signer: the signing leaf's key. signPayload is ECDSA P-256
   * over SHA-256(payload) as r||s, through node:crypto (BoringSSL, about
   * 40 µs) because a JavaScript signer (about 2 ms) was most of the envelope
   * targets' time. Its signatures are randomized: a FUZZ_SEED replay makes
   * the same payloads and mutations, with other (equally valid) signature
   * bytes; a kept regression file holds the exact bytes.
   */
  envelopeKey: { secret: Uint8Array; publicKey: PublicKeyInfo; certPem: Uint8Array; signPayload(payload: Uint8Array): Uint8Array };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

export async function makeFuzzPki(): Promise<FuzzPki> {
  const root = await issue({ subject: "CN=fuzz root CA,O=edge-agent fuzz", ca: true });
  const intermediate = await issue({ subject: "CN=fuzz intermediate CA,O=edge-agent fuzz", ca: true, odd: true, issuer: root });
  const signing = await issue({ subject: "CN=controller signing,O=edge-agent fuzz", issuer: root });
  const signingOdd = await issue({ subject: `CN=controller signing ${"long-name-".repeat(20)},O=edge-agent fuzz,OU=a,OU=b`, issuer: intermediate, odd: true });
  const ecdh = await issue({ subject: "CN=controller ecdh,O=edge-agent fuzz", issuer: root });
  const ecdhOdd = await issue({ subject: "CN=controller ecdh odd,O=edge-agent fuzz", issuer: intermediate, odd: true });
  const rogueRoot = await issue({ subject: "CN=fuzz root CA,O=edge-agent fuzz", ca: true });
  const rogueIntermediate = await issue({ subject: "CN=fuzz intermediate CA,O=edge-agent fuzz", ca: true, issuer: rogueRoot });
  const rogueLeaf = await issue({ subject: "CN=controller signing,O=edge-agent fuzz", issuer: rogueRoot });

  const jwk = await crypto.subtle.exportKey("jwk", signing.keys.privateKey);
  const secret = new Uint8Array(Buffer.from(jwk.d!, "base64url"));
  const privateKey = createPrivateKey({ key: jwk as unknown as import("node:crypto").JsonWebKeyInput["key"], format: "jwk" });
  const point = p256.getPublicKey(secret, false);
  const spkiDer = new Uint8Array(await crypto.subtle.exportKey("spki", signing.keys.publicKey));
  return {
    root,
    roots: parseCertificatesPem(root.pem),
    intermediate,
    // CA certs under the root chain too (Go applies no leaf-only rule), so they count as legitimately issued.
    trustedLeafDers: new Set([signing, signingOdd, ecdh, ecdhOdd, intermediate, root].map((c) => hex(c.der))),
    signing,
    signingOdd,
    ecdh,
    ecdhOdd,
    rogueLeaf,
    rogueIntermediate,
    envelopeKey: {
      secret,
      publicKey: { kind: "ec", curve: "P-256", point, spkiDer },
      certPem: new TextEncoder().encode(signing.pem),
      signPayload: (payload) => new Uint8Array(nodeSign("sha256", payload, { key: privateKey, dsaEncoding: "ieee-p1363" })),
    },
  };
}
