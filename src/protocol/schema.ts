import protobuf from "protobufjs";
import attestProto from "../../proto/attest/attest.proto" with { type: "text" };
import authProto from "../../proto/auth/auth.proto" with { type: "text" };
import certsProto from "../../proto/certs/certs.proto" with { type: "text" };
import devcommonProto from "../../proto/config/devcommon.proto" with { type: "text" };
import devconfigProto from "../../proto/config/devconfig.proto" with { type: "text" };
import acipherinfoProto from "../../proto/evecommon/acipherinfo.proto" with { type: "text" };
import evecommonProto from "../../proto/evecommon/evecommon.proto" with { type: "text" };
import eveuuidProto from "../../proto/eveuuid/eveuuid.proto" with { type: "text" };
import infoCommonProto from "../../proto/info/common.proto" with { type: "text" };
import infoProto from "../../proto/info/info.proto" with { type: "text" };
import registerProto from "../../proto/register/register.proto" with { type: "text" };

/**
 * The .proto sources, keyed by the import path the other files use, which is
 * also their path under proto/. The agent itself never parses them: they are
 * the source of descriptor.generated.ts (descriptor-gen.ts) and of the tests
 * that hold the descriptor, the field tables and the test controller to them.
 */
export const PROTO_SOURCES: Readonly<Record<string, string>> = {
  "evecommon/evecommon.proto": evecommonProto,
  "evecommon/acipherinfo.proto": acipherinfoProto,
  "auth/auth.proto": authProto,
  "certs/certs.proto": certsProto,
  "register/register.proto": registerProto,
  "eveuuid/eveuuid.proto": eveuuidProto,
  "attest/attest.proto": attestProto,
  "config/devcommon.proto": devcommonProto,
  "config/devconfig.proto": devconfigProto,
  "info/common.proto": infoCommonProto,
  "info/info.proto": infoProto,
};

const WELL_KNOWN = "google/protobuf/timestamp.proto";

/**
 * Parses every embedded file into one resolved root. keepCase keeps the
 * declared field names (`senderCertHash`, `pcr_values`), so they double as
 * the TypeScript property names.
 */
export function buildRoot(): protobuf.Root {
  const root = new protobuf.Root();
  const wellKnown = protobuf.common.get(WELL_KNOWN);
  if (!wellKnown) throw new Error(`protobufjs lacks ${WELL_KNOWN}`);
  root.addJSON(wellKnown.nested ?? {});
  for (const [file, text] of Object.entries(PROTO_SOURCES)) {
    const parsed = protobuf.parse(text, root, { keepCase: true });
    for (const imp of parsed.imports ?? []) {
      if (imp !== WELL_KNOWN && !(imp in PROTO_SOURCES)) throw new Error(`${file} imports ${imp}, which is not embedded`);
    }
  }
  root.resolveAll();
  return root;
}
