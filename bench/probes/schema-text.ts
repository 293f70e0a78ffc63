// Start-up probe: the protocol codecs as they were before issue 11, the
// embedded .proto text parsed by protobufjs's full build and every codec's
// type looked up when the module loads; then one ZAttestReq decoded.
// Prints ms since the process started and the process's CPU ms.
import { codec } from "../../src/protocol/codec.ts";
import { buildRoot } from "../../src/protocol/schema.ts";
import { messageCodec } from "../../src/protocol/wire.ts";
import { FIXTURE } from "./fixture.ts";

const root = buildRoot();
const codecs = Object.fromEntries(
  Object.values(codec).map((c) => {
    root.lookupType(c.typeName);
    return [c.typeName, messageCodec(() => root, c.typeName)];
  }),
);
const msg = codecs[codec.ZAttestReq.typeName]!.decode(FIXTURE) as { reqType: number };
const cpu = process.cpuUsage();
console.log(JSON.stringify({ ms: performance.now(), cpuMs: (cpu.user + cpu.system) / 1000, reqType: msg.reqType }));
