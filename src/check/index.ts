export { type RunChecksOptions, renderChecks, runChecks } from "./checks.ts";
export type { CheckResult, Verdict } from "./result.ts";
export { type TpmCheckOptions, tpmChecks } from "./tpm.ts";
