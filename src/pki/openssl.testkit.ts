/**
 * Test support, not part of the component's surface: drives the openssl CLI
 * in a private temporary directory so tests check our code against an
 * independent X.509 implementation. openssl 3.0 (Debian 12) has no
 * `-not_before`, so certs are signed with `openssl ca`, whose
 * -startdate/-enddate take any dates.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ParsedCert } from "./certificate.ts";
import { parseCertificatesPem } from "./certificate.ts";

export type KeyAlg = "ec" | "ec384" | "rsa";

/** Extension profiles, as openssl config sections. */
const PROFILES = `
[ca]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ca_pathlen0]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
[ca_client_only]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign
extendedKeyUsage = clientAuth
[server]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
[client]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
[any_eku]
basicConstraints = critical, CA:false
extendedKeyUsage = anyExtendedKeyUsage
[no_eku]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
[adam]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
[unknown_critical]
basicConstraints = critical, CA:false
extendedKeyUsage = serverAuth
1.2.3.4.5 = critical, ASN1:NULL
`;

const CA_CONFIG = `
[ca]
default_ca = here
[here]
database = index.txt
new_certs_dir = .
serial = serial.txt
policy = keep
unique_subject = no
copy_extensions = none
[keep]
commonName = supplied
`;

export type Profile = "ca" | "ca_pathlen0" | "ca_client_only" | "server" | "client" | "any_eku" | "no_eku" | "adam" | "unknown_critical";

export interface MadeCert {
  readonly name: string;
  readonly keyPath: string;
  readonly certPath: string;
  readonly pem: string;
  readonly cert: ParsedCert;
}

export interface CertSpec {
  /** openssl -subj form, e.g. "/O=Test/CN=Root". */
  readonly subject: string;
  readonly profile: Profile;
  readonly alg?: KeyAlg;
  /** Omit for self-signed. */
  readonly issuer?: MadeCert;
  /** Sign with this key instead of creating one (e.g. re-issuing with a known key). */
  readonly keyPath?: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly digest?: "sha256" | "sha384" | "sha1";
}

function asn1Time(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, "").replace(/\.\d+Z$/, "Z");
}

export class OpensslDir {
  readonly dir = mkdtempSync(join(tmpdir(), "edge-agent-pki-"));

  constructor() {
    writeFileSync(join(this.dir, "profiles.cnf"), PROFILES);
    writeFileSync(join(this.dir, "ca.cnf"), CA_CONFIG);
    // openssl ca insists on a database; unique_subject=no lets tests reuse names.
    writeFileSync(join(this.dir, "index.txt"), "");
    writeFileSync(join(this.dir, "serial.txt"), "01\n");
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** Runs openssl in the directory; throws with its stderr when it fails. */
  run(args: string[], input?: Uint8Array | string): Uint8Array {
    const r = Bun.spawnSync(["openssl", ...args], { cwd: this.dir, stdin: input === undefined ? "ignore" : Buffer.from(input) });
    if (r.exitCode !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${r.stderr.toString()}`);
    return new Uint8Array(r.stdout);
  }

  text(args: string[], input?: Uint8Array | string): string {
    return Buffer.from(this.run(args, input)).toString("utf8");
  }

  write(name: string, data: Uint8Array | string): string {
    writeFileSync(this.path(name), data);
    return this.path(name);
  }

  read(name: string): Uint8Array {
    return new Uint8Array(readFileSync(this.path(name)));
  }

  key(name: string, alg: KeyAlg): string {
    const file = `${name}.key`;
    const opts =
      alg === "rsa"
        ? ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]
        : ["-algorithm", "EC", "-pkeyopt", `ec_paramgen_curve:${alg === "ec" ? "P-256" : "P-384"}`];
    this.run(["genpkey", ...opts, "-out", file]);
    return this.path(file);
  }

  cert(name: string, spec: CertSpec): MadeCert {
    const keyPath = spec.keyPath ?? this.key(name, spec.alg ?? "ec");
    const csr = `${name}.csr`;
    this.run(["req", "-new", "-key", keyPath, "-subj", spec.subject, "-out", csr]);
    const now = Date.now();
    const notBefore = spec.notBefore ?? new Date(now - 60 * 60 * 1000);
    const notAfter = spec.notAfter ?? new Date(now + 30 * 24 * 60 * 60 * 1000);
    const signer = spec.issuer ? ["-cert", spec.issuer.certPath, "-keyfile", spec.issuer.keyPath] : ["-selfsign", "-keyfile", keyPath];
    const certFile = `${name}.pem`;
    this.run([
      "ca", "-batch", "-notext", "-preserveDN", "-rand_serial",
      "-config", "ca.cnf", "-name", "here",
      "-extfile", "profiles.cnf", "-extensions", spec.profile,
      "-md", spec.digest ?? "sha256",
      "-startdate", asn1Time(notBefore), "-enddate", asn1Time(notAfter),
      ...signer, "-in", csr, "-out", certFile,
    ]);
    const pem = readFileSync(this.path(certFile), "utf8");
    return { name, keyPath, certPath: this.path(certFile), pem, cert: parseCertificatesPem(pem)[0]! };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
