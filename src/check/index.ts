export { runChecks, renderChecks, type CheckResult, type Verdict } from "./checks.ts";
