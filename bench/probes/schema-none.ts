// Start-up probe: the same process with no protocol at all (the floor the two schema probes are read against).
import { FIXTURE } from "./fixture.ts";

const cpu = process.cpuUsage();
console.log(JSON.stringify({ ms: performance.now(), cpuMs: (cpu.user + cpu.system) / 1000, bytes: FIXTURE.length }));
