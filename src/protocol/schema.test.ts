import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import protobuf from "protobufjs";
import * as api from "./index.ts";
import { buildRoot, PROTO_SOURCES } from "./schema.ts";

/** Field tables of eve-api's proto/ at c02286669741, extracted by scripts/gen-proto-fixtures.sh. */
interface Tables {
  messages: Record<string, { name: string; number: number; type: string; label: string }[]>;
  enums: Record<string, { name: string; number: number }[]>;
  reserved: Record<string, { ids: number[]; names: string[] }>;
}
const tables: Tables = JSON.parse(readFileSync(join(import.meta.dir, "../../test/fixtures/protocol/eve-api-fields.json"), "utf8"));

/** Types the agent declares from docs/protocol.md#declared-without-field-tables rather than from the tables. */
const FROM_PROTOCOL_DOC: Tables = {
  messages: {
    "config.UUIDandVersion": [
      { name: "uuid", number: 1, type: "string", label: "" },
      { name: "version", number: 2, type: "string", label: "" },
    ],
    "config.ConfigItem": [
      { name: "key", number: 1, type: "string", label: "" },
      { name: "value", number: 2, type: "string", label: "" },
    ],
    "info.SecurityInfo": [
      { name: "sha_root_ca", number: 1, type: "bytes", label: "" },
      { name: "sha_tls_root_ca", number: 2, type: "bytes", label: "" },
    ],
  },
  enums: {
    "common.KeyExchangeScheme": [
      { name: "KEA_NONE", number: 0 },
      { name: "KEA_ECDH", number: 1 },
    ],
    "common.EncryptionScheme": [
      { name: "SA_NONE", number: 0 },
      { name: "SA_AES_256_CFB", number: 1 },
    ],
  },
  reserved: {},
};

/**
 * Tabulated fields proto/ deliberately leaves out, each because its type (or
 * its enum's values) is not tabulated, or the agent never touches it.
 */
const OMITTED: Record<string, string[]> = {
  "common.EncryptionBlock": ["user"],
  "config.EdgeDevConfig": [
    "apps",
    "networks",
    "datastores",
    "base",
    "reboot",
    "backup",
    "systemAdapterList",
    "deviceIoList",
    "networkInstances",
    "contentInfo",
    "volumes",
    "baseos",
    "local_profile_server",
    "profile_server_token",
    "vlans",
    "bonds",
    "edgeview",
    "disks",
    "shutdown",
    "loc_config",
    "patchEnvelopes",
    "cluster",
    "pnacs",
    "scep_profiles",
  ],
  "info.ZInfoMsg": [
    "ainfo",
    "niinfo",
    "vinfo",
    "cinfo",
    "binfo",
    "amdinfo",
    "evinfo",
    "hwinfo",
    "locinfo",
    "patchInfo",
    "cluster_node",
    "ntp_sources",
    "cluster_info",
    "cluster_update_info",
  ],
  "info.ZInfoDevice": [
    "network",
    "assignableAdapters",
    "dns",
    "storageList",
    "swList",
    "metricItems",
    "systemAdapter",
    "configItemStatus",
    "appInstances",
    "last_boot_reason",
    "cell_radios",
    "sims",
    "tasks",
    "capabilities",
    "state",
    "storage_info",
    "api_capability",
    "optional_capabilities",
    "enrolled_certs",
  ],
  "info.ErrorInfo": ["severity", "entities"],
};

const PREFIX = "org.lfedge.eve.";
const root = buildRoot();

function declared<T extends protobuf.ReflectionObject>(kind: new (...a: never[]) => T): Map<string, T> {
  const out = new Map<string, T>();
  const walk = (ns: protobuf.NamespaceBase) => {
    for (const n of ns.nestedArray) {
      if (n instanceof kind && n.fullName.startsWith(`.${PREFIX}`)) out.set(n.fullName.slice(PREFIX.length + 1), n);
      if (n instanceof protobuf.Namespace || n instanceof protobuf.Type) walk(n);
    }
  };
  walk(root);
  return out;
}

function describeField(f: protobuf.Field) {
  const rt = f.resolvedType;
  const shortOf = (full: string) => (full.startsWith(`.${PREFIX}`) ? full.slice(PREFIX.length + 1) : full.slice(1));
  const type = rt instanceof protobuf.Enum ? `enum ${shortOf(rt.fullName)}` : rt ? shortOf(rt.fullName) : f.type;
  const labels: string[] = [];
  if (f.repeated) labels.push("repeated");
  if (f.partOf) labels.push(`oneof ${f.partOf.name}`);
  if (f.options?.["deprecated"]) labels.push("deprecated");
  return { name: f.name, number: f.id, type, label: labels.join(", ") };
}

describe("proto schema", () => {
  const messages = declared(protobuf.Type);
  const enums = declared(protobuf.Enum);

  test("every embedded .proto parses into one resolved root when built", () => {
    expect(Object.keys(PROTO_SOURCES).length).toBe(11);
    expect(messages.size).toBeGreaterThan(0);
  });

  for (const [name, type] of messages) {
    test(`${name} matches the field tables when compared field by field`, () => {
      const spec = tables.messages[name] ?? FROM_PROTOCOL_DOC.messages[name];
      expect(spec).toBeDefined();
      const omitted = OMITTED[name] ?? [];
      const expected = spec!.filter((f) => !omitted.includes(f.name));
      const actual = type.fieldsArray.map(describeField).sort((a, b) => a.number - b.number);
      expect(actual).toEqual(expected.sort((a, b) => a.number - b.number));
      for (const o of omitted) expect(spec!.some((f) => f.name === o)).toBe(true);
    });
  }

  test("reserved ranges match the tables when a message has them", () => {
    for (const [name, want] of Object.entries(tables.reserved)) {
      const type = messages.get(name);
      if (!type) continue;
      const ids = (type.reserved ?? [])
        .filter((r): r is number[] => Array.isArray(r))
        .flatMap(([lo, hi]) => {
          const out: number[] = [];
          for (let i = lo!; i <= hi!; i++) out.push(i);
          return out;
        });
      const names = (type.reserved ?? []).filter((r): r is string => typeof r === "string");
      expect({ name, ids: ids.sort(), names: names.sort() }).toEqual({ name, ids: [...want.ids].sort(), names: [...want.names].sort() });
    }
  });

  for (const [name, en] of enums) {
    test(`enum ${name} matches the tables when compared value by value`, () => {
      const spec = tables.enums[name] ?? FROM_PROTOCOL_DOC.enums[name];
      expect(spec).toBeDefined();
      expect(Object.entries(en.values).map(([n, v]) => ({ name: n, number: v }))).toEqual(spec!);
    });
  }

  test("every tabulated enum of a declared package is declared when the tables list it", () => {
    const used = new Set([...messages.keys()].map((m) => m.split(".")[0]));
    const missing = Object.keys(tables.enums).filter((e) => used.has(e.split(".")[0]) && !enums.has(e));
    expect(missing).toEqual([]);
  });
});

describe("exported enum objects", () => {
  const exported: Record<string, Record<string, number>> = {
    "common.HashAlgorithm": api.HashAlgorithm,
    "common.KeyExchangeScheme": api.KeyExchangeScheme,
    "common.EncryptionScheme": api.EncryptionScheme,
    "certs.ZCertType": api.ZCertType,
    "certs.ZCertMetaDataType": api.ZCertMetaDataType,
    "attest.ZAttestReqType": api.ZAttestReqType,
    "attest.ZAttestRespType": api.ZAttestRespType,
    "attest.TpmHashAlgo": api.TpmHashAlgo,
    "attest.AttestGPSInput": api.AttestGPSInput,
    "attest.AttestVersionType": api.AttestVersionType,
    "attest.ZAttestResponseCode": api.ZAttestResponseCode,
    "attest.AttestVolumeKeyType": api.AttestVolumeKeyType,
    "attest.AttestVolumeKeyVersion": api.AttestVolumeKeyVersion,
    "attest.AttestStorageKeysResponseCode": api.AttestStorageKeysResponseCode,
    "info.ZInfoTypes": api.ZInfoTypes,
    "info.HwSecurityModuleStatus": api.HwSecurityModuleStatus,
    "info.AttestationState": api.AttestationState,
    "info.DataSecAtRestStatus": api.DataSecAtRestStatus,
    "info.PCRStatus": api.PCRStatus,
    "info.MaintenanceModeReason": api.MaintenanceModeReason,
  };

  test("cover every declared enum when listed", () => {
    expect(Object.keys(exported).sort()).toEqual([...declared(protobuf.Enum).keys()].sort());
  });

  for (const [name, obj] of Object.entries(exported)) {
    test(`${name} equals the schema values when compared`, () => {
      expect({ ...obj }).toEqual(root.lookupEnum(`${PREFIX}${name}`).values);
    });
  }

  test("HASH_ALGORITHM_SHA256_32BYTES is 2 when read from the export", () => {
    expect(api.HashAlgorithm.HASH_ALGORITHM_SHA256_32BYTES).toBe(2);
  });
});
