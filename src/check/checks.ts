import { existsSync, readFileSync } from "node:fs";
import type { AgentConfig } from "../config/index.ts";
import { type HttpResponse, httpExchange, TransportError } from "../controller/transport.ts";
import { controllerTrust } from "../controller/trust.ts";
import { actionUrl, baseUrlFromServerFile } from "../controller/url.ts";
import { DERIVABLE_DEVICE_KEY_ADVICE, EARLIEST_SANE_TIME } from "../identity/limits.ts";
import { parseCertificatesPem } from "../pki/certificate.ts";
import { softKeyFromPem } from "../pki/soft-key.ts";
import { errorChain } from "../shared/errors.ts";
import { deviceLayout } from "../state/layout.ts";
import { fetchStatus } from "../status/client.ts";
import type { StatusDocument } from "../status/index.ts";
import type { KeyOrigin } from "../tpm/index.ts";
import { tctiDevicePath } from "../tpm/tcti.ts";
import { type CertFacts, keyMatchesCert, readCertificates } from "./certs.ts";
import type { CheckResult } from "./result.ts";
import { keyChecks, principalChecks } from "./services.ts";
import { tpmChecks } from "./tpm.ts";

/**
 * The TPM over tpm2-tss in a Worker, loaded only when the check opens the
 * TPM itself (no agent runs, or the TCTI has a resource manager to share).
 */
async function connectTpm(tcti: string) {
  const { openWorkerTpm } = await import("../../native/tss2/index.ts");
  return await openWorkerTpm(tcti);
}

const DAY = 24 * 3600_000;

function certValidity(name: string, cert: CertFacts, now: Date): CheckResult {
  if (now < cert.notBefore) return { name, verdict: "fail", detail: `${cert.subject} not valid before ${cert.notBefore.toISOString()}` };
  if (now > cert.notAfter) return { name, verdict: "fail", detail: `${cert.subject} expired ${cert.notAfter.toISOString()}` };
  const days = Math.floor((cert.notAfter.getTime() - now.getTime()) / DAY);
  return { name, verdict: days < 30 ? "warn" : "ok", detail: `${cert.subject}, expires in ${days} days` };
}

async function fileCerts(path: string, name: string, now: Date): Promise<CheckResult[]> {
  if (!existsSync(path)) return [{ name, verdict: "fail", detail: `${path} is missing` }];
  try {
    const certs = readCertificates(readFileSync(path));
    if (certs.length === 0) return [{ name, verdict: "fail", detail: `${path} holds no certificate` }];
    return certs.map((c, i) => certValidity(certs.length > 1 ? `${name}[${i}]` : name, c, now));
  } catch (e) {
    return [{ name, verdict: "fail", detail: `${path}: ${errorChain(e)}` }];
  }
}

function deviceKeyVerdict(origin: KeyOrigin | "missing", from: string): CheckResult {
  const name = "device key";
  if (origin === "missing")
    return { name, verdict: "fail", detail: "no key at 0x817FFFFF although config/device.cert.pem exists: the TPM was cleared; re-provision the device" };
  if (origin === "derivable") return { name, verdict: "warn", detail: `derivable (${from}): ${DERIVABLE_DEVICE_KEY_ADVICE}` };
  return { name, verdict: "ok", detail: `in the TPM (0x817FFFFF), created by the TPM, not derivable (${from})` };
}

/**
 * How the TPM device key was made: from the running agent's status, else
 * (no agent to share the TPM with) read from the TPM itself. ReadPublic's
 * qualified name tells a primary from a created key, so this needs no
 * CreatePrimary, no auth and no transient object.
 */
async function tpmDeviceKeyCheck(cfg: AgentConfig, doc: StatusDocument | undefined): Promise<CheckResult> {
  const reported = doc?.tpm.deviceKey;
  if (reported === "derivable" || reported === "tpm-created") return deviceKeyVerdict(reported, "reported by the agent");
  if (doc) return { name: "device key", verdict: "ok", detail: "in the TPM (0x817FFFFF); the agent has not reported its origin yet" };
  if (cfg.tpm.mode === "off") return { name: "device key", verdict: "fail", detail: "tpm mode is off but the device cert belongs to a TPM key" };
  return await inspectDeviceKey(cfg.tpm.tcti);
}

/** ReadPublic of the device key over a connection of the check's own (no agent runs to share the TPM with). */
async function inspectDeviceKey(tcti: string): Promise<CheckResult> {
  const { TpmManager } = await import("../tpm/index.ts");
  let tpm: InstanceType<typeof TpmManager> | undefined;
  try {
    // Not openTpm: its stale-handle flush must stay the agent's business.
    tpm = new TpmManager(await connectTpm(tcti), { timeoutMs: 10_000 });
    const origin = (await tpm.inspectKeys(["device"])).get("device")!;
    return deviceKeyVerdict(origin, "read from the TPM");
  } catch (e) {
    return { name: "device key", verdict: "warn", detail: `in the TPM (0x817FFFFF); cannot inspect it: ${errorChain(e)}` };
  } finally {
    await tpm?.close().catch(() => undefined);
  }
}

/**
 * The onboarding key matches its certificate. Decided with WebCrypto when it
 * does; anything else (no match, a key or file it cannot read) goes to the
 * pki's softKeyFromPem, which decides and words the failure as the agent would.
 */
async function onboardKeyCheck(keyPath: string, certPath: string): Promise<CheckResult> {
  const name = "config/onboard.key.pem";
  try {
    const keyPem = readFileSync(keyPath);
    const certPem = readFileSync(certPath);
    if (await keyMatchesCert(keyPem, certPem)) return { name, verdict: "ok", detail: "matches the onboarding cert" };
    const key = softKeyFromPem(keyPem);
    const cert = parseCertificatesPem(certPem)[0];
    const match = cert?.publicKey.kind === "ec" && Buffer.from(cert.publicKey.point).equals(Buffer.from(key.publicKey));
    return { name, verdict: match ? "ok" : "fail", detail: match ? "matches the onboarding cert" : "does not match the onboarding cert" };
  } catch (e) {
    return { name, verdict: "fail", detail: errorChain(e) };
  }
}

/**
 * GET /ping over the controller's TLS, as the agent would reach it; undefined without a server file or root
 * certificate. The agent trusts root-certificate.pem plus the system CA pool; the check tries the configured
 * root alone first, as parsing the pool's hundred-odd certificates cost it more than the handshake. A chain
 * that verifies to the root verifies with the pool too; any other chain is refused as unknown by the root
 * alone and then tried against the agent's whole trust, whose answer is the verdict.
 */
async function controllerCheck(cfg: AgentConfig, base: URL | undefined, rootCert: string, systemBundles?: string[]): Promise<CheckResult | undefined> {
  if (!base || !existsSync(rootCert)) return undefined;
  const ping = (ca: string) =>
    httpExchange(
      { method: "GET", url: actionUrl(base, "ping"), headers: { "X-Request-Id": crypto.randomUUID() } },
      { ca, dialTimeoutMs: cfg.timers.dialTimeoutMs, sendTimeoutMs: 15_000, maxResponseBytes: 65536 },
    );
  try {
    const rootPem = readFileSync(rootCert, "utf8");
    let res: HttpResponse;
    try {
      res = await ping(rootPem);
    } catch (e) {
      if (!(e instanceof TransportError && e.kind === "controller.cert-unknown-authority")) throw e;
      res = await ping(controllerTrust(rootPem, systemBundles));
    }
    const ok = [200, 201, 204, 304].includes(res.status);
    return { name: "controller", verdict: ok ? "ok" : "fail", detail: `GET /ping answered ${res.status}` };
  } catch (e) {
    return { name: "controller", verdict: "fail", detail: errorChain(e) };
  }
}

export interface RunChecksOptions {
  /** The system CA bundles the controller's trust adds to its root (controller/trust.ts; tests give their own). */
  systemBundles?: string[];
  /** The agent's status, already asked for by the caller (the CLI asks before it loads the checks). */
  status?: Promise<StatusDocument>;
}

/**
 * Operator diagnostics in the spirit of `aziotctl check`: device files,
 * certificate lifetimes, clock, TPM device and self-test, controller
 * reachability and the running agent's own view. Leaves the device as it
 * found it (the TPM self-test's objects are flushed); never prints secrets.
 */
export async function runChecks(cfg: AgentConfig, socket: string, now = new Date(), opts: RunChecksOptions = {}): Promise<CheckResult[]> {
  const layout = deviceLayout(cfg.root);
  const out: CheckResult[] = [];
  out.push(
    now.getTime() >= EARLIEST_SANE_TIME
      ? { name: "clock", verdict: "ok", detail: now.toISOString() }
      : { name: "clock", verdict: "fail", detail: `clock reads ${now.toISOString()}; certificates cannot be checked or created` },
  );
  let base: URL | undefined;
  try {
    base = baseUrlFromServerFile(readFileSync(layout.config.server, "utf8"));
    out.push({ name: "config/server", verdict: "ok", detail: base.host });
  } catch (e) {
    out.push({ name: "config/server", verdict: "fail", detail: errorChain(e) });
  }
  // The controller's round trips and the agent's answer overlap the local checks; results keep their order.
  const status = opts.status ?? fetchStatus(socket, 3000);
  status.catch(() => undefined);
  const reaching = controllerCheck(cfg, base, layout.config.rootCert, opts.systemBundles);
  // One turn of the event loop sends the TLS ClientHello; the controller works on it while this process reads its files.
  await new Promise((resolve) => setTimeout(resolve, 0));
  out.push(...(await fileCerts(layout.config.rootCert, "config/root-certificate.pem", now)));
  if (existsSync(layout.config.onboardCert) || existsSync(layout.config.onboardKey)) {
    out.push(...(await fileCerts(layout.config.onboardCert, "config/onboard.cert.pem", now)));
    out.push(await onboardKeyCheck(layout.config.onboardKey, layout.config.onboardCert));
  }
  const provisioned = existsSync(layout.config.deviceCert);
  const deviceCert = provisioned ? await fileCerts(layout.config.deviceCert, "config/device.cert.pem", now) : [];
  let doc: StatusDocument | undefined;
  let docError: unknown;
  try {
    doc = await status;
  } catch (e) {
    docError = e;
  }
  if (provisioned) {
    out.push(...deviceCert);
    out.push(
      cfg.identity.pk
        ? { name: "device key", verdict: "ok", detail: `PKCS#11 (key://${cfg.identity.pk}); see "preloaded key ${cfg.identity.pk}"` }
        : existsSync(layout.config.deviceKey)
          ? { name: "device key", verdict: "ok", detail: "software (config/device.key.pem)" }
          : await tpmDeviceKeyCheck(cfg, doc),
    );
  } else {
    out.push({ name: "config/device.cert.pem", verdict: "warn", detail: "not created yet (first boot)" });
  }
  out.push(...principalChecks(cfg));
  out.push(...(await keyChecks(cfg)));
  const dev = tctiDevicePath(cfg.tpm.tcti);
  if (cfg.tpm.mode === "off") out.push({ name: "tpm", verdict: "ok", detail: "disabled by configuration" });
  else if (dev && !existsSync(dev)) out.push({ name: "tpm", verdict: cfg.tpm.mode === "required" ? "fail" : "warn", detail: `no TPM device at ${dev}` });
  else out.push({ name: "tpm", verdict: "ok", detail: dev ? `${dev} present` : cfg.tpm.tcti });
  out.push(...(await tpmChecks(cfg, layout, doc, { connect: connectTpm })));

  const controller = await reaching;
  if (controller) out.push(controller);
  if (doc) {
    out.push({
      name: "agent",
      verdict: "ok",
      detail: `running (pid ${doc.agent.pid}), ${doc.device.onboarded ? `onboarded as ${doc.device.uuid}` : "not onboarded"}`,
    });
    if (doc.device.lastError) out.push({ name: "agent start-up", verdict: "fail", detail: doc.device.lastError.message });
    const att = doc.attestation;
    if (att.state)
      out.push({
        name: "attestation",
        verdict: att.state === "Complete" ? "ok" : "warn",
        detail: `${att.state}${att.lastError ? `; last error: ${att.lastError.message}` : ""}`,
      });
    const vault = doc.vault;
    if (vault.status)
      out.push({
        name: "vault",
        verdict: vault.status === "ERROR" ? "fail" : "ok",
        detail: `${vault.status}${vault.lastError ? `: ${vault.lastError.message}` : ""}`,
      });
  } else {
    out.push({ name: "agent", verdict: "warn", detail: `status endpoint not reachable at ${socket}: ${(docError as Error).message}` });
  }
  return out;
}

export function renderChecks(results: CheckResult[]): string {
  return results.map((r) => `[${r.verdict.padEnd(4)}] ${r.name}: ${r.detail}${r.hint ? `\n       hint: ${r.hint}` : ""}`).join("\n") + "\n";
}
