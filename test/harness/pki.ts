/**
 * The controller PKI and onboarding certs the integration tests and the
 * demo use, built with the one openssl-driven builder (openssl-ca.ts), so
 * the certificates come from an implementation independent of the agent's
 * own X.509 code.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type KeyAlg, OpensslDir } from "./openssl-ca.ts";

export interface CertAndKey {
  certPem: string;
  keyPem: string;
  certPath: string;
  keyPath: string;
}

/** A leaf plus the intermediate (if any) that a peer needs to build the chain. */
export interface LeafCert extends CertAndKey {
  /** Leaf followed by the intermediate CA, or just the leaf without one. */
  chainPem: string;
  chainPath: string;
}

export type ControllerLeaf = "server" | "signing" | "ecdh";

export interface ControllerPkiOptions {
  /** SANs of the TLS server cert; IP literals become IP SANs. */
  hosts?: string[];
  /**
   * CN of the TLS server cert; defaults to the first DNS name in `hosts`
   * (else the first host). Adam writes this CN, not a SAN, into conf-dir/server.
   */
  serverCn?: string;
  /** Put an intermediate CA between the root and the three leaves. */
  intermediate?: boolean;
  /** Key of the controller signing cert: EC P-256 (EVE style) or RSA-2048 (Adam's auto-cert style). */
  signingKey?: "ec" | "rsa";
  /** Leaves to issue already expired (validity ended yesterday). */
  expired?: ControllerLeaf[];
  /** Leaves to issue from `otherCa`, a root the device does not trust. */
  wrongCa?: ControllerLeaf[];
  /** Directory to write into (created); defaults to a fresh temp dir. */
  dir?: string;
}

export interface ControllerPki {
  dir: string;
  rootCa: CertAndKey;
  intermediateCa?: CertAndKey;
  /**
   * An unrelated root with the same subject DN as `rootCa`; present when
   * `wrongCa` was asked for. The shared DN makes issuer-name matching alone
   * pass, so only a real signature check rejects its leaves.
   */
  otherCa?: CertAndKey;
  server: LeafCert;
  signing: LeafCert;
  ecdh: LeafCert;
  /** What the device trusts: the root CA PEM (its /config/root-certificate.pem). */
  trustPem: string;
  cleanup(): Promise<void>;
}

const ROOT_SUBJECT = "/O=edge-agent test/CN=edge-agent test root CA";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface Validity {
  notBefore: Date;
  notAfter: Date;
}

function validFor(days: number): Validity {
  const now = Date.now();
  // Back-dated by an hour so a peer whose clock lags slightly still accepts it.
  return { notBefore: new Date(now - HOUR), notAfter: new Date(now + days * DAY) };
}

function expiredValidity(): Validity {
  const now = Date.now();
  return { notBefore: new Date(now - 30 * DAY), notAfter: new Date(now - DAY) };
}

function sanList(hosts: readonly string[]): string {
  return hosts.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(",");
}

async function certAndKey(
  d: OpensslDir,
  name: string,
  subject: string,
  alg: KeyAlg,
  extensions: string[],
  validity: Validity,
  issuer?: CertAndKey,
): Promise<CertAndKey> {
  const made = await d.certAsync(name, { subject, alg, extensions, ...validity, ...(issuer ? { issuer } : {}) });
  return { certPem: made.pem, keyPem: readFileSync(made.keyPath, "utf8"), certPath: made.certPath, keyPath: made.keyPath };
}

async function makeCa(d: OpensslDir, name: string, subject: string, issuer?: CertAndKey): Promise<CertAndKey> {
  return await certAndKey(
    d,
    name,
    subject,
    "ec",
    [
      issuer ? "basicConstraints = critical, CA:TRUE, pathlen:0" : "basicConstraints = critical, CA:TRUE",
      "keyUsage = critical, keyCertSign, cRLSign",
      "subjectKeyIdentifier = hash",
      ...(issuer ? ["authorityKeyIdentifier = keyid:always"] : []),
    ],
    validFor(2 * 365),
    issuer,
  );
}

async function makeLeaf(
  d: OpensslDir,
  args: { name: string; subject: string; key: KeyAlg; keyUsage: string; san?: string; issuer: CertAndKey; intermediate?: CertAndKey; expired: boolean },
): Promise<LeafCert> {
  const leaf = await certAndKey(
    d,
    args.name,
    args.subject,
    args.key,
    [
      "basicConstraints = critical, CA:FALSE",
      `keyUsage = critical, ${args.keyUsage}`,
      "extendedKeyUsage = serverAuth",
      "subjectKeyIdentifier = hash",
      "authorityKeyIdentifier = keyid:always",
      ...(args.san ? [`subjectAltName = ${args.san}`] : []),
    ],
    args.expired ? expiredValidity() : validFor(365),
    args.issuer,
  );
  const chainPem = args.intermediate ? leaf.certPem + args.intermediate.certPem : leaf.certPem;
  const chainPath = d.write(`${args.name}-chain.pem`, chainPem);
  return { ...leaf, chainPem, chainPath };
}

/**
 * A controller PKI shaped like a production EVE controller's: one root (and
 * optionally an intermediate) issuing the TLS server cert, the envelope
 * signing cert and the ECDH exchange cert, all with EKU serverAuth as EVE's
 * chain check expects.
 */
export async function makeControllerPki(opts: ControllerPkiOptions = {}): Promise<ControllerPki> {
  const hosts = opts.hosts ?? ["127.0.0.1", "localhost"];
  if (hosts.length === 0) throw new Error("makeControllerPki: hosts must not be empty");
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), "edge-agent-pki-")));
  const d = new OpensslDir(dir);

  const rootCa = await makeCa(d, "root-ca", ROOT_SUBJECT);
  const intermediateCa = opts.intermediate ? await makeCa(d, "intermediate-ca", "/O=edge-agent test/CN=edge-agent test intermediate CA", rootCa) : undefined;
  const wrong = new Set(opts.wrongCa ?? []);
  const expired = new Set(opts.expired ?? []);
  const otherCa = wrong.size > 0 ? await makeCa(d, "other-ca", ROOT_SUBJECT) : undefined;
  const issuerFor = (leaf: ControllerLeaf): CertAndKey => (wrong.has(leaf) ? otherCa! : (intermediateCa ?? rootCa));
  const chainFor = (leaf: ControllerLeaf) => (wrong.has(leaf) ? undefined : intermediateCa);

  const serverCn = opts.serverCn ?? hosts.find((h) => isIP(h) === 0) ?? hosts[0]!;
  const server = await makeLeaf(d, {
    name: "server",
    subject: `/O=edge-agent test/CN=${serverCn}`,
    key: "ec",
    keyUsage: "digitalSignature, keyEncipherment",
    san: sanList(hosts),
    issuer: issuerFor("server"),
    intermediate: chainFor("server"),
    expired: expired.has("server"),
  });
  const signingKey = opts.signingKey ?? "ec";
  const signing = await makeLeaf(d, {
    name: "signing",
    subject: "/O=edge-agent test/CN=controller signing",
    key: signingKey,
    keyUsage: signingKey === "rsa" ? "digitalSignature, keyEncipherment" : "digitalSignature",
    issuer: issuerFor("signing"),
    intermediate: chainFor("signing"),
    expired: expired.has("signing"),
  });
  const ecdh = await makeLeaf(d, {
    name: "ecdh",
    subject: "/O=edge-agent test/CN=controller ecdh",
    key: "ec",
    keyUsage: "digitalSignature, keyAgreement",
    issuer: issuerFor("ecdh"),
    intermediate: chainFor("ecdh"),
    expired: expired.has("ecdh"),
  });

  return {
    dir,
    rootCa,
    intermediateCa,
    otherCa,
    server,
    signing,
    ecdh,
    trustPem: rootCa.certPem,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface OnboardingCertOptions {
  /** EVE's generate-onboard.sh uses a random UUID as CN. */
  cn?: string;
  /** generate-onboard.sh defaults to one year. */
  days?: number;
  /** "sec1" = `EC PRIVATE KEY` as `openssl ecparam -genkey` writes; "pkcs8" = `PRIVATE KEY`. */
  keyFormat?: "sec1" | "pkcs8";
  dir?: string;
}

export interface OnboardingCert extends CertAndKey {
  cn: string;
  dir: string;
  cleanup(): Promise<void>;
}

/**
 * A self-signed EC P-256 onboarding cert and key like the ones EVE's
 * generate-onboard.sh makes (EKU serverAuth). Controllers match it by exact
 * DER, so nothing about its issuer matters.
 */
export async function makeOnboardingCert(opts: OnboardingCertOptions = {}): Promise<OnboardingCert> {
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), "edge-agent-onboard-")));
  const d = new OpensslDir(dir);
  const cn = opts.cn ?? crypto.randomUUID();
  const keyPath = await d.keyAsync("onboard", "ec", opts.keyFormat ?? "sec1");
  const made = await d.certAsync("onboard", {
    subject: `/O=edge-agent test/CN=${cn}`,
    keyPath,
    ...validFor(opts.days ?? 365),
    extensions: ["basicConstraints = critical, CA:FALSE", "keyUsage = critical, digitalSignature, keyEncipherment", "extendedKeyUsage = serverAuth"],
  });
  return {
    cn,
    dir,
    certPem: made.pem,
    keyPem: readFileSync(keyPath, "utf8"),
    certPath: made.certPath,
    keyPath,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
