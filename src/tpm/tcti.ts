/**
 * The device node a "device:" TCTI would open, or undefined for other TCTIs. A leaf of its own: `edge-agent check`
 * asks it of every configuration and must not load the TPM layer to do so (issue 11).
 */
export function tctiDevicePath(tcti: string): string | undefined {
  const [name, conf] = tcti.split(/:(.*)/s);
  if (name !== "device") return undefined;
  return conf && conf.length > 0 ? conf : "/dev/tpmrm0";
}
