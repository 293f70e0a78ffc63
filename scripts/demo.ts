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
 * With `--serve` the trusted device keeps running after that, its keys,
 * certificates and identity sockets under .demo/run/edge-agent/, until the
 * demo gets SIGTERM or Ctrl-C: the README's `curl --unix-socket` calls are
 * run once as a self-check, then it is the user's turn.
 */
import { mkdirSync, rmSync, writeFileSync, existsSync, readFileSync, chmodSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startTestController } from "../test/controller/index.ts";
import { makeOnboardingCert, type OnboardingCert } from "../test/harness/pki.ts";
import { writeDeviceConfig } from "../test/harness/device.ts";
import { startAgent } from "../test/harness/agent.ts";
import { startSwtpm } from "../test/harness/swtpm.ts";
import { parseEventLog, replayIntoTpm } from "../test/harness/eventlog.ts";
import { startAdam, adamDeviceConfig } from "../test/harness/adam/index.ts";
import { codec, type EdgeDevConfig, type MessageInit } from "../src/protocol/index.ts";
import type { StatusDocument } from "../src/status/index.ts";

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

async function main(): Promise<number> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { controller: { type: "string", default: "test" }, serve: { type: "boolean", default: false } } });
  if (values.controller !== "test" && values.controller !== "adam") {
    process.stderr.write(`demo: --controller must be "test" or "adam"\n`);
    return 2;
  }
  // The demo directory is the device root (config/, persist/, run/) plus the
  // controller's state, the logs, the wire dump and status.json.
  rmSync(demoDir, { recursive: true, force: true });
  const root = demoDir;
  const controllerDir = join(demoDir, "controller");
  mkdirSync(controllerDir, { recursive: true });
  mkdirSync(join(demoDir, "logs"), { recursive: true });
  say(`demo directory ${demoDir}`);

  const ctl = values.controller === "adam" ? await adamController(controllerDir) : await testController(controllerDir);
  say(ctl.description);
  const onboard = await makeOnboardingCert({ dir: join(controllerDir, "onboarding") });
  await ctl.addOnboard(onboard.certPem, SERIAL);
  say(`onboarding cert ${onboard.cn} registered with serial ${SERIAL}`);
  writeDeviceConfig(root, { ...(await ctl.configFiles(onboard)), onboard: { certPem: onboard.certPem, keyPem: onboard.keyPem } });

  // A software TPM manufactured like a real one (EK certificate included), so the
  // device key lives in a TPM exactly as on an EVE device.
  const sw = await startSwtpm();
  say(`swtpm listening (${sw.tcti})`);
  // A bare swtpm saw no firmware: replay a recorded OVMF boot into it, so PCR 0 and 4
  // are measured (the vault may seal) and the log the agent sends replays to the quote.
  const events = parseEventLog(new Uint8Array(readFileSync(EVENT_LOG))).events;
  await replayIntoTpm(events, sw.tcti);
  say(`replayed ${events.length} measured-boot events from ${EVENT_LOG} into the TPM`);

  // Root may use every key; a demo run by another user grants that user the device identity and demo-* ids.
  const uid = process.getuid?.() ?? 0;
  const principal = uid === 0 ? "" : `[[principal]]\nuid = ${uid}\nidtype = ["device"]\nkeys = ["device-id", "demo-*"]\ncerts = ["demo-*"]\n`;
  const agent = startAgent({
    root,
    toml: `serial = ${JSON.stringify(SERIAL)}\neventLogPath = ${JSON.stringify(EVENT_LOG)}\n[tpm]\nmode = "required"\ntcti = ${JSON.stringify(sw.tcti)}\n${principal}`,
    logFile: join(demoDir, "logs", "agent.log"),
    env: { EDGE_AGENT_WIRE_DUMP: join(demoDir, "wire") },
    timers: { backoffInitialMs: 500, backoffMaxMs: 5000, configIntervalMs: 3000, attestRetryMs: 2000 },
  });
  say(`agent started (pid ${agent.proc.pid}), log ${join(demoDir, "logs", "agent.log")}`);
  let code = 0;
  try {
    const onboarded = await agent.waitFor((s) => s.device.onboarded, TIMEOUT_MS);
    const uuid = onboarded.device.uuid!;
    say(`onboarded as ${uuid}; the controller operator sets its config`);
    const version = "101";
    await ctl.putConfig(uuid, { id: { uuid, version }, device_name: "demo-device", configItems: [{ key: "timer.config.interval", value: "60" }] });
    let last = "";
    const status = await agent.waitFor((s) => {
      const p = progress(s);
      if (p !== last) say((last = p));
      return reached(s, version);
    }, TIMEOUT_MS);
    writeFileSync(join(demoDir, "status.json"), JSON.stringify(status, null, 2) + "\n");
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
    say("OK: device onboarded, attested, vault unlocked and config received");
    if (values.serve) await serve(root, agent.proc.exited);
  } catch (e) {
    process.stderr.write(`demo: FAILED: ${(e as Error).message}\n`);
    const final = await agent.status().catch(() => undefined);
    if (final) writeFileSync(join(demoDir, "status.json"), JSON.stringify(final, null, 2) + "\n");
    code = 1;
  } finally {
    await agent.stop();
    await sw.stop();
    await ctl.stop();
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
  const call = Bun.spawnSync(["sh", example], { cwd: root, env: { ...process.env, S: join(sockets, "keys.sock"), CERT: join(root, "config", "device.cert.pem") } });
  const out = call.stdout.toString();
  const commands = readFileSync(example, "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
  process.stdout.write(`\n$ S=${join(sockets, "keys.sock")} CERT=${join(root, "config", "device.cert.pem")}\n$ ${commands.join("\n$ ").replace(/\\\n\$ /g, "\\\n    ")}\n${out}\n`);
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
