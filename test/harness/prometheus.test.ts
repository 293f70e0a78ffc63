import { describe, expect, test } from "bun:test";
import { parseExposition, sampleValue } from "./prometheus.ts";

const GOOD = `# HELP up 1 when up.
# TYPE up gauge
up{job="a\\"b\\\\c\\nd"} 1
# TYPE t_seconds histogram
t_seconds_bucket{op="x",le="0.1"} 1
t_seconds_bucket{op="x",le="+Inf"} 2
t_seconds_sum{op="x"} 0.35
t_seconds_count{op="x"} 2
`;

describe("exposition reader", () => {
  test("reads families, label escapes and histograms", () => {
    const f = parseExposition(GOOD);
    expect(f.get("up")!.type).toBe("gauge");
    expect(sampleValue(f, "up", { job: 'a"b\\c\nd' })).toBe(1);
    expect(sampleValue(f, "t_seconds_count", { op: "x" })).toBe(2);
  });

  test.each([
    ["no final newline", "# TYPE a gauge\na 1"],
    ["a bad metric name", "# TYPE 1a gauge\n1a 1\n"],
    ["an unquoted label value", "a{b=c} 1\n"],
    ["a bad escape", 'a{b="\\t"} 1\n'],
    ["a bad value", "a 1,5\n"],
    ["an empty line", "a 1\n\nb 2\n"],
    ["a TYPE after samples", "a 1\n# TYPE a gauge\n"],
    ["an unknown type", "# TYPE a thing\n"],
    ["a family split by another", '# TYPE a gauge\na{x="1"} 1\n# TYPE b gauge\nb 1\na{x="2"} 1\n'],
    ["a duplicate series", "a 1\na 2\n"],
    ["a negative counter", "# TYPE c counter\nc -1\n"],
    ["a histogram without +Inf", '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'],
    ["a histogram that is not cumulative", '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="2"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 2\n'],
    ["a histogram whose +Inf is not _count", '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n'],
  ])("refuses %s", (_, text) => {
    expect(() => parseExposition(text)).toThrow();
  });
});
