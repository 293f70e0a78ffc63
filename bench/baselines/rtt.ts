// The network part of a boot's floor: the HTTPS requests an agent boot sent
// to the controller, replayed in order on one kept-alive connection with
// nothing else done between them. Prints the time from the first request to
// the last answer, so the process start is left to the hello baseline.
//   rtt REQUESTS_JSON   ({ ca: PEM, requests: [{ method, url, headers, body (base64) }] })
import { readFileSync } from "node:fs";

interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}
const file = process.argv[2];
if (!file) {
  console.error("usage: rtt REQUESTS_JSON");
  process.exit(2);
}
const { ca, requests } = JSON.parse(readFileSync(file, "utf8")) as { ca: string; requests: Recorded[] };
const bodies = requests.map((r) => (r.body ? Buffer.from(r.body, "base64") : undefined));
const t0 = performance.now();
const statuses: number[] = [];
const each: number[] = [];
for (const [i, r] of requests.entries()) {
  const t = performance.now();
  const res = await fetch(r.url, { method: r.method, headers: r.headers, body: bodies[i], tls: { ca } } as RequestInit);
  await res.arrayBuffer();
  statuses.push(res.status);
  each.push(Math.round((performance.now() - t) * 100) / 100);
}
console.log(JSON.stringify({ ms: performance.now() - t0, requests: requests.length, statuses, each }));
