// Open-loop load on status endpoints over their Unix sockets: requests go
// out on a fixed schedule (RATE per second) whether or not earlier ones have
// been answered, and each one's latency runs from its scheduled send time to
// the last byte of the answer, so a server that falls behind pays for the
// queue it builds. The targets take turns in slices of SLICE_MS, SLICES
// each, so a noisy second on a shared machine hits them alike; each target
// first gets WARMUP_MS that are not counted.
//   load RATE SLICE_MS SLICES WARMUP_MS SOCKET...
const [rateArg, sliceArg, slicesArg, warmArg, ...sockets] = process.argv.slice(2);
if (sockets.length === 0) {
  console.error("usage: load RATE SLICE_MS SLICES WARMUP_MS SOCKET...");
  process.exit(2);
}
const rate = Number(rateArg);
const sliceMs = Number(sliceArg);
const slices = Number(slicesArg);
const warmupMs = Number(warmArg);
const interval = 1000 / rate;

interface Target {
  socket: string;
  latencies: number[];
  errors: number;
  bytes: number;
  sent: number;
  ms: number;
}
const targets: Target[] = sockets.map((socket) => ({ socket, latencies: [], errors: 0, bytes: 0, sent: 0, ms: 0 }));

async function one(t: Target, scheduled: number, counted: boolean): Promise<void> {
  try {
    const res = await fetch("http://localhost/v1/status", { unix: t.socket } as RequestInit);
    const body = await res.arrayBuffer();
    if (!res.ok) t.errors++;
    t.bytes = body.byteLength;
  } catch {
    t.errors++;
    return;
  }
  if (counted) t.latencies.push(performance.now() - scheduled);
}

/** Sends to `t` at the rate for `ms`, waiting for the slice's answers before the next slice starts. */
async function slice(t: Target, ms: number, counted: boolean): Promise<void> {
  const inflight: Promise<void>[] = [];
  const total = Math.floor((ms * rate) / 1000);
  const t0 = performance.now();
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    while (sent < total && t0 + sent * interval <= now) {
      inflight.push(one(t, t0 + sent * interval, counted));
      sent++;
    }
    await Bun.sleep(Math.max(0, t0 + sent * interval - performance.now()));
  }
  await Promise.all(inflight);
  if (counted) {
    t.sent += sent;
    t.ms += performance.now() - t0;
  }
}

for (const t of targets) await slice(t, warmupMs, false);
for (let s = 0; s < slices; s++) {
  for (const t of s % 2 ? [...targets].reverse() : targets) await slice(t, sliceMs, true);
}

const out = targets.map((t) => {
  const l = [...t.latencies].sort((a, b) => a - b);
  const pct = (p: number) => l[Math.min(l.length - 1, Math.floor((p / 100) * l.length))] ?? NaN;
  return { socket: t.socket, n: l.length, errors: t.errors, bytes: t.bytes, rate: (t.sent * 1000) / t.ms, p50: pct(50), p99: pct(99), max: l.at(-1) ?? NaN };
});
console.log(JSON.stringify(out));

export {};
