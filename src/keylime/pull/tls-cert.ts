import { generateKeyPairSync, sign, X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { asn1, encodePem } from "../../pki/index.ts";
import { PullError } from "./errors.ts";

const OID_CN = "2.5.4.3";
const OID_SAN = "2.5.29.17";
const OID_ECDSA_SHA256 = "1.2.840.10045.4.3.2";
const DAY_MS = 24 * 3600 * 1000;
/** What the rust agent names in every agent certificate (crypto/x509.rs LOCAL_DNS_NAMES, LOCAL_IPS). */
const LOCAL_NAMES = ["localhost"];
const LOCAL_IPS = ["127.0.0.1", "::1"];

export interface AgentTlsCert {
  certPem: string;
  keyPem: string;
}

/**
 * The pull server's certificate as Keylime expects it: self-signed P-256,
 * CN = the agent UUID, SANs localhost/127.0.0.1/::1 and the contact
 * address. The registrar stores it as mtls_cert and the verifier and tenant
 * pin it as their only CA for this agent, without a hostname check
 * (kl/web_util.py). Made at each start and held in memory, like the
 * transport key: after a restart the verifier re-adds the agent anyway.
 */
export function createAgentTlsCert(uuid: string, contact: string, now = new Date()): AgentTlsCert {
  const {
    AlgorithmIdentifier,
    AsnConvert,
    AttributeTypeAndValue,
    AttributeValue,
    Certificate,
    Extension,
    Extensions,
    GeneralName,
    Name,
    OctetString,
    RelativeDistinguishedName,
    SubjectAlternativeName,
    SubjectPublicKeyInfo,
    TBSCertificate,
    Validity,
    Version,
  } = asn1();
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const spki = publicKey.export({ type: "spki", format: "der" });
  const name = new Name([new RelativeDistinguishedName([new AttributeTypeAndValue({ type: OID_CN, value: new AttributeValue({ utf8String: uuid }) })])]);
  const ips = [...LOCAL_IPS, ...(isIP(contact) && !LOCAL_IPS.includes(contact) ? [contact] : [])];
  const dns = [...LOCAL_NAMES, ...(!isIP(contact) && !LOCAL_NAMES.includes(contact) ? [contact] : [])];
  const san = new SubjectAlternativeName([...dns.map((d) => new GeneralName({ dNSName: d })), ...ips.map((ip) => new GeneralName({ iPAddress: ip }))]);
  const algorithm = new AlgorithmIdentifier({ algorithm: OID_ECDSA_SHA256 });
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive and minimal: a DER INTEGER without a leading zero byte
  const second = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: serial.buffer,
    signature: algorithm,
    issuer: name,
    // An hour back for a verifier whose clock lags; a year, as the rust agent's.
    validity: new Validity({ notBefore: second(now.getTime() - 3600 * 1000), notAfter: second(now.getTime() + 365 * DAY_MS) }),
    subject: name,
    subjectPublicKeyInfo: AsnConvert.parse(spki, SubjectPublicKeyInfo),
    extensions: new Extensions([new Extension({ extnID: OID_SAN, critical: false, extnValue: new OctetString(AsnConvert.serialize(san)) })]),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const signature = sign("sha256", tbsDer, { key: privateKey, dsaEncoding: "der" });
  const der = new Uint8Array(
    AsnConvert.serialize(new Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue: new Uint8Array(signature).buffer })),
  );
  const certPem = encodePem("CERTIFICATE", der);
  // Checked with an independent parser before anyone is told about it.
  const x = new X509Certificate(certPem);
  if (!x.verify(publicKey)) throw new PullError("keylime.pull.listen", "generated agent certificate does not verify");
  return { certPem, keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}
