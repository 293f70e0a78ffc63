import type { KeylimeMode } from "../agent.ts";
import type { WireRecorder } from "./http.ts";
import { pushAttester } from "./service.ts";

export interface PushModeOptions {
  /** The UEFI event log offered to the verifier (the agent's eventLogPath); none offered without it. */
  eventLogPath?: string;
  wireDump?: WireRecorder;
  /** Per exchange: endpoint, HTTP status (undefined: no answer), duration (metrics). */
  onExchange?: (endpoint: string, status: number | undefined, ms: number) => void;
}

/**
 * `[keylime] mode = "push"` after registration: the attestation loop against
 * the push verifier, until the agent stops. Its status goes into the
 * keylime section as `push`, with the evidence count and the last verdict
 * also at the section's top level where the pull server reports its own.
 */
export function pushMode(o: PushModeOptions): KeylimeMode {
  return {
    async run(ctx, signal) {
      const attester = pushAttester({
        cfg: ctx.cfg,
        agentId: ctx.agent.uuid,
        tpm: ctx.tpm,
        ...(o.eventLogPath ? { eventLogPath: o.eventLogPath } : {}),
        ...(o.wireDump ? { wireDump: o.wireDump } : {}),
        ...(o.onExchange ? { onExchange: o.onExchange } : {}),
        log: ctx.log.child("push"),
        onStatus: (push) =>
          ctx.report({
            push,
            evidenceSubmitted: push.evidenceSubmitted,
            ...(push.lastVerdict ? { lastVerdict: push.lastVerdict, lastVerdictAt: push.lastVerdictAt } : {}),
          }),
      });
      await attester.run(signal);
    },
  };
}
