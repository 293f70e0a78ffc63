// Baseline: a bare Bun.serve on a Unix socket answering every request with
// the bytes of BODY_FILE, so the agent's status endpoint is compared with
// serving the very same document and nothing else.
//   serve SOCKET BODY_FILE
import { readFileSync, rmSync } from "node:fs";

const [socket, bodyFile] = process.argv.slice(2);
if (!socket || !bodyFile) {
  console.error("usage: serve SOCKET BODY_FILE");
  process.exit(2);
}
const body = readFileSync(bodyFile);
rmSync(socket, { force: true });
Bun.serve({
  unix: socket,
  fetch: () => new Response(body, { headers: { "content-type": "application/json" } }),
});
