import { describe, expect, test } from "bun:test";
import { parseExposition, sampleValue } from "../../test/harness/prometheus.ts";
import { createStatusApp } from "./app.ts";
import { StatusBoard } from "./document.ts";
import { METRICS_CONTENT_TYPE, renderMetrics } from "./metrics.ts";

function board(): StatusBoard {
  const b = new StatusBoard("1.2.3", "/");
  b.update("device", { uuid: "u-1", onboarded: true, maintenanceReasons: ["MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP"] });
  b.publish("tpm", { backend: "tpm", mode: "required", hsmStatus: "ENABLED", reconnects: 2 });
  b.publish("attestation", { state: "Complete", stateNumber: 7, cycles: 1, quotes: 3, tokenPresent: true });
  b.publish("vault", { status: "ERROR", locked: true, pcrStatus: "ENABLED", policyPcrs: [0], escrowPending: false, storeMode: "encrypted" });
  b.update("config", {
    poll: {
      polls: 9,
      checkpoint: { state: "not-needed" },
      config: { uuid: "u-1", version: "1", hash: "h", source: "controller", appliedAt: new Date(Date.now() - 90_000).toISOString() },
    },
  });
  return b;
}

describe("/v1/metrics", () => {
  test("exposes the state gauges read from the status document", () => {
    const m = parseExposition(renderMetrics(board().snapshot(), board().meters));
    expect(sampleValue(m, "edge_agent_onboarded")).toBe(1);
    expect(sampleValue(m, "edge_agent_attestation_state")).toBe(7);
    expect(sampleValue(m, "edge_agent_vault_locked")).toBe(1);
    expect(sampleValue(m, "edge_agent_tpm_reconnects_total")).toBe(2);
    expect(sampleValue(m, "edge_agent_config_polls_total")).toBe(9);
    expect(sampleValue(m, "edge_agent_maintenance_reason", { reason: "MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP" })).toBe(1);
    expect(sampleValue(m, "edge_agent_build_info", { version: "1.2.3" })).toBe(1);
    const age = sampleValue(m, "edge_agent_config_age_seconds")!;
    expect(age).toBeGreaterThanOrEqual(89);
    expect(age).toBeLessThan(3600);
  });

  test("leaves out what the agent does not know yet instead of reporting 0", () => {
    const m = parseExposition(renderMetrics(new StatusBoard("1", "/").snapshot(), new StatusBoard("1", "/").meters));
    expect(sampleValue(m, "edge_agent_onboarded")).toBe(0);
    expect(sampleValue(m, "edge_agent_attestation_state")).toBeUndefined();
    expect(sampleValue(m, "edge_agent_vault_locked")).toBeUndefined();
    expect(m.get("edge_agent_controller_requests_total")!.samples).toEqual([]);
  });

  test("counts controller requests per endpoint and status class and TPM operations per operation, with histograms", () => {
    const b = board();
    b.meters.controllerRequest("config", 200, 0.12);
    b.meters.controllerRequest("config", 304, 0.02);
    b.meters.controllerRequest("config", 403, 0.3);
    b.meters.controllerRequest("attest", undefined, 5);
    b.meters.tpmOperation("Quote", "ok", 0.2);
    b.meters.tpmOperation("Quote", "timeout", 60);
    b.meters.tpmRetry("quote");
    const m = parseExposition(renderMetrics(b.snapshot(), b.meters));
    expect(sampleValue(m, "edge_agent_controller_requests_total", { endpoint: "config", status_class: "2xx" })).toBe(1);
    expect(sampleValue(m, "edge_agent_controller_requests_total", { endpoint: "config", status_class: "3xx" })).toBe(1);
    expect(sampleValue(m, "edge_agent_controller_requests_total", { endpoint: "attest", status_class: "none" })).toBe(1);
    expect(sampleValue(m, "edge_agent_controller_request_duration_seconds_count", { endpoint: "config" })).toBe(3);
    expect(sampleValue(m, "edge_agent_controller_request_duration_seconds_bucket", { endpoint: "config", le: "0.05" })).toBe(1);
    expect(sampleValue(m, "edge_agent_controller_request_duration_seconds_bucket", { endpoint: "config", le: "0.25" })).toBe(2);
    expect(sampleValue(m, "edge_agent_tpm_operations_total", { operation: "Quote", result: "timeout" })).toBe(1);
    expect(sampleValue(m, "edge_agent_tpm_operation_duration_seconds_bucket", { operation: "Quote", le: "30" })).toBe(1);
    expect(sampleValue(m, "edge_agent_tpm_operation_duration_seconds_sum", { operation: "Quote" })).toBeCloseTo(60.2);
    expect(sampleValue(m, "edge_agent_tpm_retries_total", { command: "quote" })).toBe(1);
  });

  test("is served as Prometheus text where the full status is, and refused where it is not", async () => {
    const b = board();
    const full = await createStatusApp(b, { full: true }).request("/v1/metrics");
    expect(full.status).toBe(200);
    expect(full.headers.get("content-type")).toBe(METRICS_CONTENT_TYPE);
    expect(sampleValue(parseExposition(await full.text()), "edge_agent_onboarded")).toBe(1);
    const restricted = await createStatusApp(b, { full: false }).request("/v1/metrics");
    expect(restricted.status).toBe(403);
    expect(await restricted.text()).not.toContain("edge_agent");
  });
});
