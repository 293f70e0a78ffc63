/**
 * The README's main job: a local demo of EVE's trusted boot sequence.
 *
 * Starts a controller over TLS on 127.0.0.1 (the in-repo test controller, or
 * the real Adam with `--controller adam`), a swtpm with a recorded OVMF boot
 * replayed into it, registers an onboarding cert and serial, runs
 * `edge-agent run` with the device root in $EDGE_AGENT_DEMO_DIR (default
 * ./.demo) until the device is onboarded, attested, its vault unlocked and
 * its config received, prints `edge-agent status`, writes status.json, stops
 * everything it started and exits 0 (non-zero with the reason otherwise).
 *
 * With `--keylime` (pull mode, Keylime API 2.x with mTLS) or `--keylime push`
 * (API 3.0) the same device is also attested by a real Keylime 7.14.3
 * (verifier, registrar and tenant from test/harness/keylime.ts) at the same
 * time: the demo enrols it with `keylime_tenant -c add` and a PCR policy from
 * the TPM's real PCRs 0-7, waits for three passed quotes, and prints both
 * verdicts: EVE's from the status and the controller, Keylime's from the
 * verifier (`cvstatus`) and the registrar's record.
 *
 * With `--serve` the trusted device keeps running after that, its keys,
 * certificates and identity sockets under .demo/run/edge-agent/, until the
 * demo gets SIGTERM or Ctrl-C: the README's `curl --unix-socket` calls are
 * run once as a self-check, then it is the user's turn.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { codec, type EdgeDevConfig, type MessageInit } from "../src/protocol/index.ts";
import type { StatusDocument } from "../src/status/index.ts";
import { startTestController } from "../test/controller/index.ts";
import { adamDeviceConfig, startAdam } from "../test/harness/adam/index.ts";
import { startAgent } from "../test/harness/agent.ts";
import { writeDeviceConfig } from "../test/harness/device.ts";
import { parseEventLog, readPcrs, replayIntoTpm } from "../test/harness/eventlog.ts";
import { type Keylime, startKeylime } from "../test/harness/keylime.ts";
import { makeOnboardingCert, type OnboardingCert } from "../test/harness/pki.ts";
import { acceptsConnections, freePort, waitFor } from "../test/harness/proc.ts";
import { privateEkCa, startSwtpm } from "../test/harness/swtpm.ts";

const REPO = resolve(import.meta.dir, "..");
const demoDir = resolve(process.env.EDGE_AGENT_DEMO_DIR ?? join(REPO, ".demo"));
const TIMEOUT_MS = Number(process.env.EDGE_AGENT_DEMO_TIMEOUT_MS ?? 120_000);
const SERIAL = "DEMO-SERIAL-0001";
const EVENT_LOG = join(REPO, "test/fixtures/harness/eventlog-ovmf.bin");

function say(msg: string): void {
  process.stdout.write(`demo: ${msg}\n`);
}

/** What the demo needs from a controller, so the same sequence runs against ours or Adam. */
interface DemoController {
  description: string;
  configFiles(onboard: OnboardingCert): Promise<{ server: string; rootCertPem: string }>;
  addOnboard(certPem: string, serial: string): Promise<void>;
  devices(): Promise<string[]>;
  putConfig(uuid: string, config: MessageInit<EdgeDevConfig>): Promise<void>;
  /** The controller's own word that the device's quote was accepted, where the controller tells it. */
  attested?(uuid: string): boolean;
  stop(): Promise<void>;
}

async function testController(dir: string): Promise<DemoController> {
  const ctl = await startTestController({ dir: join(dir, "pki") });
  return {
    description: `test controller on https://${ctl.server} (admin API at ${ctl.url}/admin)`,
    configFiles: async () => ({ server: ctl.server, rootCertPem: ctl.pki.trustPem }),
    addOnboard: (certPem, serial) => ctl.addOnboard(certPem, [serial]),
    devices: () => ctl.devices(),
    putConfig: (uuid, config) => ctl.putConfig(uuid, config),
    attested: (uuid) => ctl.controller.state.devices.get(uuid)?.attested === true,
    async stop() {
      ctl.stop();
      // The controller's view stays in the demo directory next to its PKI.
      const devices = [...ctl.controller.state.devices.values()].map((d) => ({ uuid: d.uuid, serial: d.serial, attested: d.attested, requests: d.requests }));
      writeFileSync(join(dir, "devices.json"), JSON.stringify(devices, null, 2) + "\n");
    },
  };
}

async function adamController(dir: string): Promise<DemoController> {
  say("installing and starting Adam (go install, cached after the first run)");
  const adam = await startAdam({ workDir: join(dir, "adam") });
  return {
    description: `Adam ${adam.install.version} on ${adam.url} (state in ${adam.dbDir})`,
    async configFiles(onboard) {
      const files = await adamDeviceConfig(adam, { onboardCertPem: onboard.certPem, onboardKeyPem: onboard.keyPem });
      return { server: files.server, rootCertPem: files.rootCertPem };
    },
    addOnboard: (certPem, serial) => adam.client.onboardAdd(certPem, serial),
    devices: () => adam.client.deviceList(),
    putConfig: (uuid, config) => adam.client.deviceConfigPut(uuid, codec.EdgeDevConfig.encode(config)),
    stop: () => adam.stop(),
  };
}

/** The trusted boot sequence is done: onboarded, attested, vault unlocked, config received. */
function reached(s: StatusDocument, version: string): boolean {
  const { attestation: att, vault, config } = s;
  return s.device.onboarded && att.state === "Complete" && vault.status === "ENABLED" && vault.locked === false && config.version === version;
}

function progress(s: StatusDocument | undefined): string {
  if (!s) return "agent not answering";
  const { attestation: att, vault, config } = s;
  return `onboarded=${s.device.onboarded} attestation=${att.state ?? "-"} vault=${vault.status ?? "-"} config=${config.version ?? "-"}`;
}

type KeylimeModeName = "pull" | "push";

/** `--keylime`, `--keylime pull`, `--keylime push` or `--keylime=push`; the mode word is taken out of the arguments. */
function keylimeArg(args: string[]): { rest: string[]; keylime?: KeylimeModeName; error?: string } {
  const rest: string[] = [];
  let keylime: KeylimeModeName | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = /^--keylime=(.*)$/.exec(a);
    if (eq) {
      if (eq[1] !== "pull" && eq[1] !== "push") return { rest, error: `--keylime takes "pull" or "push", not ${JSON.stringify(eq[1])}` };
      keylime = eq[1];
    } else if (a === "--keylime") {
      const next = args[i + 1];
      keylime = next === "pull" || next === "push" ? next : "pull";
      if (next === "pull" || next === "push") i++;
    } else rest.push(a);
  }
  return { rest, ...(keylime ? { keylime } : {}) };
}

/** The Keylime side of the demo: the real Keylime running, and what the agent's [keylime] section says. */
interface DemoKeylime {
  mode: KeylimeModeName;
  kl: Keylime;
  contactPort: number;
  toml: string;
  cleanup(): Promise<void>;
}

async function startDemoKeylime(mode: KeylimeModeName, dir: string, ekIssuer: string): Promise<DemoKeylime> {
  // The tenant checks the EK certificate against its direct issuer: the swtpm's private EK CA.
  const store = join(dir, "tpm-cert-store");
  mkdirSync(store, { recursive: true });
  writeFileSync(join(store, "issuercert.pem"), readFileSync(ekIssuer));
  const kl = await startKeylime({ tpmCertStore: store, agentMtls: true, push: mode === "push", quoteInterval: 2 });
  const contactPort = mode === "pull" ? await freePort() : 0;
  // The U/V payload goes to memory, never to the disk.
  const payloadDir = join("/dev/shm", `edge-agent-demo-${process.pid}`);
  const lines = [
    "[keylime]",
    "enabled = true",
    `mode = ${JSON.stringify(mode)}`,
    `registrarUrl = ${JSON.stringify(kl.registrarUrl)}`,
    "retryInitialMs = 500",
    "retryMaxMs = 3000",
  ];
  if (mode === "pull") {
    lines.push(
      'contactIp = "127.0.0.1"',
      `contactPort = ${contactPort}`,
      "mtls = true",
      `trustedClientCa = ${JSON.stringify(kl.caCert)}`,
      `payloadDir = ${JSON.stringify(payloadDir)}`,
    );
  } else {
    lines.push(`verifierUrl = ${JSON.stringify(kl.pushVerifierUrl)}`, `verifierCa = ${JSON.stringify(kl.caCert)}`);
  }
  return {
    mode,
    kl,
    contactPort,
    toml: lines.join("\n") + "\n",
    async cleanup() {
      await kl.stop();
      rmSync(payloadDir, { recursive: true, force: true });
    },
  };
}

/**
 * Enrols the agent with the Keylime verifier (PCR policy from the device's
 * real PCRs 0-7) once the registrar holds it activated, then waits for three
 * passed attestations; returns the verifier's and the registrar's views.
 */
async function keylimeVerdict(
  k: DemoKeylime,
  uuid: string,
  pcrs: Map<number, string>,
  deadline: number,
): Promise<{ cv: Record<string, unknown>; reg: Record<string, unknown> }> {
  const left = () => Math.max(1000, deadline - Date.now());
  const push = k.mode === "push";
  await waitFor(async () => (await k.kl.registrarAgent(uuid))?.active === true, left(), {
    intervalMs: 500,
    what: `the Keylime registrar to hold ${uuid}, activated`,
  });
  say(`keylime: the registrar holds ${uuid}, activated`);
  if (!push) await waitFor(() => acceptsConnections(k.contactPort), left(), { intervalMs: 200, what: `the agent's Keylime contact port ${k.contactPort}` });
  const policy = JSON.stringify(Object.fromEntries([...pcrs].map(([p, v]) => [String(p), [v]])));
  const args = ["-c", "add", "-u", uuid, "--tpm_policy", policy, ...(push ? [] : ["-t", "127.0.0.1", "-tp", String(k.contactPort)])];
  const add = await k.kl.tenant(args, { push, timeoutMs: left() });
  if (add.code !== 0) throw new Error(`keylime_tenant -c add exited ${add.code}: ${(add.stderr || add.stdout).trim().split("\n").slice(-5).join(" | ")}`);
  say(`keylime: $ keylime_tenant${push ? " --push-model" : ""} -c add -u ${uuid} --tpm_policy <PCRs 0-7 as the TPM holds them>`);
  let last: Record<string, unknown> = {};
  let shown = "";
  const passed = (s: Record<string, unknown>) =>
    Number(s.attestation_count ?? 0) >= 3 && s.attestation_status === "PASS" && (push || s.operational_state === "Get Quote");
  const failed = (s: Record<string, unknown>) =>
    s.attestation_status === "FAIL" || ["Invalid Quote", "Failed", "Tenant Quote Failed"].includes(String(s.operational_state));
  try {
    await waitFor(
      async () => {
        last = (await k.kl.cvstatus(uuid, { push, timeoutMs: left() }).catch(() => undefined)) ?? {};
        const p = `verifier: ${push ? "" : `${String(last.operational_state ?? "-")}, `}${String(last.attestation_status ?? "-")}, attestations ${String(last.attestation_count ?? 0)}`;
        if (p !== shown) say(`keylime: ${(shown = p)}`);
        if (failed(last)) throw new Error(`the Keylime verifier failed the agent (${String(last.last_event_id ?? last.operational_state)})`);
        return passed(last);
      },
      left(),
      { intervalMs: 1000, what: "three passed Keylime attestations" },
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; last cvstatus: ${JSON.stringify(last)}`);
  }
  const reg = (await k.kl.registrarAgent(uuid)) ?? {};
  return { cv: last, reg };
}

/** Counts the wire dump's exchanges by action, Keylime's alone, and checks each Keylime .json names method, URL and status. */
function keylimeWire(wireDir: string): Map<string, number> {
  const byAction = new Map<string, number>();
  for (const f of readdirSync(wireDir).sort()) {
    const m = /^\d{4}-(keylime-[A-Za-z0-9._-]+)\.json$/.exec(f);
    if (!m) continue;
    const meta = JSON.parse(readFileSync(join(wireDir, f), "utf8")) as { method?: unknown; url?: unknown; status?: unknown };
    if (typeof meta.method !== "string" || typeof meta.url !== "string" || typeof meta.status !== "number") throw new Error(`${f} lacks method, URL or status`);
    for (const part of ["req", "res"]) if (!existsSync(join(wireDir, f.replace(/json$/, part)))) throw new Error(`${f.replace(/json$/, part)} is missing`);
    byAction.set(m[1]!, (byAction.get(m[1]!) ?? 0) + 1);
  }
  return byAction;
}

async function main(): Promise<number> {
  const kArg = keylimeArg(process.argv.slice(2));
  if (kArg.error) {
    process.stderr.write(`demo: ${kArg.error}\n`);
    return 2;
  }
  const { values } = parseArgs({ args: kArg.rest, options: { controller: { type: "string", default: "test" }, serve: { type: "boolean", default: false } } });
  if (values.controller !== "test" && values.controller !== "adam") {
    process.stderr.write(`demo: --controller must be "test" or "adam"\n`);
    return 2;
  }
  const deadline = Date.now() + TIMEOUT_MS;
  // The demo directory is the device root (config/, persist/, run/) plus the
  // controller's state, the logs, the wire dump and status.json.
  rmSync(demoDir, { recursive: true, force: true });
  const root = demoDir;
  const controllerDir = join(demoDir, "controller");
  mkdirSync(controllerDir, { recursive: true });
  mkdirSync(join(demoDir, "logs"), { recursive: true });
  say(`demo directory ${demoDir}`);

  // Keylime's tenant checks the EK certificate's issuer, so that TPM gets its EK certificate from a CA the demo holds.
  const ekCa = kArg.keylime ? privateEkCa() : undefined;
  // Keylime (Python, a venv cached after the first run) starts while the controller and the TPM are set up.
  const keylimeStarting = kArg.keylime ? startDemoKeylime(kArg.keylime, join(demoDir, "keylime"), ekCa!.issuerCert) : undefined;
  keylimeStarting?.catch(() => undefined);
  let ctl: DemoController | undefined;
  let sw: Awaited<ReturnType<typeof startSwtpm>> | undefined;
  let keylime: DemoKeylime | undefined;
  let agent: ReturnType<typeof startAgent> | undefined;
  let code = 0;
  try {
    ctl = values.controller === "adam" ? await adamController(controllerDir) : await testController(controllerDir);
    say(ctl.description);
    const onboard = await makeOnboardingCert({ dir: join(controllerDir, "onboarding") });
    await ctl.addOnboard(onboard.certPem, SERIAL);
    say(`onboarding cert ${onboard.cn} registered with serial ${SERIAL}`);
    writeDeviceConfig(root, { ...(await ctl.configFiles(onboard)), onboard: { certPem: onboard.certPem, keyPem: onboard.keyPem } });

    // A software TPM manufactured like a real one (EK certificate included), so the
    // device key lives in a TPM exactly as on an EVE device.
    sw = await startSwtpm(ekCa ? { ekCa } : {});
    say(`swtpm listening (${sw.tcti})`);
    // A bare swtpm saw no firmware: replay a recorded OVMF boot into it, so PCR 0 and 4
    // are measured (the vault may seal) and the log the agent sends replays to the quote.
    const events = parseEventLog(new Uint8Array(readFileSync(EVENT_LOG))).events;
    await replayIntoTpm(events, sw.tcti);
    say(`replayed ${events.length} measured-boot events from ${EVENT_LOG} into the TPM`);
    // Keylime's policy: PCRs 0-7 as the TPM holds them after the replayed boot, read before the agent runs.
    const pcrs = kArg.keylime ? await readPcrs(sw.tcti, "sha256", [0, 1, 2, 3, 4, 5, 6, 7]) : new Map<number, string>();
    if (keylimeStarting) {
      keylime = await keylimeStarting;
      say(
        `keylime ${keylime.mode} mode: verifier ${keylime.mode === "push" ? keylime.kl.pushVerifierUrl : `https://127.0.0.1:${keylime.kl.verifier.port}`}, registrar ${keylime.kl.registrarUrl} (up in ${keylime.kl.startMs} ms)`,
      );
    }

    // Root may use every key; a demo run by another user grants that user the device identity and demo-* ids.
    const uid = process.getuid?.() ?? 0;
    const principal = uid === 0 ? "" : `[[principal]]\nuid = ${uid}\nidtype = ["device"]\nkeys = ["device-id", "demo-*"]\ncerts = ["demo-*"]\n`;
    agent = startAgent({
      root,
      toml: `serial = ${JSON.stringify(SERIAL)}\neventLogPath = ${JSON.stringify(EVENT_LOG)}\n[tpm]\nmode = "required"\ntcti = ${JSON.stringify(sw.tcti)}\n${principal}${keylime?.toml ?? ""}`,
      logFile: join(demoDir, "logs", "agent.log"),
      env: { EDGE_AGENT_WIRE_DUMP: join(demoDir, "wire") },
      timers: { backoffInitialMs: 500, backoffMaxMs: 5000, configIntervalMs: 3000, attestRetryMs: 2000 },
    });
    say(`agent started (pid ${agent.proc.pid}), log ${join(demoDir, "logs", "agent.log")}`);
    const running = agent;
    const left = () => Math.max(1000, deadline - Date.now());

    const eve = (async () => {
      const onboarded = await running.waitFor((s) => s.device.onboarded, left());
      const uuid = onboarded.device.uuid!;
      say(`onboarded as ${uuid}; the controller operator sets its config`);
      const version = "101";
      await ctl!.putConfig(uuid, { id: { uuid, version }, device_name: "demo-device", configItems: [{ key: "timer.config.interval", value: "60" }] });
      let last = "";
      const status = await running.waitFor((s) => {
        const p = progress(s);
        if (p !== last) say((last = p));
        return reached(s, version);
      }, left());
      return { uuid, status };
    })();
    const kv = keylime
      ? (async () => {
          const s = await running.waitFor((s) => !!s.keylime?.uuid, left());
          return keylimeVerdict(keylime!, s.keylime.uuid!, pcrs, deadline);
        })()
      : undefined;
    // Both run at once; the first failure is the one reported.
    const [{ uuid, status }, klVerdict] = await Promise.all([eve, kv]);
    // Taken once both verdicts are in, so it shows the Keylime side too.
    writeFileSync(join(demoDir, "status.json"), JSON.stringify((await agent.status()) ?? status, null, 2) + "\n");
    const devices = await ctl.devices();
    say(`controller lists device(s): ${devices.join(", ")}`);
    if (!devices.includes(uuid)) throw new Error(`agent UUID ${uuid} is not the controller's ${devices.join(",")}`);
    const cli = Bun.spawnSync([process.execPath, join(REPO, "src/cli.ts"), "status", "--socket", agent.socket], { cwd: REPO });
    process.stdout.write("\n$ edge-agent status\n" + cli.stdout.toString() + "\n");
    if (cli.exitCode !== 0) throw new Error(`edge-agent status failed: ${cli.stderr.toString()}`);
    if (existsSync(join(root, "config/device.key.pem"))) throw new Error("config/device.key.pem exists: the device key is not in the TPM");
    for (const c of ["ek", "attest", "ecdh"]) {
      if (!existsSync(join(root, `persist/certs/${c}.cert.pem`))) throw new Error(`persist/certs/${c}.cert.pem is missing`);
    }
    say("device key in the TPM (no config/device.key.pem); persist/certs/{ek,attest,ecdh}.cert.pem issued");
    say(`wire dump of every controller exchange in ${join(demoDir, "wire")}`);
    if (keylime && klVerdict) {
      const wire = keylimeWire(join(demoDir, "wire"));
      if (wire.size === 0) throw new Error(`the wire dump holds no keylime-* exchange`);
      say(`wire dump of the Keylime exchanges: ${[...wire].map(([a, n]) => `${a} x${n}`).join(", ")}`);
      const attested = ctl.attested?.(uuid);
      const { cv, reg } = klVerdict;
      process.stdout.write(
        [
          "",
          "verdicts",
          `  EVE      ${ctl.description.split(" ")[0] === "Adam" ? "Adam" : "test controller"}: device ${uuid}${attested === undefined ? "" : ` attested=${attested}`}; status: attestation ${status.attestation.state}, vault ${status.vault.status} ${status.vault.locked ? "locked" : "unlocked"}, config ${status.config.version}`,
          `  Keylime  verifier (${keylime.mode}): agent ${String(status.keylime.uuid)}${keylime.mode === "pull" ? ` operational_state "${String(cv.operational_state)}",` : ""} attestation_status ${String(cv.attestation_status)}, attestation_count ${String(cv.attestation_count)}`,
          `  Keylime  registrar: active=${String(reg.active)} regcount=${String(reg.regcount ?? "-")} ip=${String(reg.ip ?? "-")} port=${String(reg.port ?? "-")} mtls_cert=${typeof reg.mtls_cert === "string" ? (reg.mtls_cert.startsWith("-----BEGIN") ? "certificate" : reg.mtls_cert) : "-"} ekcert=${reg.ekcert ? "yes" : "no"}`,
          "",
        ].join("\n"),
      );
      if (attested === false) throw new Error("the controller did not record the device as attested");
      say("OK: device onboarded, attested, vault unlocked and config received; Keylime attested it three times");
    } else say("OK: device onboarded, attested, vault unlocked and config received");
    if (values.serve) await serve(root, agent.proc.exited);
  } catch (e) {
    process.stderr.write(`demo: FAILED: ${(e as Error).message}\n`);
    const final = await agent?.status().catch(() => undefined);
    if (final) writeFileSync(join(demoDir, "status.json"), JSON.stringify(final, null, 2) + "\n");
    code = 1;
  } finally {
    await agent?.stop();
    await sw?.stop();
    await ctl?.stop();
    keylime ??= await keylimeStarting?.catch(() => undefined);
    await keylime?.cleanup();
  }
  return code;
}

/**
 * `--serve`: runs the README's sign call against the keys socket once (and
 * checks the signature with openssl against the device certificate), then
 * keeps the device up until SIGTERM or Ctrl-C.
 */
async function serve(root: string, agentExited: Promise<number>): Promise<void> {
  const sockets = join(root, "run", "edge-agent");
  // The sockets are for the agent's group; the directory must let the demo's user reach them.
  chmodSync(sockets, 0o755);
  const example = join(REPO, "scripts", "sign-example.sh");
  const call = Bun.spawnSync(["sh", example], {
    cwd: root,
    env: { ...process.env, S: join(sockets, "keys.sock"), CERT: join(root, "config", "device.cert.pem") },
  });
  const out = call.stdout.toString();
  const commands = readFileSync(example, "utf8")
    .split("\n")
    .filter((l) => l && !l.startsWith("#"));
  process.stdout.write(
    `\n$ S=${join(sockets, "keys.sock")} CERT=${join(root, "config", "device.cert.pem")}\n$ ${commands.join("\n$ ").replace(/\\\n\$ /g, "\\\n    ")}\n${out}\n`,
  );
  if (call.exitCode !== 0 || !out.includes("Verified OK")) throw new Error(`the README's sign call failed: ${call.stderr.toString()}`);
  say(`serving: keys, certificates and identity sockets in ${sockets}; edge-agent status --socket ${join(sockets, "status.sock")}`);
  say("stop with Ctrl-C or SIGTERM");
  const why = await new Promise<string>((done) => {
    process.once("SIGINT", () => done("SIGINT"));
    process.once("SIGTERM", () => done("SIGTERM"));
    void agentExited.then((code) => done(`the agent exited (${code})`));
  });
  say(`stopping: ${why}`);
}

process.exit(await main());
