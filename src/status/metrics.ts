import type { Labels, Meters, MetricFamily } from "./meters.ts";
import type { StatusDocument } from "./sections.ts";

/** Prometheus text exposition format 0.0.4. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const seconds = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso) / 1000);
const flag = (b: boolean | undefined) => (b === undefined ? undefined : b ? 1 : 0);

/**
 * State gauges and counters read from the status document. A value the
 * agent does not know yet (no attestation before onboarding) is left out
 * rather than reported as 0.
 */
function stateFamilies(doc: StatusDocument, now: number): MetricFamily[] {
  const one = (name: string, help: string, type: "counter" | "gauge", value: number | undefined, labels: Labels = {}): MetricFamily => ({
    name,
    help,
    type,
    samples: value === undefined || Number.isNaN(value) ? [] : [{ labels, value }],
  });
  const { device, onboarding, tpm, attestation, vault, config, info } = doc;
  const appliedAt = seconds(config.poll?.config?.appliedAt);
  return [
    one("edge_agent_build_info", "The agent's version, as a label; always 1.", "gauge", 1, { version: doc.agent.version }),
    one("edge_agent_start_time_seconds", "When the agent process started, Unix time.", "gauge", seconds(doc.agent.startedAt)),
    one("edge_agent_onboarded", "1 once the device has its UUID from the controller.", "gauge", flag(device.onboarded)),
    one("edge_agent_startup_failed", "1 while the last start-up attempt failed (device.lastError).", "gauge", flag(device.lastError !== undefined)),
    {
      name: "edge_agent_maintenance_reason",
      help: "1 for each maintenance-mode reason the device reports to the controller.",
      type: "gauge",
      samples: (device.maintenanceReasons ?? []).map((reason) => ({ labels: { reason }, value: 1 })),
    },
    one("edge_agent_onboarding_attempts_total", "Onboarding attempts (GET /certs, /register, /uuid rounds) since start.", "counter", onboarding.attempts),
    one(
      "edge_agent_tpm_reconnects_total",
      "TPM connections replaced after a timeout or a TCTI failure.",
      "counter",
      tpm.backend === "tpm" ? (tpm.reconnects ?? 0) : undefined,
    ),
    one("edge_agent_attestation_state", "EVE's attestation state number (7: Complete, 6: RestartWait).", "gauge", attestation.stateNumber),
    one("edge_agent_attestation_token_present", "1 while an integrity token is held.", "gauge", flag(attestation.tokenPresent)),
    one("edge_agent_attestation_cycles_total", "Attestation cycles started by the running services.", "counter", attestation.cycles),
    one("edge_agent_attestation_quotes_total", "Quotes sent by the running services.", "counter", attestation.quotes),
    one("edge_agent_attestation_last_success_timestamp_seconds", "When attestation last completed, Unix time.", "gauge", seconds(attestation.lastSuccess)),
    one("edge_agent_vault_locked", "1 while the vault key is not available.", "gauge", flag(vault.locked)),
    one("edge_agent_vault_escrow_pending", "1 while the controller has not confirmed storing the vault key escrow.", "gauge", flag(vault.escrowPending)),
    one("edge_agent_config_polls_total", "Config polls by the running services.", "counter", config.poll?.polls),
    one("edge_agent_config_last_poll_timestamp_seconds", "When config was last polled, Unix time.", "gauge", seconds(config.poll?.lastPollAt)),
    one(
      "edge_agent_config_age_seconds",
      "Time since the config in force was applied (from the controller or the checkpoint).",
      "gauge",
      appliedAt === undefined ? undefined : Math.max(0, now / 1000 - appliedAt),
    ),
    one("edge_agent_info_reports_total", "Device info reports queued by the running services.", "counter", info.reports),
    one("edge_agent_info_queue_pending", "Requests waiting in the deferred queue.", "gauge", info.queue?.pending.length),
    one(
      "edge_agent_info_queue_pending_attempts",
      "Delivery attempts already made for the requests still waiting (retries).",
      "gauge",
      info.queue?.pending.reduce((n, p) => n + p.attempts, 0),
    ),
    one("edge_agent_info_queue_delivered_total", "Requests the deferred queue delivered.", "counter", info.queue?.delivered),
    one("edge_agent_info_queue_dropped_total", "Requests the controller refused for good.", "counter", info.queue?.dropped),
  ];
}

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const escapeHelp = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

function num(v: number): string {
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return Number.isNaN(v) ? "NaN" : String(v);
}

export function exposition(families: MetricFamily[]): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    if (f.type === "histogram") {
      for (const { labels, value } of f.samples) {
        f.buckets.forEach((le, i) => out.push(`${f.name}_bucket${labelText({ ...labels, le: num(le) })} ${value.counts[i]}`));
        out.push(`${f.name}_bucket${labelText({ ...labels, le: "+Inf" })} ${value.count}`);
        out.push(`${f.name}_sum${labelText(labels)} ${num(value.sum)}`, `${f.name}_count${labelText(labels)} ${value.count}`);
      }
    } else {
      for (const { labels, value } of f.samples) out.push(`${f.name}${labelText(labels)} ${num(value)}`);
    }
  }
  return out.join("\n") + "\n";
}

/** The /v1/metrics body: state from the document, then the request and TPM meters. */
export function renderMetrics(doc: StatusDocument, meters: Meters, now = Date.now()): string {
  return exposition([...stateFamilies(doc, now), ...meters.families()]);
}
