export type Verdict = "ok" | "warn" | "fail";

export interface CheckResult {
  name: string;
  verdict: Verdict;
  detail: string;
  /** What the operator can do about a warn or fail. */
  hint?: string;
}
