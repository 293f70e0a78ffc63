import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "./load.ts";

function dir(): string {
  return mkdtempSync(join(tmpdir(), "ea-config-"));
}

describe("loadConfig", () => {
  test("returns defaults when no file exists", () => {
    const cfg = loadConfig({ file: undefined, env: { EDGE_AGENT_CONFIG: undefined } });
    expect(cfg.root).toBe("/");
    expect(cfg.tpm).toEqual({ mode: "auto", tcti: "device:/dev/tpmrm0", reconnectAttempts: 6 });
    expect(cfg.timers.backoffMaxMs).toBe(600_000);
    expect(cfg.status.tcp).toBeUndefined();
    expect(cfg.wireDumpDir).toBeUndefined();
    expect(cfg.wireDumpMaxBytes).toBe(64 * 1024 * 1024);
  });

  test("layers file, drop-ins in sorted order, env and overrides when all are present", () => {
    const d = dir();
    const f = join(d, "agent.toml");
    writeFileSync(f, `root = "/a"\n[tpm]\nmode = "off"\n[timers]\nconfigIntervalMs = 5000\n`);
    mkdirSync(join(d, "agent.d"));
    writeFileSync(join(d, "agent.d", "20-b.toml"), `root = "/b"\n`);
    writeFileSync(join(d, "agent.d", "10-a.toml"), `root = "/ignored"\n[log]\nlevel = "debug"\n`);
    const cfg = loadConfig({ file: f, env: { EDGE_AGENT_TCTI: "swtpm:host=127.0.0.1,port=1" }, overrides: { status: { socket: "/tmp/x.sock" } } });
    expect(cfg.root).toBe("/b");
    expect(cfg.tpm).toEqual({ mode: "off", tcti: "swtpm:host=127.0.0.1,port=1", reconnectAttempts: 6 });
    expect(cfg.log.level).toBe("debug");
    expect(cfg.timers.configIntervalMs).toBe(5000);
    expect(cfg.status.socket).toBe("/tmp/x.sock");
  });

  test("names the bad field when a value is invalid", () => {
    const d = dir();
    const f = join(d, "agent.toml");
    writeFileSync(f, `[tpm]\nmode = "maybe"\n`);
    expect(() => loadConfig({ file: f, env: {} })).toThrow(/tpm.mode/);
    writeFileSync(f, `[timers]\nsendTimeoutMs = -1\n`);
    expect(() => loadConfig({ file: f, env: {} })).toThrow(/timers.sendTimeoutMs/);
  });

  test("refuses a non-loopback status TCP address when one is configured", () => {
    const d = dir();
    const f = join(d, "agent.toml");
    writeFileSync(f, `[status.tcp]\nhost = "0.0.0.0"\nport = 9000\n`);
    expect(() => loadConfig({ file: f, env: {} })).toThrow(/loopback/);
  });

  test("keeps the TCP listener to health only unless full = true is set", () => {
    const d = dir();
    const f = join(d, "agent.toml");
    writeFileSync(f, `[status]\ntcp = { host = "127.0.0.1", port = 9555 }\n`);
    expect(loadConfig({ file: f, env: {} }).status.tcp).toEqual({ host: "127.0.0.1", port: 9555, full: false });
    writeFileSync(f, `[status.tcp]\nhost = "127.0.0.1"\nport = 9555\nfull = true\n`);
    expect(loadConfig({ file: f, env: {} }).status.tcp).toEqual({ host: "127.0.0.1", port: 9555, full: true });
    writeFileSync(f, `[status.tcp]\nhost = "127.0.0.1"\nport = 9555\nfull = "yes"\n`);
    expect(() => loadConfig({ file: f, env: {} })).toThrow(/status.tcp.full/);
    writeFileSync(f, `[status.tcp]\nfull = true\n`);
    expect(() => loadConfig({ file: f, env: {} })).toThrow(/status.tcp.full needs/);
  });

  test("reads the wire dump cap and refuses a cap that is not a positive integer", () => {
    const d = dir();
    const f = join(d, "agent.toml");
    writeFileSync(f, `wireDumpDir = "/run/edge-agent/wire"\nwireDumpMaxBytes = 1048576\n`);
    const cfg = loadConfig({ file: f, env: {} });
    expect(cfg.wireDumpDir).toBe("/run/edge-agent/wire");
    expect(cfg.wireDumpMaxBytes).toBe(1_048_576);
    writeFileSync(f, `wireDumpMaxBytes = 0\n`);
    expect(() => loadConfig({ file: f, env: {} })).toThrow(/wireDumpMaxBytes/);
  });

  test("fails when an explicitly named file is missing", () => {
    expect(() => loadConfig({ file: "/nonexistent/agent.toml", env: {} })).toThrow(/does not exist/);
  });

  test("reports a syntax error with the file name when TOML is malformed", () => {
    const d = dir();
    const f = join(d, "agent.toml");
    writeFileSync(f, `root = \n`);
    expect(() => loadConfig({ file: f, env: {} })).toThrow(f);
  });

  test("keeps Keylime off with Keylime's defaults when [keylime] is absent", () => {
    const k = loadConfig({ file: undefined, env: { EDGE_AGENT_CONFIG: undefined } }).keylime;
    expect(k.enabled).toBe(false);
    expect(k).toMatchObject({ registrarUrl: "http://127.0.0.1:8890", uuid: "hash_ek", mode: "pull", contactPort: 9002, mtls: true, allowPayloadScript: false });
    expect(k).toMatchObject({ tpmHashAlg: "sha256", tpmSigningAlg: "rsassa", tpmEncryptionAlg: "rsa" });
  });

  test("reads a pull and a push [keylime] table, and names the missing piece of each", () => {
    const d = dir();
    const f = join(d, "agent.toml");
    writeFileSync(f, `[keylime]\nenabled = true\nregistrarUrl = "http://10.0.0.5:8890"\ncontactIp = "10.0.0.9"\ncontactPort = 9102\nmtls = false\n`);
    expect(loadConfig({ file: f, env: {} }).keylime).toMatchObject({
      enabled: true,
      mode: "pull",
      contactIp: "10.0.0.9",
      listenIp: "10.0.0.9",
      contactPort: 9102,
      mtls: false,
    });
    writeFileSync(f, `[keylime]\nenabled = true\nmtls = true\n`);
    expect(() => loadConfig({ file: f, env: {} })).toThrow(/trustedClientCa/);
    writeFileSync(f, `[keylime]\nenabled = true\nmode = "push"\nverifierUrl = "https://127.0.0.1:8892"\n`);
    expect(() => loadConfig({ file: f, env: {} })).toThrow(/verifierCa/);
    writeFileSync(
      f,
      `[keylime]\nenabled = true\nmode = "push"\nverifierUrl = "https://127.0.0.1:8892"\nverifierCa = "/etc/keylime/cacert.crt"\nuuid = "D432FBB3-D2F1-4A97-9EF7-75BD81C00001"\ntpmSigningAlg = "ecdsa"\n`,
    );
    expect(loadConfig({ file: f, env: {} }).keylime).toMatchObject({ mode: "push", verifierUrl: "https://127.0.0.1:8892", tpmSigningAlg: "ecdsa" });
  });

  test("refuses bad [keylime] values, naming the field, even while disabled", () => {
    const d = dir();
    const f = join(d, "agent.toml");
    for (const [line, field] of [
      [`uuid = "not-a-uuid"`, "keylime.uuid"],
      [`mode = "poll"`, "keylime.mode"],
      [`registrarUrl = "ftp://x"`, "keylime.registrarUrl"],
      [`verifierUrl = "http://127.0.0.1:8881"`, "keylime.verifierUrl"],
      [`contactIp = "2001:db8:0:0:0:0:0:1"`, "keylime.contactIp"],
      [`tpmSigningAlg = "rsapss"`, "keylime.tpmSigningAlg"],
      [`tpmHashAlg = "sha1"`, "keylime.tpmHashAlg"],
      [`payloadDir = "relative/dir"`, "keylime.payloadDir"],
      [`allowPayloadScript = "yes"`, "keylime.allowPayloadScript"],
      [`agentCert = "/etc/a.crt"`, "keylime.agentCert and keylime.agentKey"],
      [`registrarPort = 8890`, "keylime.registrarPort: unknown"],
    ] as const) {
      writeFileSync(f, `[keylime]\n${line}\n`);
      expect(() => loadConfig({ file: f, env: {} })).toThrow(field);
    }
  });

  test("reads the services' keys, certificates, identity and principals, adding up [[principal]] rows across drop-ins", () => {
    const d = dir();
    const f = join(d, "agent.toml");
    writeFileSync(
      f,
      [
        "[services]",
        "socketMode = 0o660",
        'socketGroup = "edge"',
        "maxRequests = 4",
        "[keys]",
        "pkcs11_lib_path = '/usr/lib/softhsm/libsofthsm2.so'",
        "pkcs11_base_slot = 'pkcs11:token=edge?pin-value=1234'",
        `"preloaded_key:device-id" = 'pkcs11:token=edge;object=device-id?pin-value=1234'`,
        "[certs]",
        `"preloaded_cert:device-id" = '/config/device.cert.pem'`,
        "[certs.issuance.workload]",
        'issuer_cert = "cert://device-id"',
        'expiry = "90s"',
        'auto_renew = { threshold = "50%", retry = "5s", rotate_key = true }',
        "[identity]",
        "identity_pk = 'key://device-id'",
        "identity_cert = 'cert://device-id'",
        "[[principal]]",
        "uid = 1000",
        'keys = ["key://device-id", "work-*"]',
        'idtype = ["device"]',
        "",
      ].join("\n"),
    );
    mkdirSync(join(d, "agent.d"));
    writeFileSync(join(d, "agent.d", "10-more.toml"), `[[principal]]\nuid = 1001\ncerts = ["w?"]\n`);
    const cfg = loadConfig({ file: f, env: {} });
    expect(cfg.services).toMatchObject({ socketMode: 0o660, socketGroup: "edge", maxRequests: 4, maxBodyBytes: 65536 });
    expect(cfg.keys).toEqual({
      pkcs11LibPath: "/usr/lib/softhsm/libsofthsm2.so",
      pkcs11BaseSlot: "pkcs11:token=edge?pin-value=1234",
      preloaded: { "device-id": "pkcs11:token=edge;object=device-id?pin-value=1234" },
    });
    expect(cfg.certs.preloaded).toEqual({ "device-id": "/config/device.cert.pem" });
    expect(cfg.certs.issuance.workload).toEqual({
      method: "local_ca",
      key: "workload",
      issuerCert: "device-id",
      issuerKey: "device-id",
      subject: { CN: "workload" },
      lifetimeSeconds: 90,
      ca: false,
      autoRenew: { threshold: { percent: 50 }, retry: { seconds: 5 }, rotateKey: true },
    });
    expect(cfg.identity).toEqual({ pk: "device-id", cert: "device-id" });
    expect(cfg.principals).toEqual([
      { uid: 1000, idtype: ["device"], keys: ["device-id", "work-*"], certs: [] },
      { uid: 1001, idtype: [], keys: [], certs: ["w?"] },
    ]);
  });

  test("names the bad field of the services' sections", () => {
    const d = dir();
    const f = join(d, "agent.toml");
    const bad: Array<[string, RegExp]> = [
      [`[[principal]]\nuid = -1\n`, /principal\[0\]\.uid/],
      [`[[principal]]\nuid = 5\n[[principal]]\nuid = 5\n`, /two \[\[principal\]\] rows/],
      [`[[principal]]\nuid = 5\nkeys = ["a/b"]\n`, /principal\[0\]\.keys/],
      [`[[principal]]\nuid = 5\nidtype = ["module"]\n`, /idtype/],
      [`[keys]\n"preloaded_key:x" = 'pkcs11:object=x'\n`, /pkcs11_lib_path/],
      [`[keys]\n"preloaded_key:x" = '/tmp/key.pem'\n`, /pkcs11: URI or a file/],
      [`[identity]\nidentity_pk = 'key://nope'\n`, /must be a preloaded PKCS#11 key/],
      [
        `[keys]\npkcs11_lib_path = "/x.so"\n"preloaded_key:d" = 'pkcs11:object=d'\n[identity]\nidentity_pk = 'key://d'\n[tpm]\nmode = "required"\n`,
        /cannot be "required"/,
      ],
      [`[keys]\n"preloaded_key:d" = 'file:///k.pem'\n[identity]\nidentity_pk = 'key://d'\n`, /preloaded PKCS#11 key/],
      [`[certs.issuance.w]\nauto_renew = { threshold = "120%" }\n`, /auto_renew.threshold/],
      [`[services]\nsocketMode = 2000\n`, /services.socketMode/],
    ];
    for (const [text, error] of bad) {
      writeFileSync(f, text);
      expect(() => loadConfig({ file: f, env: {} })).toThrow(error);
    }
  });
});
