// The keys, certificates and identity services of a running agent on swtpm
// and the test controller (issue 13 points 1, 2, 4-7, 9): every route
// through the real sockets checked against the served OpenAPI documents,
// signatures checked with openssl, a second real uid refused, principals
// reloaded on SIGHUP, forged handles refused, issued certificates used for
// mutual TLS with curl, renewal with key rotation and retries, the vault
// lock, and a scan of every answer and log line for secrets.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createServer as createTlsServer, type Server as TlsServer } from "node:tls";
import { p256 } from "@noble/curves/nist.js";
import { EsysTpm } from "../../../native/tss2/index.ts";
import { parseCertificatesPem } from "../../../src/pki/index.ts";
import { openTpm } from "../../../src/tpm/index.ts";
import { removeTempRoots } from "../../harness/device.ts";
import { API_VERSION, Caller, createUsers, exchanges, logLines, type ServiceName, type ServicesRig, servicesRig, trusted, until } from "./fixture.ts";
import { allOperations, checkExchanges, coveredOperations } from "./openapi-check.ts";

const REPO = resolve(import.meta.dir, "../../..");
let accounts: ReturnType<typeof createUsers>;
let rig: ServicesRig;
let root: Caller;
let ok: Caller;
let no: Caller;
let work: string;
const cliOutputs: string[] = [];
/** Every secret seen during the run, to look for afterwards. */
const secrets = new Map<string, Uint8Array>();

const b64 = (b: Uint8Array | Buffer) => Buffer.from(b).toString("base64");
const sha256 = (b: Uint8Array | string) => new Uint8Array(createHash("sha256").update(b).digest());

function sh(cmd: string[], opts: { allowFail?: boolean; input?: string } = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: "utf8", ...(opts.input !== undefined ? { input: opts.input } : {}) });
  const out = { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  if (out.status !== 0 && !opts.allowFail) throw new Error(`${cmd.join(" ")}: ${out.stderr}`);
  return out;
}

/** `edge-agent …` as a test user, through the CLI's own client. */
function cliAs(user: { uid: number; gid: number }, args: string[]): { status: number; stdout: string; stderr: string } {
  const r = sh(
    [
      "setpriv",
      `--reuid=${user.uid}`,
      `--regid=${user.gid}`,
      `--groups=${user.gid}`,
      process.execPath,
      join(REPO, "src/cli.ts"),
      ...args,
      "--config",
      join(rig.root, "agent.toml"),
    ],
    { allowFail: true },
  );
  cliOutputs.push(r.stdout, r.stderr);
  return r;
}

const digestOf = (text: string) => b64(sha256(text));

beforeAll(async () => {
  accounts = createUsers(["ok", "no"]);
  const { ok: u, no: v } = accounts.users as Record<"ok" | "no", { uid: number; gid: number; name: string }>;
  rig = await servicesRig({
    serial: "SERVICES-API-1",
    toml: [
      "[services]",
      `socketGroup = ${accounts.group.gid}`,
      "[certs.issuance.device-ca]",
      'issuer_cert = "device-id"',
      'common_name = "edge device CA"',
      "ca = true",
      "[certs.issuance.work-renewed]",
      'issuer_cert = "device-ca"',
      'expiry = "16s"',
      'auto_renew = { threshold = "50%", retry = "10%", rotate_key = true }',
      "[certs.issuance.work-leaf]",
      'issuer_cert = "device-ca"',
      "[[principal]]",
      `uid = ${u.uid}`,
      'name = "workload"',
      'idtype = ["device"]',
      'keys = ["device-id", "device-ca", "work-*"]',
      'certs = ["work-*"]',
    ].join("\n"),
  });
  root = new Caller(rig.sockets);
  ok = new Caller(rig.sockets, u);
  no = new Caller(rig.sockets, v);
  work = join(rig.root, "work");
  mkdirSync(work);
  chmodSync(work, 0o777);
  await rig.agent.waitFor(trusted, 120_000);
  await until("the sockets", () => Object.values(rig.sockets).every((s) => existsSync(s)) || undefined);
  secrets.set("handle key (boot 1)", new Uint8Array(readFileSync(join(rig.root, "run", "edge-agent", "keyd", "handle.key"))));
  const token = join(rig.root, "run", "eve.integrity_token");
  secrets.set("integrity token", new Uint8Array(await until("the integrity token", () => (existsSync(token) ? readFileSync(token) : undefined))));
}, 180_000);

afterAll(async () => {
  await rig?.dispose();
  accounts?.remove();
  removeTempRoots();
});

describe("the services of a running agent", () => {
  test("answer every route through their sockets, keys and certificates by id and handle", async () => {
    // Key pairs: create, load, parameters, sign, move, delete.
    const made = await ok.call("keys", "POST", "/keypair", { keyId: "work-a", preferredAlgorithms: "rsa-2048:ec-p256" });
    expect(made.status).toBe(200);
    const loaded = await ok.call("keys", "GET", "/keypair/work-a");
    expect(loaded.status).toBe(200);
    const param = async (h: string, name: string) => ok.call("keys", "POST", `/parameters/${name}`, { keyHandle: h });
    expect((await param(made.body.keyHandle, "algorithm")).body).toEqual({ value: "ECDSA" });
    expect((await param(made.body.keyHandle, "ec-curve-oid")).body).toEqual({ value: b64(Buffer.from("06082a8648ce3d030107", "hex")) });
    const point = Buffer.from((await param(loaded.body.keyHandle, "ec-point")).body.value, "base64");
    expect(point.length).toBe(65);
    expect((await param(made.body.keyHandle, "rsa-modulus")).status).toBe(400);
    expect((await param(made.body.keyHandle, "nonsense")).status).toBe(400);
    const digest = sha256("message for work-a");
    const sig = await ok.call("keys", "POST", "/sign", { keyHandle: made.body.keyHandle, algorithm: "ECDSA", parameters: { digest: b64(digest) } });
    expect(sig.status).toBe(200);
    expect(p256.verify(Buffer.from(sig.body.signature, "base64"), digest, point, { prehash: false, format: "der", lowS: false })).toBe(true);
    expect(
      (await ok.call("keys", "POST", "/sign", { keyHandle: made.body.keyHandle, algorithm: "ECDSA", parameters: { digest: b64(new Uint8Array(20)) } })).status,
    ).toBe(400);
    // On a TPM device new key pairs are TPM blobs under /persist, never a PEM key.
    const blob = join(rig.root, "persist", "edge-agent", "keys", "work-a.tpm.json");
    expect(existsSync(blob)).toBe(true);
    expect(existsSync(join(rig.root, "persist", "edge-agent", "keys", "work-a.key.pem"))).toBe(false);

    expect((await ok.call("keys", "POST", "/keypair/work-b", { from: "work-a" })).status).toBe(204);
    expect((await ok.call("keys", "GET", "/keypair/work-a")).status).toBe(404);
    const moved = await ok.call("keys", "GET", "/keypair/work-b");
    expect(Buffer.from((await param(moved.body.keyHandle, "ec-point")).body.value, "base64")).toEqual(point);
    expect((await ok.call("keys", "DELETE", "/keypair", { keyHandle: moved.body.keyHandle })).status).toBe(204);
    expect((await ok.call("keys", "GET", "/keypair/work-b")).status).toBe(404);
    // The device key and configured ones stay put.
    const dev = await ok.call("keys", "GET", "/keypair/device-id");
    expect((await ok.call("keys", "DELETE", "/keypair", { keyHandle: dev.body.keyHandle })).status).toBe(409);
    expect((await ok.call("keys", "POST", "/keypair/device-id", { from: "work-zz" })).status).toBe(409);

    // Symmetric keys: import for HMAC, generate for AEAD.
    const sas = randomBytes(32);
    secrets.set("imported symmetric key", sas);
    const imported = await ok.call("keys", "POST", "/key", { keyId: "work-sas", usage: "sign", keyBytes: b64(sas) });
    expect(imported.status).toBe(200);
    const msg = Buffer.from("sr=example.net&se=1700000000");
    const mac = await ok.call("keys", "POST", "/sign", { keyHandle: imported.body.keyHandle, algorithm: "HMAC-SHA256", parameters: { message: b64(msg) } });
    expect(mac.body).toEqual({ signature: b64(createHmac("sha256", sas).update(msg).digest()) });
    expect(
      (await ok.call("keys", "POST", "/sign", { keyHandle: imported.body.keyHandle, algorithm: "ECDSA", parameters: { digest: b64(digest) } })).status,
    ).toBe(400);
    const aead = await ok.call("keys", "POST", "/key", { keyId: "work-aead", usage: "encrypt" });
    const iv = randomBytes(12);
    const aad = Buffer.from("work");
    const enc = await ok.call("keys", "POST", "/encrypt", {
      keyHandle: aead.body.keyHandle,
      algorithm: "AEAD",
      parameters: { iv: b64(iv), aad: b64(aad) },
      plaintext: b64(Buffer.from("secret payload")),
    });
    expect(enc.status).toBe(200);
    const ct = Buffer.from(enc.body.ciphertext, "base64");
    expect(ct[0]).toBe(2);
    const dec = await ok.call("keys", "POST", "/decrypt", {
      keyHandle: aead.body.keyHandle,
      algorithm: "AEAD",
      parameters: { iv: b64(iv), aad: b64(aad) },
      ciphertext: enc.body.ciphertext,
    });
    expect(Buffer.from(dec.body.plaintext, "base64").toString()).toBe("secret payload");
    expect(
      (
        await ok.call("keys", "POST", "/decrypt", {
          keyHandle: aead.body.keyHandle,
          algorithm: "AEAD",
          parameters: { iv: b64(iv), aad: b64(Buffer.from("other")) },
          ciphertext: enc.body.ciphertext,
        })
      ).status,
    ).toBe(400);
    expect(
      (await ok.call("keys", "POST", "/sign", { keyHandle: aead.body.keyHandle, algorithm: "HMAC-SHA256", parameters: { message: b64(msg) } })).status,
    ).toBe(400);
    expect((await ok.call("keys", "POST", "/encrypt", { keyHandle: dev.body.keyHandle, algorithm: "RSA-PKCS1", plaintext: b64(msg) })).status).toBe(400);
    expect((await ok.call("keys", "GET", "/key/work-aead")).status).toBe(200);
    expect((await ok.call("keys", "DELETE", "/key", { keyHandle: imported.body.keyHandle })).status).toBe(204);
    expect((await ok.call("keys", "GET", "/key/work-sas")).status).toBe(404);

    // Certificates: the device certificate, import, read, delete.
    const deviceCert = readFileSync(join(rig.root, "config", "device.cert.pem"), "utf8");
    expect((await no.call("certs", "GET", "/certificates/device-id")).body).toEqual({ pem: deviceCert });
    expect((await ok.call("certs", "GET", "/certificates/cert:%2F%2Fdevice-id")).body).toEqual({ pem: deviceCert });
    const put = await ok.call("certs", "PUT", "/certificates/work-imported", { pem: rig.ctl.pki.trustPem });
    expect(put.status).toBe(201);
    expect((await ok.call("certs", "GET", "/certificates/work-imported")).body.pem).toBe(rig.ctl.pki.trustPem);
    expect((await ok.call("certs", "PUT", "/certificates/work-bad", { pem: "not a certificate" })).status).toBe(400);
    expect((await ok.call("certs", "DELETE", "/certificates/work-imported")).status).toBe(204);
    expect((await ok.call("certs", "GET", "/certificates/work-imported")).status).toBe(404);
    expect((await root.call("certs", "DELETE", "/certificates/device-id")).status).toBe(409);

    // Identity: the device as the controller knows it, by reference.
    const uuid = (await rig.agent.status())!.device.uuid!;
    const id = await ok.call("identity", "GET", "/identities/identity");
    expect(id.status).toBe(200);
    expect(id.body).toMatchObject({ type: "aziot", spec: { deviceId: uuid, hubName: rig.ctl.server, auth: { type: "x509", certId: "device-id" } } });
    const devId = await ok.call("identity", "POST", "/identities/device", { type: "aziot" });
    expect(devId.body.spec.deviceId).toBe(uuid);
    const viaIdentity = await ok.call("keys", "POST", "/sign", {
      keyHandle: id.body.spec.auth.keyHandle,
      algorithm: "ECDSA",
      parameters: { digest: b64(digest) },
    });
    const devicePoint = parseCertificatesPem(Buffer.from(deviceCert))[0]!.publicKey;
    expect(
      devicePoint.kind === "ec" &&
        p256.verify(Buffer.from(viaIdentity.body.signature, "base64"), digest, devicePoint.point, { prehash: false, format: "der", lowS: false }),
    ).toBe(true);
    expect((await no.call("identity", "GET", "/trust-bundle")).body).toEqual({ certificate: rig.ctl.pki.trustPem });

    // api-version as aziot's services handle it.
    expect((await ok.call("keys", "GET", "/keypair/device-id?x=1&api-version")).status).toBe(400);
    expect((await root.call("keys", "GET", "/keypair/device-id?api-version=2099-01-01")).body).toEqual({ message: 'invalid api-version "2099-01-01"' });
    expect((await root.call("certs", "GET", `/certificates/device-id?api-version=${API_VERSION.keys}`)).status).toBe(400);
    expect((await root.call("keys", "GET", "/keypair/device-id?api-version=2020-09-01")).status).toBe(200);
    expect((await root.call("identity", "GET", "/identities/identity?api-version=2020-09-01")).status).toBe(200);
  }, 120_000);

  test("an ECDSA signature a permitted uid makes with key://device-id verifies with openssl against the device certificate", async () => {
    const data = join(work, "statement.txt");
    writeFileSync(data, "a statement signed by the device on behalf of a workload\n");
    const h = await ok.call("keys", "GET", "/keypair/key:%2F%2Fdevice-id");
    expect(h.status).toBe(200);
    const sig = await ok.call("keys", "POST", "/sign", {
      keyHandle: h.body.keyHandle,
      algorithm: "ECDSA",
      parameters: { digest: b64(sha256(readFileSync(data))) },
    });
    const sigFile = join(work, "statement.sig");
    writeFileSync(sigFile, Buffer.from(sig.body.signature, "base64"));
    const pub = join(work, "device.pub.pem");
    writeFileSync(pub, sh(["openssl", "x509", "-in", join(rig.root, "config", "device.cert.pem"), "-pubkey", "-noout"]).stdout);
    expect(sh(["openssl", "dgst", "-sha256", "-verify", pub, "-signature", sigFile, data]).stdout.trim()).toBe("Verified OK");
    writeFileSync(join(work, "altered.txt"), "a statement signed by the device on behalf of a workloaD\n");
    expect(sh(["openssl", "dgst", "-sha256", "-verify", pub, "-signature", sigFile, join(work, "altered.txt")], { allowFail: true }).status).not.toBe(0);

    // The same through the CLI, as the same user.
    const cliSig = join(work, "statement.cli.sig");
    const r = cliAs(accounts.users.ok!, ["keys", "sign", "key://device-id", "--in", data, "--out", cliSig]);
    expect(r.status).toBe(0);
    expect(sh(["openssl", "dgst", "-sha256", "-verify", pub, "-signature", cliSig, data]).stdout.trim()).toBe("Verified OK");
    const pem = cliAs(accounts.users.ok!, ["keys", "public", "device-id"]);
    expect(pem.stdout).toBe(readFileSync(pub, "utf8"));
    const refused = cliAs(accounts.users.no!, ["keys", "sign", "device-id", "--digest", "00".repeat(32)]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`403 uid ${accounts.users.no!.uid} is not granted key device-id`);
  }, 60_000);

  test("a second real uid without a grant is refused with 403 and one log line each; the socket's mode keeps others out", async () => {
    const before = logLines(rig.agent).filter((l) => l.msg === "request refused: not granted").length;
    const csr = sh([
      "openssl",
      "req",
      "-new",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "/dev/null",
      "-subj",
      "/CN=x",
    ]).stdout;
    const refused: Array<[ServiceName, string, string, unknown?]> = [
      ["keys", "GET", "/keypair/device-id"],
      ["keys", "POST", "/keypair", { keyId: "work-x" }],
      ["keys", "POST", "/keypair/work-y", { from: "work-x" }],
      ["keys", "POST", "/key", { keyId: "work-x", usage: "sign" }],
      ["keys", "GET", "/key/work-aead"],
      ["identity", "GET", "/identities/identity"],
      ["identity", "POST", "/identities/device", { type: "aziot" }],
      ["certs", "POST", "/certificates", { certId: "work-x", csr }],
      ["certs", "PUT", "/certificates/work-x", { pem: rig.ctl.pki.trustPem }],
      ["certs", "DELETE", "/certificates/work-x"],
    ];
    for (const [svc, method, path, body] of refused) {
      const r = await no.call(svc, method, path, body);
      expect({ path, status: r.status }).toEqual({ path, status: 403 });
      expect(r.body.message).toStartWith(`uid ${accounts.users.no!.uid} is not granted`);
    }
    const lines = await until("the refusals in the log", () => {
      const l = logLines(rig.agent).filter((x) => x.msg === "request refused: not granted");
      return l.length >= before + refused.length ? l.slice(before) : undefined;
    });
    expect(lines.length).toBe(refused.length);
    expect(lines.every((l) => l.uid === accounts.users.no!.uid && typeof l.pid === "number" && typeof l.operation === "string")).toBe(true);

    // Not in the sockets' group: cannot even connect.
    const connect = `require("node:net").connect(${JSON.stringify(rig.sockets.keys)}).on("connect", () => { console.log("connected"); process.exit(0); }).on("error", (e) => { console.log(e.code); process.exit(3); })`;
    const as = (groups: string[]) =>
      sh(["setpriv", `--reuid=${accounts.users.no!.uid}`, ...groups, process.execPath, "-e", connect], { allowFail: true }).stdout.trim();
    expect(as(["--regid=65534", "--clear-groups"])).toBe("EACCES");
    expect(as([`--regid=${accounts.group.gid}`, `--groups=${accounts.group.gid}`])).toBe("connected");
  }, 60_000);

  test("principals are re-read on SIGHUP; a broken file keeps the previous table", async () => {
    const dropDir = join(rig.root, "agent.d");
    mkdirSync(dropDir, { recursive: true });
    const grant = join(dropDir, "50-grant.toml");
    writeFileSync(grant, `[[principal]]\nuid = ${accounts.users.no!.uid}\nkeys = ["work-no-*"]\n`);
    rig.agent.proc.kill("SIGHUP");
    await until("the grant to apply", async () => ((await no.call("keys", "POST", "/keypair", { keyId: "work-no-1" })).status === 200 ? true : undefined));
    expect((await no.call("keys", "GET", "/keypair/device-id")).status).toBe(403);
    writeFileSync(grant, `[[principal]]\nuid = "not a number"\n`);
    rig.agent.proc.kill("SIGHUP");
    await until("the failed reload in the log", () => logLines(rig.agent).find((l) => l.msg === "principals not reloaded; keeping the previous table"));
    expect((await no.call("keys", "GET", "/keypair/work-no-1")).status).toBe(200);
    rmSync(grant);
    rig.agent.proc.kill("SIGHUP");
    await until("the grant to go", async () => ((await no.call("keys", "GET", "/keypair/work-no-1")).status === 403 ? true : undefined));
    expect(rig.agent.proc.exitCode).toBeNull();
  }, 60_000);

  test("forged and altered handles are refused", async () => {
    const real = (await ok.call("keys", "POST", "/keypair", { keyId: "work-c" })).body.keyHandle as string;
    const [sr, sig] = real.split("&") as [string, string];
    const flip = (s: string) => s.slice(0, 10) + (s[10] === "A" ? "B" : "A") + s.slice(11);
    const deviceSr = "sr=" + b64(Buffer.from(JSON.stringify({ keyPair: "device-id", nonce: b64(randomBytes(32)) })));
    const otherBoot = createHmac("sha256", randomBytes(32))
      .update(Buffer.from(deviceSr.slice(3), "base64"))
      .digest();
    const forged = [`${sr}&${flip(sig)}`, `${flip(sr)}&${sig}`, `${deviceSr}&${sig}`, `${deviceSr}&sig=${b64(otherBoot)}`, sr, "sr=&sig=", "not a handle"];
    for (const h of forged) {
      for (const [path, body] of [
        ["/sign", { keyHandle: h, algorithm: "ECDSA", parameters: { digest: b64(sha256("x")) } }],
        ["/parameters/ec-point", { keyHandle: h }],
      ] as const) {
        const r = await no.call("keys", "POST", path, body);
        expect({ h, path, status: r.status, body: r.body }).toEqual({ h, path, status: 403, body: { message: "invalid key handle" } });
      }
      expect((await no.call("keys", "DELETE", "/keypair", { keyHandle: h })).status).toBe(403);
    }
    // The real one still works, and still names its key.
    expect((await ok.call("keys", "POST", "/parameters/algorithm", { keyHandle: real })).body).toEqual({ value: "ECDSA" });
  }, 60_000);

  test("a certificate the certificates service issues from a CSR under device-CA lets curl authenticate to a TLS server", async () => {
    const f = (n: string) => join(work, n);
    for (const who of ["client", "server"]) {
      sh(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", f(`${who}.key`)]);
      const extra =
        who === "server"
          ? ["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-addext", "extendedKeyUsage=serverAuth"]
          : ["-addext", "extendedKeyUsage=clientAuth"];
      sh(["openssl", "req", "-new", "-key", f(`${who}.key`), "-subj", `/CN=work-${who}`, ...extra, "-out", f(`${who}.csr`)]);
    }
    secrets.set("workload TLS key (its own, never sent)", new Uint8Array(readFileSync(f("client.key"))));
    const ca = await ok.call("keys", "GET", "/keypair/device-ca");
    expect(ca.status).toBe(200);
    const issued = await ok.call("certs", "POST", "/certificates", {
      certId: "work-client",
      csr: readFileSync(f("client.csr"), "utf8"),
      issuer: { certId: "device-ca", privateKeyHandle: ca.body.keyHandle },
    });
    expect(issued.status).toBe(201);
    const chain = parseCertificatesPem(Buffer.from(issued.body.pem));
    expect(chain.map((c) => c.subject)).toEqual(["CN=work-client", "CN=edge device CA", "O=The Linux Foundation, CN=EVE"]);
    // A CSR as base64 DER works too.
    sh(["openssl", "req", "-in", f("client.csr"), "-outform", "DER", "-out", f("client.csr.der")]);
    const der = await ok.call("certs", "POST", "/certificates", {
      certId: "work-der",
      csr: b64(readFileSync(f("client.csr.der"))),
      issuer: { certId: "device-ca", privateKeyHandle: ca.body.keyHandle },
    });
    expect(der.status).toBe(201);
    expect((await ok.call("certs", "POST", "/certificates", { certId: "work-der", csr: "MIIB" })).status).toBe(400);
    // Through the CLI, which fetches the issuer's handle itself.
    const cli = cliAs(accounts.users.ok!, [
      "certs",
      "issue",
      "cert://work-server",
      "--csr",
      f("server.csr"),
      "--issuer",
      "device-ca",
      "--out",
      f("server.chain.pem"),
    ]);
    expect(cli.status).toBe(0);
    writeFileSync(f("client.chain.pem"), issued.body.pem);
    const deviceCert = join(rig.root, "config", "device.cert.pem");
    writeFileSync(f("device-ca.pem"), (await root.call("certs", "GET", "/certificates/device-ca")).body.pem);
    expect(sh(["openssl", "verify", "-CAfile", deviceCert, "-untrusted", f("device-ca.pem"), f("client.chain.pem")]).stdout.trim()).toEndWith(": OK");

    // A TLS server that asks for a client certificate issued under the device certificate and answers with its CN.
    let server: TlsServer | undefined;
    try {
      server = createTlsServer(
        {
          key: readFileSync(f("server.key")),
          cert: readFileSync(f("server.chain.pem")),
          ca: readFileSync(deviceCert),
          requestCert: true,
          rejectUnauthorized: true,
        },
        (sock) => {
          const cn = sock.getPeerCertificate().subject?.CN;
          sock.once("data", () => {
            const body = JSON.stringify({ cn, authorized: sock.authorized });
            sock.end(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
          });
        },
      );
      const port = await new Promise<number>((done) => server!.listen(0, "127.0.0.1", () => done((server!.address() as { port: number }).port)));
      const curl = async (extra: string[]) => {
        const p = Bun.spawn(["curl", "-sS", "--cacert", deviceCert, ...extra, `https://127.0.0.1:${port}/`], { stdout: "pipe", stderr: "pipe" });
        return { out: await new Response(p.stdout).text(), err: await new Response(p.stderr).text(), status: await p.exited };
      };
      expect(await curl(["--cert", f("client.chain.pem"), "--key", f("client.key")])).toEqual({
        out: JSON.stringify({ cn: "work-client", authorized: true }),
        err: "",
        status: 0,
      });
      // Without the certificate the server refuses the handshake.
      const anonymous = await curl([]);
      expect(anonymous.status).not.toBe(0);
      expect(anonymous.err).toContain("certificate required");
    } finally {
      server?.close();
    }

    // Under a configured issuer the configuration says what the certificate may do, not the CSR: a caller
    // granted a leaf id asking for CA:TRUE and keyCertSign gets a leaf, so it cannot mint a sub-CA.
    sh(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", f("rogue.key")]);
    const rogueExt = ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"];
    sh(["openssl", "req", "-new", "-key", f("rogue.key"), "-subj", "/CN=rogue-ca", ...rogueExt, "-out", f("rogue.csr")]);
    const rogue = await ok.call("certs", "POST", "/certificates", { certId: "work-leaf", csr: readFileSync(f("rogue.csr"), "utf8") });
    expect(rogue.status).toBe(201);
    writeFileSync(f("rogue.pem"), rogue.body.pem);
    const shown = sh(["openssl", "x509", "-in", f("rogue.pem"), "-noout", "-ext", "basicConstraints,keyUsage"]).stdout;
    expect(shown).toContain("CA:FALSE");
    expect(shown).not.toContain("Certificate Sign");
  }, 90_000);

  test("configured certificates renew at their threshold with a new key, and retry while the issuer is missing", async () => {
    const current = async () => {
      const pem = (await root.call("certs", "GET", "/certificates/work-renewed")).body.pem as string;
      return parseCertificatesPem(Buffer.from(pem))[0]!;
    };
    const first = await current();
    expect((first.notAfter.getTime() - first.notBefore.getTime()) / 1000).toBe(16);
    expect(first.issuer).toBe("CN=edge device CA");
    const second = await until(
      "a renewal",
      async () => {
        const c = await current();
        return c.serial !== first.serial ? c : undefined;
      },
      40_000,
    );
    // Renewed about half-way through the lifetime, with a rotated key.
    expect(second.notBefore.getTime() - first.notBefore.getTime()).toBeGreaterThanOrEqual(7000);
    expect(Buffer.from(second.spkiDer).equals(Buffer.from(first.spkiDer))).toBe(false);
    const h = await root.call("keys", "GET", "/keypair/work-renewed");
    const point = Buffer.from((await root.call("keys", "POST", "/parameters/ec-point", { keyHandle: h.body.keyHandle })).body.value, "base64");
    expect(second.publicKey.kind === "ec" && Buffer.from(second.publicKey.point).equals(point)).toBe(true);

    // Take the issuer away: the renewal fails and is retried every 10 % of the lifetime until it is back.
    const caPem = (await root.call("certs", "GET", "/certificates/device-ca")).body.pem;
    const failuresBefore = logLines(rig.agent).filter((l) => l.msg === "certificate renewal failed; retrying").length;
    expect((await root.call("certs", "DELETE", "/certificates/device-ca")).status).toBe(204);
    await until(
      "two failed renewals",
      () => (logLines(rig.agent).filter((l) => l.msg === "certificate renewal failed; retrying").length >= failuresBefore + 2 ? true : undefined),
      40_000,
    );
    const stuck = await current();
    expect((await root.call("certs", "PUT", "/certificates/device-ca", { pem: caPem })).status).toBe(201);
    const third = await until(
      "the renewal after the issuer came back",
      async () => {
        const c = await current();
        return c.serial !== stuck.serial ? c : undefined;
      },
      20_000,
    );
    expect(third.issuer).toBe("CN=edge device CA");
  }, 120_000);

  test("keys kept in the vault are refused with the reason while it is locked; key handles last for the boot", async () => {
    const aead = await ok.call("keys", "POST", "/key", { keyId: "work-vaulted", usage: "encrypt" });
    const iv = b64(randomBytes(12));
    const aad = b64(Buffer.from("vault"));
    const enc = await ok.call("keys", "POST", "/encrypt", {
      keyHandle: aead.body.keyHandle,
      algorithm: "AEAD",
      parameters: { iv, aad },
      plaintext: b64(Buffer.from("kept under the vault")),
    });
    const pair = (await ok.call("keys", "GET", "/keypair/work-c")).body.keyHandle as string;

    // PCR 14 moves (as when /config changes) and the controller keeps the escrowed key to itself.
    await rig.agent.stop();
    rig.sw!.tool(["tpm2_pcrextend", `14:sha256=${"14".repeat(32)}`]);
    rig.ctl.controller.faults.withholdKeys = 1_000_000;
    const a = await rig.restart();
    // Attestation succeeds but waits for an escrow the locked vault cannot give.
    await a.waitFor((s) => s.device.onboarded === true && s.vault.locked === true && s.attestation.tokenPresent === true, 120_000);
    await until("the sockets", () => existsSync(rig.sockets.keys) || undefined);
    const locked = await ok.call("keys", "POST", "/decrypt", {
      keyHandle: aead.body.keyHandle,
      algorithm: "AEAD",
      parameters: { iv, aad },
      ciphertext: enc.body.ciphertext,
    });
    expect(locked.status).toBe(503);
    expect(locked.body.message).toContain("work-vaulted is kept in the vault, and the vault is locked: PCR mismatch: 14");
    expect(
      (
        await ok.call("keys", "POST", "/encrypt", {
          keyHandle: aead.body.keyHandle,
          algorithm: "AEAD",
          parameters: { iv, aad },
          plaintext: b64(Buffer.from("x")),
        })
      ).status,
    ).toBe(503);
    expect((await ok.call("keys", "GET", "/key/work-vaulted")).status).toBe(503);
    // Key pairs do not depend on the vault, and a handle from before the restart still works (same boot).
    expect((await ok.call("keys", "POST", "/sign", { keyHandle: pair, algorithm: "ECDSA", parameters: { digest: digestOf("y") } })).status).toBe(200);

    rig.ctl.controller.faults.withholdKeys = 0;
    const b = await rig.restart();
    await b.waitFor((s) => s.vault.locked === false && s.vault.status === "ENABLED", 120_000);
    await until("the sockets", () => existsSync(rig.sockets.keys) || undefined);
    const back = await ok.call("keys", "POST", "/decrypt", {
      keyHandle: aead.body.keyHandle,
      algorithm: "AEAD",
      parameters: { iv, aad },
      ciphertext: enc.body.ciphertext,
    });
    expect(Buffer.from(back.body.plaintext, "base64").toString()).toBe("kept under the vault");

    // A reboot clears /run and with it the handle key: earlier handles are refused.
    await rig.agent.stop();
    rmSync(join(rig.root, "run", "edge-agent", "keyd"), { recursive: true });
    const c = await rig.restart();
    await c.waitFor(trusted, 120_000);
    await until("the sockets", () => existsSync(rig.sockets.keys) || undefined);
    secrets.set("handle key (boot 2)", new Uint8Array(readFileSync(join(rig.root, "run", "edge-agent", "keyd", "handle.key"))));
    expect((await ok.call("keys", "POST", "/sign", { keyHandle: pair, algorithm: "ECDSA", parameters: { digest: digestOf("y") } })).status).toBe(403);
    const fresh = (await ok.call("keys", "GET", "/keypair/work-c")).body.keyHandle;
    expect((await ok.call("keys", "POST", "/sign", { keyHandle: fresh, algorithm: "ECDSA", parameters: { digest: digestOf("y") } })).status).toBe(200);
  }, 400_000);

  test("every answer matches the served OpenAPI documents, and every documented operation was called", async () => {
    const docs = {} as Record<ServiceName, Record<string, any>>;
    for (const s of ["keys", "certs", "identity"] as const) {
      const r = await root.call(s, "GET", "/openapi.json");
      expect(r.status).toBe(200);
      expect(r.body.info.version).toBe(API_VERSION[s]);
      docs[s] = r.body;
    }
    expect(checkExchanges(docs, exchanges)).toEqual([]);
    const covered = coveredOperations(docs, exchanges);
    expect(allOperations(docs).filter((op) => !covered.has(op))).toEqual([]);
    expect(allOperations(docs).length).toBe(18);
  });

  test("no private key, token, handle key or vault key appears in any answer or log line", async () => {
    secrets.set("integrity token (last boot)", new Uint8Array(readFileSync(join(rig.root, "run", "eve.integrity_token"))));
    await rig.agent.stop();
    // The vault key, unsealed by this test from the TPM once the agent is gone.
    const credential = readFileSync(join(rig.root, "config", "tpm_credential"), "utf8");
    const tpm = await openTpm({ tcti: rig.sw!.tcti, connect: (t) => EsysTpm.open(t), timeoutMs: 30_000 });
    try {
      await tpm.ensureKeys({ credential });
      secrets.set("vault key", await tpm.unsealVaultKey());
    } finally {
      await tpm.close();
    }
    const onboardKey = readFileSync(join(rig.root, "config", "onboard.key.pem"), "utf8");
    const texts = [readFileSync(rig.agent.logFile, "utf8"), ...exchanges.map((x) => x.raw), ...cliOutputs];
    const all = texts.join("\n");
    expect(all.length).toBeGreaterThan(20_000);
    expect(all).not.toContain("PRIVATE KEY");
    expect(all).not.toContain(onboardKey.split("\n")[1]!);
    for (const [what, bytes] of secrets) {
      expect(bytes.length).toBeGreaterThanOrEqual(16);
      for (const form of [Buffer.from(bytes).toString("hex"), b64(bytes), Buffer.from(bytes).toString("base64url"), Buffer.from(bytes).toString("latin1")]) {
        expect({ what, found: all.includes(form) }).toEqual({ what, found: false });
      }
    }
  }, 120_000);
});
