/**
 * The one test PKI builder: drives the openssl CLI in a private directory, so
 * every certificate a test uses comes from an X.509 implementation
 * independent of the agent's own. Unit tests use it directly (named
 * extension profiles, any dates, any issuer); pki.ts builds the controller
 * PKI and onboarding certs the integration tests need on top of it.
 *
 * Certs are signed with `openssl ca`, not `openssl x509 -req`, because
 * OpenSSL 3.0 (Debian 12) cannot set a notBefore/notAfter in the past any
 * other way, and the expired-certificate cases need one.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ParsedCert, parseCertificatesPem } from "../../src/pki/index.ts";

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

// unique_subject=no lets a test reuse a subject (look-alike and wrong-CA roots).
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

export type KeyFormat = "pkcs8" | "sec1";

/** openssl command lines, each answered with that command's stdout. */
type Steps<T> = Generator<string[], T, Uint8Array>;

export type Profile = "ca" | "ca_pathlen0" | "ca_client_only" | "server" | "client" | "any_eku" | "no_eku" | "adam" | "unknown_critical";

export interface MadeCert {
  readonly name: string;
  readonly keyPath: string;
  readonly certPath: string;
  readonly pem: string;
  readonly cert: ParsedCert;
}

interface CertSpecBase {
  /** openssl -subj form, e.g. "/O=Test/CN=Root". */
  readonly subject: string;
  readonly alg?: KeyAlg;
  /** Omit for self-signed. */
  readonly issuer?: Pick<MadeCert, "certPath" | "keyPath">;
  /** Sign with this key instead of creating one (e.g. re-issuing with a known key). */
  readonly keyPath?: string;
  /** Default: an hour ago, so a peer whose clock lags slightly still accepts it. */
  readonly notBefore?: Date;
  /** Default: 30 days from now. */
  readonly notAfter?: Date;
  readonly digest?: "sha256" | "sha384" | "sha1";
}

/** A named profile, or the lines of an extension section of the caller's own (e.g. with a SAN list). */
export type CertSpec = CertSpecBase &
  ({ readonly profile: Profile; readonly extensions?: never } | { readonly extensions: readonly string[]; readonly profile?: never });

function asn1Time(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:T]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

export class OpensslDir {
  readonly dir: string;

  /** Works in `dir` (created) or, by default, in a fresh temporary directory. */
  constructor(dir?: string) {
    if (dir) mkdirSync(dir, { recursive: true });
    this.dir = dir ?? mkdtempSync(join(tmpdir(), "edge-agent-pki-"));
    writeFileSync(join(this.dir, "profiles.cnf"), PROFILES);
    writeFileSync(join(this.dir, "ca.cnf"), CA_CONFIG);
    // openssl ca insists on a database.
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

  /** run() without blocking the event loop, so PKIs can be made concurrently and in-process servers keep answering. */
  async runAsync(args: string[]): Promise<Uint8Array> {
    const p = Bun.spawn(["openssl", ...args], { cwd: this.dir, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(p.stdout).arrayBuffer(), new Response(p.stderr).text(), p.exited]);
    if (code !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${err}`);
    return new Uint8Array(out);
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

  /**
   * A new private key in `<name>.key`; returns its path. "sec1" writes an
   * `EC PRIVATE KEY` as `openssl ecparam -genkey` (and EVE's
   * generate-onboard.sh) does; the default is PKCS#8 `PRIVATE KEY`.
   */
  key(name: string, alg: KeyAlg, format: KeyFormat = "pkcs8"): string {
    return this.drive(this.keySteps(name, alg, format));
  }

  keyAsync(name: string, alg: KeyAlg, format: KeyFormat = "pkcs8"): Promise<string> {
    return this.driveAsync(this.keySteps(name, alg, format));
  }

  /** Issues `<name>.pem` for a new key (or `spec.keyPath`), signed by `spec.issuer` or by itself. */
  cert(name: string, spec: CertSpec): MadeCert {
    return this.drive(this.certSteps(name, spec));
  }

  certAsync(name: string, spec: CertSpec): Promise<MadeCert> {
    return this.driveAsync(this.certSteps(name, spec));
  }

  // The steps are written once and yield each openssl command line; the
  // sync and async drivers differ only in how they run one.
  private drive<T>(steps: Steps<T>): T {
    let step = steps.next();
    while (!step.done) step = steps.next(this.run(step.value));
    return step.value;
  }

  private async driveAsync<T>(steps: Steps<T>): Promise<T> {
    let step = steps.next();
    while (!step.done) step = steps.next(await this.runAsync(step.value));
    return step.value;
  }

  private *keySteps(name: string, alg: KeyAlg, format: KeyFormat): Steps<string> {
    const file = `${name}.key`;
    if (format === "sec1") {
      if (alg === "rsa") throw new Error("OpensslDir.key: SEC1 is an EC key format");
      yield ["ecparam", "-name", alg === "ec" ? "prime256v1" : "secp384r1", "-genkey", "-noout", "-out", file];
      return this.path(file);
    }
    const opts =
      alg === "rsa"
        ? ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]
        : ["-algorithm", "EC", "-pkeyopt", `ec_paramgen_curve:${alg === "ec" ? "P-256" : "P-384"}`];
    yield ["genpkey", ...opts, "-out", file];
    return this.path(file);
  }

  private *certSteps(name: string, spec: CertSpec): Steps<MadeCert> {
    const keyPath = spec.keyPath ?? (yield* this.keySteps(name, spec.alg ?? "ec", "pkcs8"));
    const csr = `${name}.csr`;
    yield ["req", "-new", "-key", keyPath, "-subj", spec.subject, "-out", csr];
    const now = Date.now();
    const notBefore = spec.notBefore ?? new Date(now - 60 * 60 * 1000);
    const notAfter = spec.notAfter ?? new Date(now + 30 * 24 * 60 * 60 * 1000);
    const signer = spec.issuer ? ["-cert", spec.issuer.certPath, "-keyfile", spec.issuer.keyPath] : ["-selfsign", "-keyfile", keyPath];
    let extensions = ["-extfile", "profiles.cnf", "-extensions", spec.profile ?? ""];
    if (spec.extensions) {
      this.write(`${name}.ext`, ["[ext]", ...spec.extensions, ""].join("\n"));
      extensions = ["-extfile", `${name}.ext`, "-extensions", "ext"];
    }
    const certFile = `${name}.pem`;
    yield [
      "ca",
      "-batch",
      "-notext",
      "-preserveDN",
      "-rand_serial",
      "-config",
      "ca.cnf",
      "-name",
      "here",
      ...extensions,
      "-md",
      spec.digest ?? "sha256",
      "-startdate",
      asn1Time(notBefore),
      "-enddate",
      asn1Time(notAfter),
      ...signer,
      "-in",
      csr,
      "-out",
      certFile,
    ];
    const pem = readFileSync(this.path(certFile), "utf8");
    let parsed: ParsedCert | undefined;
    return {
      name,
      keyPath,
      certPath: this.path(certFile),
      pem,
      // Parsed on first use: the PKI recipes never need it.
      get cert() {
        return (parsed ??= parseCertificatesPem(pem)[0]!);
      },
    };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
