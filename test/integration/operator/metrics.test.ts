// GET /v1/metrics of a running agent (issue 10 point 9): every line valid
// exposition format, state gauges matching the status document, and request
// and TPM counters that grow as the agent works.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { codec } from "../../../src/protocol/index.ts";
import { fetchMetrics, type StatusDocument } from "../../../src/status/index.ts";
import { type RunningController, startTestController } from "../../controller/index.ts";
import { removeTempRoots } from "../../harness/device.ts";
import { makeOnboardingCert, type OnboardingCert } from "../../harness/pki.ts";
import { type Family, parseExposition, sampleValue } from "../../harness/prometheus.ts";
import { type MeasuredDevice, measuredDevice } from "../flow/fixture.ts";

let onboard: OnboardingCert;
let ctl: RunningController;
let dev: MeasuredDevice;

beforeAll(async () => {
  onboard = await makeOnboardingCert();
  ctl = await startTestController();
  await ctl.addOnboard(onboard.certPem, ["*"]);
  ctl.controller.newDeviceConfig = codec.EdgeDevConfig.encode({ id: { version: "1" } });
  dev = await measuredDevice(ctl, onboard, "METRICS-1");
});
afterAll(async () => {
  await dev?.dispose();
  await ctl?.cleanup();
  await onboard?.cleanup();
  removeTempRoots();
});

const trusted = (s: StatusDocument) => s.device.onboarded && s.attestation.state === "Complete" && s.vault.status === "ENABLED" && s.config.received === true;

/** Sum of a sample over the series whose labels include `labels`. */
function total(m: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  return [...m.values()]
    .flatMap((f) => f.samples)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);
}

describe("/v1/metrics of a running agent", () => {
  test("is valid exposition text whose state gauges follow the status and whose counters grow with requests", async () => {
    const a = dev.agent();
    const s = await a.waitFor(trusted, 90_000);
    const first = parseExposition(await fetchMetrics(a.socket));
    expect(sampleValue(first, "edge_agent_onboarded")).toBe(1);
    expect(sampleValue(first, "edge_agent_attestation_state")).toBe(s.attestation.stateNumber!);
    expect(sampleValue(first, "edge_agent_vault_locked")).toBe(0);
    expect(sampleValue(first, "edge_agent_build_info", { version: s.agent.version })).toBe(1);
    expect(sampleValue(first, "edge_agent_config_age_seconds")).toBeGreaterThanOrEqual(0);
    // Onboarding went through these endpoints, each answered.
    for (const endpoint of ["certs", "register", "uuid", "attest", "config"]) {
      expect(total(first, "edge_agent_controller_requests_total", { endpoint })).toBeGreaterThanOrEqual(1);
    }
    // Each metered TPM operation has its latency observed once.
    for (const op of first.get("edge_agent_tpm_operations_total")!.samples) {
      const { operation } = op.labels;
      expect(total(first, "edge_agent_tpm_operations_total", { operation: operation! })).toBe(
        sampleValue(first, "edge_agent_tpm_operation_duration_seconds_count", { operation: operation! })!,
      );
    }
    expect(total(first, "edge_agent_tpm_operations_total", { operation: "Quote", result: "ok" })).toBeGreaterThanOrEqual(1);

    // Config is polled every second (fast timers); each poll is a signed POST, so a TPM Sign.
    const configBefore = total(first, "edge_agent_controller_requests_total", { endpoint: "config" });
    const signsBefore = total(first, "edge_agent_tpm_operations_total", { operation: "Sign", result: "ok" });
    const polledBefore = ctl.controller.actionCounts.config ?? 0;
    const deadline = Date.now() + 30_000;
    while ((ctl.controller.actionCounts.config ?? 0) < polledBefore + 3 && Date.now() < deadline) await Bun.sleep(200);
    const later = parseExposition(await fetchMetrics(a.socket));
    const configAfter = total(later, "edge_agent_controller_requests_total", { endpoint: "config" });
    expect(configAfter).toBeGreaterThanOrEqual(configBefore + 2);
    // The agent counts no request the controller did not see.
    expect(configAfter).toBeLessThanOrEqual(ctl.controller.actionCounts.config ?? 0);
    expect(total(later, "edge_agent_controller_request_duration_seconds_count", { endpoint: "config" })).toBe(configAfter);
    expect(total(later, "edge_agent_tpm_operations_total", { operation: "Sign", result: "ok" })).toBeGreaterThan(signsBefore);
    expect(total(later, "edge_agent_config_polls_total")).toBeGreaterThan(total(first, "edge_agent_config_polls_total"));
    await a.stop();
  }, 150_000);
});
