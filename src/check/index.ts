export { runChecks, renderChecks } from "./checks.ts";
export type { CheckResult, Verdict } from "./result.ts";
export { tpmChecks, type TpmCheckOptions } from "./tpm.ts";
