/**
 * Throwaway test PKI made with the openssl CLI, so the certificates come from
 * an implementation independent of the agent's own X.509 code.
 *
 * Everything is signed with `openssl ca` rather than `openssl x509 -req`
 * because OpenSSL 3.0's x509 command cannot set a notBefore/notAfter in the
 * past, which the expired-certificate variants need.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isIP } from "node:net";
import { runChecked } from "./proc.ts";

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

function stamp(d: Date): string {
  // openssl ca takes GeneralizedTime here and re-encodes as UTCTime where required.
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return (
    p(d.getUTCFullYear(), 4) +
    p(d.getUTCMonth() + 1) +
    p(d.getUTCDate()) +
    p(d.getUTCHours()) +
    p(d.getUTCMinutes()) +
    p(d.getUTCSeconds()) +
    "Z"
  );
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface Validity {
  start: Date;
  end: Date;
}

function validValidity(days: number): Validity {
  const now = Date.now();
  // Back-dated by an hour so a peer whose clock lags slightly still accepts it.
  return { start: new Date(now - HOUR), end: new Date(now + days * DAY) };
}

function expiredValidity(): Validity {
  const now = Date.now();
  return { start: new Date(now - 30 * DAY), end: new Date(now - DAY) };
}

function sanList(hosts: readonly string[]): string {
  return hosts.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(",");
}

type KeyKind = "ec" | "rsa";

class OpensslCa {
  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await mkdir(join(this.dir, "db", "new"), { recursive: true });
    await writeFile(join(this.dir, "db", "index.txt"), "");
    await writeFile(join(this.dir, "db", "serial"), "1000\n");
    // policy_any keeps whatever DN the request carries; unique_subject=no lets
    // the wrong-CA root reuse the real root's subject.
    await writeFile(
      join(this.dir, "db", "ca.cnf"),
      [
        "[ca]",
        "default_ca = ca_default",
        "[ca_default]",
        `dir = ${join(this.dir, "db")}`,
        "database = $dir/index.txt",
        "new_certs_dir = $dir/new",
        "serial = $dir/serial",
        "default_md = sha256",
        "policy = policy_any",
        "unique_subject = no",
        "copy_extensions = none",
        "email_in_dn = no",
        "preserve = yes",
        "[policy_any]",
        "organizationName = optional",
        "organizationalUnitName = optional",
        "commonName = supplied",
        "",
      ].join("\n"),
    );
  }

  async genKey(path: string, kind: KeyKind): Promise<string> {
    const args =
      kind === "ec"
        ? ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
        : ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"];
    await runChecked(["openssl", "genpkey", ...args, "-out", path]);
    return await readFile(path, "utf8");
  }

  /**
   * Issues a cert for `keyPath`. With no issuer the cert is self-signed
   * (a root). `extensions` is the body of an openssl extension section.
   */
  async issue(args: {
    name: string;
    subject: string;
    keyPath: string;
    extensions: string[];
    validity: Validity;
    issuer?: CertAndKey;
  }): Promise<string> {
    const base = join(this.dir, args.name);
    const csr = `${base}.csr`;
    const ext = `${base}.ext`;
    const out = `${base}.pem`;
    await writeFile(ext, ["[ext]", ...args.extensions, ""].join("\n"));
    await runChecked(["openssl", "req", "-new", "-key", args.keyPath, "-subj", args.subject, "-out", csr]);
    const signer = args.issuer
      ? ["-cert", args.issuer.certPath, "-keyfile", args.issuer.keyPath]
      : ["-selfsign", "-keyfile", args.keyPath];
    await runChecked([
      "openssl",
      "ca",
      "-batch",
      "-notext",
      "-config",
      join(this.dir, "db", "ca.cnf"),
      ...signer,
      "-in",
      csr,
      "-out",
      out,
      "-startdate",
      stamp(args.validity.start),
      "-enddate",
      stamp(args.validity.end),
      "-extfile",
      ext,
      "-extensions",
      "ext",
    ]);
    return await readFile(out, "utf8");
  }

  async makeCa(name: string, subject: string, issuer?: CertAndKey): Promise<CertAndKey> {
    const keyPath = join(this.dir, `${name}-key.pem`);
    const keyPem = await this.genKey(keyPath, "ec");
    const certPem = await this.issue({
      name,
      subject,
      keyPath,
      issuer,
      validity: validValidity(2 * 365),
      extensions: [
        issuer ? "basicConstraints = critical, CA:TRUE, pathlen:0" : "basicConstraints = critical, CA:TRUE",
        "keyUsage = critical, keyCertSign, cRLSign",
        "subjectKeyIdentifier = hash",
        ...(issuer ? ["authorityKeyIdentifier = keyid:always"] : []),
      ],
    });
    return { certPem, keyPem, certPath: join(this.dir, `${name}.pem`), keyPath };
  }
}

async function makeLeaf(
  ca: OpensslCa,
  args: {
    name: string;
    subject: string;
    key: KeyKind;
    keyUsage: string;
    san?: string;
    issuer: CertAndKey;
    intermediate?: CertAndKey;
    expired: boolean;
  },
): Promise<LeafCert> {
  const keyPath = join(ca.dir, `${args.name}-key.pem`);
  const keyPem = await ca.genKey(keyPath, args.key);
  const certPem = await ca.issue({
    name: args.name,
    subject: args.subject,
    keyPath,
    issuer: args.issuer,
    validity: args.expired ? expiredValidity() : validValidity(365),
    extensions: [
      "basicConstraints = critical, CA:FALSE",
      `keyUsage = critical, ${args.keyUsage}`,
      "extendedKeyUsage = serverAuth",
      "subjectKeyIdentifier = hash",
      "authorityKeyIdentifier = keyid:always",
      ...(args.san ? [`subjectAltName = ${args.san}`] : []),
    ],
  });
  const chainPem = args.intermediate ? certPem + args.intermediate.certPem : certPem;
  const chainPath = join(ca.dir, `${args.name}-chain.pem`);
  await writeFile(chainPath, chainPem);
  return { certPem, keyPem, certPath: join(ca.dir, `${args.name}.pem`), keyPath, chainPem, chainPath };
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
  await mkdir(dir, { recursive: true });
  const ca = new OpensslCa(dir);
  await ca.init();

  const rootCa = await ca.makeCa("root-ca", ROOT_SUBJECT);
  const intermediateCa = opts.intermediate
    ? await ca.makeCa("intermediate-ca", "/O=edge-agent test/CN=edge-agent test intermediate CA", rootCa)
    : undefined;
  const wrong = new Set(opts.wrongCa ?? []);
  const expired = new Set(opts.expired ?? []);
  const otherCa = wrong.size > 0 ? await ca.makeCa("other-ca", ROOT_SUBJECT) : undefined;
  const issuerFor = (leaf: ControllerLeaf): CertAndKey => (wrong.has(leaf) ? otherCa! : (intermediateCa ?? rootCa));
  const chainFor = (leaf: ControllerLeaf) => (wrong.has(leaf) ? undefined : intermediateCa);

  const serverCn = opts.serverCn ?? hosts.find((h) => isIP(h) === 0) ?? hosts[0]!;
  const server = await makeLeaf(ca, {
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
  const signing = await makeLeaf(ca, {
    name: "signing",
    subject: "/O=edge-agent test/CN=controller signing",
    key: signingKey,
    keyUsage: signingKey === "rsa" ? "digitalSignature, keyEncipherment" : "digitalSignature",
    issuer: issuerFor("signing"),
    intermediate: chainFor("signing"),
    expired: expired.has("signing"),
  });
  const ecdh = await makeLeaf(ca, {
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
  await mkdir(dir, { recursive: true });
  const cn = opts.cn ?? crypto.randomUUID();
  const keyPath = join(dir, "onboard.key.pem");
  const certPath = join(dir, "onboard.cert.pem");
  if ((opts.keyFormat ?? "sec1") === "sec1") {
    await runChecked(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", keyPath]);
  } else {
    await runChecked(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", keyPath]);
  }
  await runChecked([
    "openssl",
    "req",
    "-new",
    "-x509",
    "-sha256",
    "-key",
    keyPath,
    "-subj",
    `/O=edge-agent test/CN=${cn}`,
    "-days",
    String(opts.days ?? 365),
    "-addext",
    "basicConstraints=critical,CA:FALSE",
    "-addext",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "-addext",
    "extendedKeyUsage=serverAuth",
    "-out",
    certPath,
  ]);
  return {
    cn,
    dir,
    certPem: await readFile(certPath, "utf8"),
    keyPem: await readFile(keyPath, "utf8"),
    certPath,
    keyPath,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
