import type { StatusDocument, StatusError } from "./sections.ts";

/** Values start in one column whatever the nesting depth. */
const VALUE_COLUMN = 23;

function scalar(v: unknown): string {
  return v === undefined || v === null || v === "" ? "-" : String(v);
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function isStatusError(v: unknown): v is StatusError {
  return isRecord(v) && typeof v.kind === "string" && typeof v.message === "string" && typeof v.at === "string" && Object.keys(v).length === 3;
}

/** A list entry on one line: its scalar fields as key=value. */
function inline(v: unknown): string {
  if (!isRecord(v)) return scalar(v);
  return Object.entries(v)
    .filter(([, x]) => x !== undefined)
    .map(([k, x]) => `${k}=${isRecord(x) || Array.isArray(x) ? JSON.stringify(x) : scalar(x)}`)
    .join(" ");
}

function lines(obj: object, depth: number): string[] {
  const indent = "  ".repeat(depth);
  const label = (k: string) => indent + k.padEnd(Math.max(VALUE_COLUMN - indent.length - 1, k.length));
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj) as [string, unknown][]) {
    if (v === undefined) continue;
    if (isStatusError(v)) out.push(`${label(k)} ${v.kind}: ${v.message} (since ${v.at})`);
    else if (isRecord(v)) out.push(`${indent}${k}`, ...lines(v, depth + 1));
    else if (Array.isArray(v) && v.some(isRecord)) {
      out.push(`${label(k)} ${v.length}`);
      for (const item of v) out.push(`${indent}  - ${inline(item)}`);
    } else out.push(`${label(k)} ${Array.isArray(v) ? (v.length === 0 ? "-" : v.join(",")) : scalar(v)}`);
  }
  return out;
}

/** Human-readable form of the status document for `edge-agent status`: one line per value, nested sections indented. */
export function renderStatus(doc: StatusDocument): string {
  const sections = ["device", "onboarding", "controller", "tpm", "attestation", "vault", "config", "info", "keylime"] as const;
  const out = [`edge-agent ${doc.agent.version} (pid ${doc.agent.pid}, up ${doc.agent.uptimeSeconds}s)`];
  for (const s of sections) out.push(s, ...lines(doc[s], 1));
  return out.join("\n") + "\n";
}
