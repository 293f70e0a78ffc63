/** Median with the spread (min..max) of a few rounds. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function summary(xs: number[]): Summary {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s.at(-1)!, n: s.length };
}

export function median(xs: number[]): number {
  return summary(xs).median;
}

/** "12.3 (11.9–13.0)": median and spread with `digits` decimals. */
export function fmt(s: Summary, digits = 1, unit = ""): string {
  if (s.n === 0) return "—";
  const f = (x: number) => x.toFixed(digits);
  return s.n === 1 || s.min === s.max ? `${f(s.median)}${unit}` : `${f(s.median)}${unit} (${f(s.min)}–${f(s.max)})`;
}

/** Per-round ratios a/b, paired by round so a noisy round moves both sides. */
export function ratios(a: number[], b: number[]): number[] {
  return a.map((x, i) => x / b[i]!);
}
