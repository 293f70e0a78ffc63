/**
 * Counters and histograms for /v1/metrics, fed by hooks in the controller
 * client and the TPM queue. State (onboarded, attestation state, ...) is not
 * kept here: it is read from the status document when metrics are asked for.
 */

export type Labels = Record<string, string>;

interface Series<T> {
  labels: Labels;
  value: T;
}

export interface HistogramValue {
  /** Cumulative counts per upper bound, in the order of the family's buckets. */
  counts: number[];
  sum: number;
  count: number;
}

export type MetricFamily =
  | { name: string; help: string; type: "counter" | "gauge"; samples: Series<number>[] }
  | { name: string; help: string; type: "histogram"; buckets: readonly number[]; samples: Series<HistogramValue>[] };

const key = (labels: Labels) => JSON.stringify(Object.entries(labels));

class Counter {
  private readonly series = new Map<string, Series<number>>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels, by = 1): void {
    const k = key(labels);
    const s = this.series.get(k) ?? { labels, value: 0 };
    s.value += by;
    this.series.set(k, s);
  }
  family(): MetricFamily {
    return { name: this.name, help: this.help, type: "counter", samples: [...this.series.values()].map((s) => ({ ...s })) };
  }
}

class Histogram {
  private readonly series = new Map<string, Series<HistogramValue>>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}
  observe(labels: Labels, v: number): void {
    const k = key(labels);
    const s = this.series.get(k) ?? { labels, value: { counts: this.buckets.map(() => 0), sum: 0, count: 0 } };
    this.buckets.forEach((le, i) => {
      if (v <= le) s.value.counts[i]!++;
    });
    s.value.sum += v;
    s.value.count++;
    this.series.set(k, s);
  }
  family(): MetricFamily {
    return {
      name: this.name,
      help: this.help,
      type: "histogram",
      buckets: this.buckets,
      samples: [...this.series.values()].map((s) => ({ labels: s.labels, value: { ...s.value, counts: [...s.value.counts] } })),
    };
  }
}

/** "2xx".."5xx" for an HTTP status, "none" when no HTTP answer came (network error, timeout, abort). */
export function statusClass(status: number | undefined): string {
  return status === undefined ? "none" : `${Math.floor(status / 100)}xx`;
}

/** Controller round trips: TLS dial included, seconds. */
const REQUEST_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** TPM operations: a PCR read takes milliseconds, an RSA CreatePrimary can take many seconds. */
const TPM_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class Meters {
  private readonly requests = new Counter(
    "edge_agent_controller_requests_total",
    "Controller requests by endpoint and HTTP status class (none: no HTTP answer).",
  );
  private readonly requestSeconds = new Histogram(
    "edge_agent_controller_request_duration_seconds",
    "Controller request duration by endpoint, TLS dial included.",
    REQUEST_BUCKETS,
  );
  private readonly tpmOps = new Counter(
    "edge_agent_tpm_operations_total",
    "TPM operations run by the TPM queue, by operation and result (ok, error, timeout).",
  );
  private readonly tpmSeconds = new Histogram(
    "edge_agent_tpm_operation_duration_seconds",
    "TPM operation duration by operation, retries included.",
    TPM_BUCKETS,
  );
  private readonly tpmRetries = new Counter("edge_agent_tpm_retries_total", "TPM commands sent again after the TPM answered RETRY, YIELDED or TESTING.");

  /** One controller exchange; `status` is undefined when no HTTP answer came. */
  controllerRequest(endpoint: string, status: number | undefined, seconds: number): void {
    this.requests.inc({ endpoint, status_class: statusClass(status) });
    this.requestSeconds.observe({ endpoint }, seconds);
  }

  /** One operation of the TPM queue (a short sequence of TPM commands). */
  tpmOperation(operation: string, result: "ok" | "error" | "timeout", seconds: number): void {
    this.tpmOps.inc({ operation, result });
    this.tpmSeconds.observe({ operation }, seconds);
  }

  tpmRetry(command: string): void {
    this.tpmRetries.inc({ command });
  }

  families(): MetricFamily[] {
    return [this.requests, this.requestSeconds, this.tpmOps, this.tpmSeconds, this.tpmRetries].map((m) => m.family());
  }
}
