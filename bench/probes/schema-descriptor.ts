// Start-up probe: the protocol codecs as the agent has them, the schema
// loaded from the generated descriptor on first use; one ZAttestReq decoded.
// Prints ms since the process started and the process's CPU ms.
import { codec } from "../../src/protocol/codec.ts";
import { FIXTURE } from "./fixture.ts";

const msg = codec.ZAttestReq.decode(FIXTURE);
const cpu = process.cpuUsage();
console.log(JSON.stringify({ ms: performance.now(), cpuMs: (cpu.user + cpu.system) / 1000, reqType: msg.reqType }));
