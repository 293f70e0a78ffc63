/**
 * What the command layer needs from an ESAPI implementation. The native
 * layer owns it: native/tss2/commands.ts declares each command once and the
 * port type is derived from that table; native/tss2/api.ts loads no library,
 * so src/tpm builds and unit-tests without libtss2 and main.ts passes the
 * real implementation in.
 */
export {
  type Command,
  type CommandInput,
  type CommandOutput,
  ESYS_TR,
  type EsysTr,
  RC_LAYER,
  type Sessions,
  type TpmPort,
  type TpmRcLike,
} from "../../native/tss2/api.ts";
