// Generated from descriptor.generated.ts by scripts/gen-codec.ts; do not edit.
// Run `node_modules/.bin/bun run scripts/gen-codec.ts` after regenerating the descriptor;
// codec-gen.test.ts fails while this file is stale.
// @ts-nocheck
import { tableDecoder, tableEncoder, tableVerifier } from "./table-codec.ts";
import type { WireType } from "./wire.ts";

/**
 * A type whose field table is read, and whose codec functions are made,
 * on first use; `table` names its message types by index into ALL. A
 * string, parsed on first use, and a class with getters, because
 * building every type's table and accessors at start cost more than the
 * few types a boot uses.
 */
class Lazy {
  constructor(name, table) {
    this.name = name;
    this.table = table;
    this.made = null;
  }
  init() {
    if (this.made === null) {
      const fields = JSON.parse(this.table);
      const byId = {};
      for (const f of fields) {
        if (f.message !== null) f.message = ALL[f.message];
        byId[f.id] = f;
      }
      this.made = { fields, byId, encode: tableEncoder(fields), decode: tableDecoder(fields), verify: tableVerifier(fields) };
    }
    return this.made;
  }
  get fields() {
    return this.init().fields;
  }
  get byId() {
    return this.init().byId;
  }
  get encode() {
    return this.init().encode;
  }
  get decode() {
    return this.init().decode;
  }
  get verify() {
    return this.init().verify;
  }
}

const T0 = new Lazy("google.protobuf.Timestamp", `[
  {"name":"seconds","id":1,"type":"int64","repeated":false,"isEnum":false,"explicitPresence":false,"tag":8,"write":"int64","packed":false,"check":"long","wire":0,"read":"int64","packable":false,"oneof":null,"message":null},
  {"name":"nanos","id":2,"type":"int32","repeated":false,"isEnum":false,"explicitPresence":false,"tag":16,"write":"int32","packed":false,"check":"number","wire":0,"read":"int32","packable":false,"oneof":null,"message":null}
]`);

const T1 = new Lazy("org.lfedge.eve.common.EncryptionBlock", `[
  {"name":"dsAPIKey","id":1,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"dsPassword","id":2,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"wifiUserName","id":3,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":26,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"wifiPassword","id":4,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":34,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"protectedUserData","id":5,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":42,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"cellular_net_username","id":6,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":50,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"cellular_net_password","id":7,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":58,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"cluster_token","id":8,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":66,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"encrypted_data","id":10,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":82,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"cellular_net_attach_username","id":11,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":90,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"cellular_net_attach_password","id":12,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":98,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"gzip_registration_manifest_yaml","id":13,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":106,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"scep_challenge_password","id":14,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":114,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null}
]`);

const T2 = new Lazy("org.lfedge.eve.common.CipherContext", `[
  {"name":"contextId","id":1,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"hashScheme","id":2,"type":"HashAlgorithm","repeated":false,"isEnum":true,"explicitPresence":false,"tag":16,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"keyExchangeScheme","id":3,"type":"KeyExchangeScheme","repeated":false,"isEnum":true,"explicitPresence":false,"tag":24,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"encryptionScheme","id":4,"type":"EncryptionScheme","repeated":false,"isEnum":true,"explicitPresence":false,"tag":32,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"deviceCertHash","id":5,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":42,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"controllerCertHash","id":6,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":50,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null}
]`);

const T3 = new Lazy("org.lfedge.eve.common.CipherBlock", `[
  {"name":"cipherContextId","id":1,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"initialValue","id":2,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"cipherData","id":3,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":26,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"clearTextSha256","id":4,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":34,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null}
]`);

const T4 = new Lazy("org.lfedge.eve.auth.AuthBody", `[
  {"name":"payload","id":1,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null}
]`);

const T5 = new Lazy("org.lfedge.eve.auth.AuthContainer", `[
  {"name":"protectedPayload","id":1,"type":"AuthBody","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":4},
  {"name":"algo","id":2,"type":"org.lfedge.eve.common.HashAlgorithm","repeated":false,"isEnum":true,"explicitPresence":false,"tag":16,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"senderCertHash","id":3,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":26,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"signatureHash","id":4,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":34,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"senderCert","id":5,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":42,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"cipherContext","id":6,"type":"org.lfedge.eve.common.CipherContext","repeated":false,"isEnum":false,"explicitPresence":false,"tag":50,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":2},
  {"name":"cipherData","id":7,"type":"org.lfedge.eve.common.CipherBlock","repeated":false,"isEnum":false,"explicitPresence":false,"tag":58,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":3}
]`);

const T6 = new Lazy("org.lfedge.eve.certs.ZControllerCert", `[
  {"name":"certs","id":1,"type":"ZCert","repeated":true,"isEnum":false,"explicitPresence":false,"tag":10,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":9}
]`);

const T7 = new Lazy("org.lfedge.eve.certs.ZCertMetaData", `[
  {"name":"type","id":1,"type":"ZCertMetaDataType","repeated":false,"isEnum":true,"explicitPresence":false,"tag":8,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"meta_data","id":2,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null}
]`);

const T8 = new Lazy("org.lfedge.eve.certs.ZCertAttr", `[
  {"name":"is_mutable","id":1,"type":"bool","repeated":false,"isEnum":false,"explicitPresence":false,"tag":8,"write":"bool","packed":false,"check":"bool","wire":0,"read":"bool","packable":false,"oneof":null,"message":null},
  {"name":"is_tpm","id":2,"type":"bool","repeated":false,"isEnum":false,"explicitPresence":false,"tag":16,"write":"bool","packed":false,"check":"bool","wire":0,"read":"bool","packable":false,"oneof":null,"message":null}
]`);

const T9 = new Lazy("org.lfedge.eve.certs.ZCert", `[
  {"name":"hashAlgo","id":1,"type":"org.lfedge.eve.common.HashAlgorithm","repeated":false,"isEnum":true,"explicitPresence":false,"tag":8,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"certHash","id":2,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"type","id":3,"type":"ZCertType","repeated":false,"isEnum":true,"explicitPresence":false,"tag":24,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"cert","id":4,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":34,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"attributes","id":5,"type":"ZCertAttr","repeated":false,"isEnum":false,"explicitPresence":false,"tag":42,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":8},
  {"name":"meta_data_items","id":6,"type":"ZCertMetaData","repeated":true,"isEnum":false,"explicitPresence":false,"tag":50,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":7}
]`);

const T10 = new Lazy("org.lfedge.eve.register.ZRegisterMsg", `[
  {"name":"onBoardKey","id":1,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"pemCert","id":2,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"serial","id":3,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":26,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"softSerial","id":4,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":34,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null}
]`);

const T11 = new Lazy("org.lfedge.eve.uuid.UuidRequest", `[
]`);

const T12 = new Lazy("org.lfedge.eve.uuid.UuidResponse", `[
  {"name":"uuid","id":1,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"manufacturer","id":2,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"product_name","id":3,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":26,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null}
]`);

const T13 = new Lazy("org.lfedge.eve.attest.ZAttestReq", `[
  {"name":"reqType","id":1,"type":"ZAttestReqType","repeated":false,"isEnum":true,"explicitPresence":false,"tag":8,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"quote","id":2,"type":"ZAttestQuote","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":21},
  {"name":"certs","id":3,"type":"org.lfedge.eve.certs.ZCert","repeated":true,"isEnum":false,"explicitPresence":false,"tag":26,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":9},
  {"name":"storage_keys","id":4,"type":"AttestStorageKeys","repeated":false,"isEnum":false,"explicitPresence":false,"tag":34,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":24}
]`);

const T14 = new Lazy("org.lfedge.eve.attest.ZAttestResponse", `[
  {"name":"respType","id":1,"type":"ZAttestRespType","repeated":false,"isEnum":true,"explicitPresence":false,"tag":8,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"nonce","id":2,"type":"ZAttestNonceResp","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":15},
  {"name":"quoteResp","id":3,"type":"ZAttestQuoteResp","repeated":false,"isEnum":false,"explicitPresence":false,"tag":26,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":23},
  {"name":"storage_keys_resp","id":4,"type":"AttestStorageKeysResp","repeated":false,"isEnum":false,"explicitPresence":false,"tag":34,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":25}
]`);

const T15 = new Lazy("org.lfedge.eve.attest.ZAttestNonceResp", `[
  {"name":"nonce","id":1,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null}
]`);

const T16 = new Lazy("org.lfedge.eve.attest.TpmEventDigest", `[
  {"name":"hash_algo","id":1,"type":"TpmHashAlgo","repeated":false,"isEnum":true,"explicitPresence":false,"tag":8,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"digest","id":2,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null}
]`);

const T17 = new Lazy("org.lfedge.eve.attest.TpmEventLogEntry", `[
  {"name":"index","id":1,"type":"uint32","repeated":false,"isEnum":false,"explicitPresence":false,"tag":8,"write":"uint32","packed":false,"check":"number","wire":0,"read":"uint32","packable":false,"oneof":null,"message":null},
  {"name":"pcr_index","id":2,"type":"uint32","repeated":false,"isEnum":false,"explicitPresence":false,"tag":16,"write":"uint32","packed":false,"check":"number","wire":0,"read":"uint32","packable":false,"oneof":null,"message":null},
  {"name":"event_type","id":3,"type":"uint32","repeated":false,"isEnum":false,"explicitPresence":false,"tag":24,"write":"uint32","packed":false,"check":"number","wire":0,"read":"uint32","packable":false,"oneof":null,"message":null},
  {"name":"digest","id":4,"type":"TpmEventDigest","repeated":false,"isEnum":false,"explicitPresence":false,"tag":34,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":16},
  {"name":"event_data_binary","id":5,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":42,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"event_data_string","id":6,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":50,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"event_binary_size","id":7,"type":"uint32","repeated":false,"isEnum":false,"explicitPresence":false,"tag":56,"write":"uint32","packed":false,"check":"number","wire":0,"read":"uint32","packable":false,"oneof":null,"message":null}
]`);

const T18 = new Lazy("org.lfedge.eve.attest.AttestGPSCoordinates", `[
  {"name":"gps_input","id":1,"type":"AttestGPSInput","repeated":false,"isEnum":true,"explicitPresence":false,"tag":8,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"latitude","id":2,"type":"double","repeated":false,"isEnum":false,"explicitPresence":false,"tag":17,"write":"double","packed":false,"check":"float","wire":1,"read":"double","packable":false,"oneof":null,"message":null},
  {"name":"longitude","id":3,"type":"double","repeated":false,"isEnum":false,"explicitPresence":false,"tag":25,"write":"double","packed":false,"check":"float","wire":1,"read":"double","packable":false,"oneof":null,"message":null}
]`);

const T19 = new Lazy("org.lfedge.eve.attest.AttestVersionInfo", `[
  {"name":"version_type","id":1,"type":"AttestVersionType","repeated":false,"isEnum":true,"explicitPresence":false,"tag":8,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"version","id":2,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null}
]`);

const T20 = new Lazy("org.lfedge.eve.attest.TpmPCRValue", `[
  {"name":"index","id":1,"type":"uint32","repeated":false,"isEnum":false,"explicitPresence":false,"tag":8,"write":"uint32","packed":false,"check":"number","wire":0,"read":"uint32","packable":false,"oneof":null,"message":null},
  {"name":"hash_algo","id":2,"type":"TpmHashAlgo","repeated":false,"isEnum":true,"explicitPresence":false,"tag":16,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"value","id":3,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":26,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null}
]`);

const T21 = new Lazy("org.lfedge.eve.attest.ZAttestQuote", `[
  {"name":"attestData","id":1,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"signature","id":2,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"pcr_values","id":3,"type":"TpmPCRValue","repeated":true,"isEnum":false,"explicitPresence":false,"tag":26,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":20},
  {"name":"event_log","id":4,"type":"TpmEventLogEntry","repeated":true,"isEnum":false,"explicitPresence":false,"tag":34,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":17},
  {"name":"versions","id":5,"type":"AttestVersionInfo","repeated":true,"isEnum":false,"explicitPresence":false,"tag":42,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":19},
  {"name":"gps_info","id":6,"type":"AttestGPSCoordinates","repeated":false,"isEnum":false,"explicitPresence":false,"tag":50,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":18},
  {"name":"tpm_binary_event_log","id":7,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":58,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null}
]`);

const T22 = new Lazy("org.lfedge.eve.attest.AttestVolumeKey", `[
  {"name":"key_type","id":1,"type":"AttestVolumeKeyType","repeated":false,"isEnum":true,"explicitPresence":false,"tag":8,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"key","id":2,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"has_policy_pcr_list","id":4,"type":"bool","repeated":false,"isEnum":false,"explicitPresence":false,"tag":32,"write":"bool","packed":false,"check":"bool","wire":0,"read":"bool","packable":false,"oneof":null,"message":null},
  {"name":"policy_pcr_list","id":5,"type":"AttestPolicyPcrList","repeated":false,"isEnum":false,"explicitPresence":false,"tag":42,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":26}
]`);

const T23 = new Lazy("org.lfedge.eve.attest.ZAttestQuoteResp", `[
  {"name":"response","id":1,"type":"ZAttestResponseCode","repeated":false,"isEnum":true,"explicitPresence":false,"tag":8,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"integrity_token","id":2,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"keys","id":3,"type":"AttestVolumeKey","repeated":true,"isEnum":false,"explicitPresence":false,"tag":26,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":22}
]`);

const T24 = new Lazy("org.lfedge.eve.attest.AttestStorageKeys", `[
  {"name":"integrity_token","id":1,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"keys","id":2,"type":"AttestVolumeKey","repeated":true,"isEnum":false,"explicitPresence":false,"tag":18,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":22}
]`);

const T25 = new Lazy("org.lfedge.eve.attest.AttestStorageKeysResp", `[
  {"name":"response","id":1,"type":"AttestStorageKeysResponseCode","repeated":false,"isEnum":true,"explicitPresence":false,"tag":8,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null}
]`);

const T26 = new Lazy("org.lfedge.eve.attest.AttestPolicyPcrList", `[
  {"name":"pcr_indices","id":1,"type":"uint32","repeated":true,"isEnum":false,"explicitPresence":false,"tag":10,"write":"uint32","packed":true,"check":"number","wire":0,"read":"uint32","packable":true,"oneof":null,"message":null},
  {"name":"policy_id","id":2,"type":"uint32","repeated":false,"isEnum":false,"explicitPresence":false,"tag":16,"write":"uint32","packed":false,"check":"number","wire":0,"read":"uint32","packable":false,"oneof":null,"message":null}
]`);

const T27 = new Lazy("org.lfedge.eve.attest.AttestVolumeKeyData", `[
  {"name":"encrypted_key","id":1,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"digest_sha256","id":2,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"version","id":5,"type":"AttestVolumeKeyVersion","repeated":false,"isEnum":true,"explicitPresence":false,"tag":40,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null}
]`);

const T28 = new Lazy("org.lfedge.eve.config.UUIDandVersion", `[
  {"name":"uuid","id":1,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"version","id":2,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null}
]`);

const T29 = new Lazy("org.lfedge.eve.config.ConfigItem", `[
  {"name":"key","id":1,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"value","id":2,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null}
]`);

const T30 = new Lazy("org.lfedge.eve.config.EdgeDevConfig", `[
  {"name":"id","id":1,"type":"UUIDandVersion","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":28},
  {"name":"configItems","id":11,"type":"ConfigItem","repeated":true,"isEnum":false,"explicitPresence":false,"tag":90,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":29},
  {"name":"manufacturer","id":14,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":114,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"productName","id":15,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":122,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"cipherContexts","id":19,"type":"org.lfedge.eve.common.CipherContext","repeated":true,"isEnum":false,"explicitPresence":false,"tag":154,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":2},
  {"name":"controllercert_confighash","id":22,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":178,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"maintenance_mode","id":24,"type":"bool","repeated":false,"isEnum":false,"explicitPresence":false,"tag":192,"write":"bool","packed":false,"check":"bool","wire":0,"read":"bool","packable":false,"oneof":null,"message":null},
  {"name":"controller_epoch","id":25,"type":"int64","repeated":false,"isEnum":false,"explicitPresence":false,"tag":200,"write":"int64","packed":false,"check":"long","wire":0,"read":"int64","packable":false,"oneof":null,"message":null},
  {"name":"global_profile","id":27,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":218,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"device_name","id":35,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":282,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"project_name","id":36,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":290,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"project_id","id":37,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":298,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"enterprise_name","id":38,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":306,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"enterprise_id","id":39,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":314,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"config_timestamp","id":40,"type":"google.protobuf.Timestamp","repeated":false,"isEnum":false,"explicitPresence":false,"tag":322,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":0}
]`);

const T31 = new Lazy("org.lfedge.eve.config.ConfigRequest", `[
  {"name":"configHash","id":1,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"integrity_token","id":2,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null}
]`);

const T32 = new Lazy("org.lfedge.eve.config.ConfigResponse", `[
  {"name":"config","id":1,"type":"EdgeDevConfig","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":30},
  {"name":"configHash","id":2,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null}
]`);

const T33 = new Lazy("org.lfedge.eve.config.BootstrapConfig", `[
  {"name":"signed_config","id":1,"type":"org.lfedge.eve.auth.AuthContainer","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":5},
  {"name":"controller_certs","id":2,"type":"org.lfedge.eve.certs.ZCert","repeated":true,"isEnum":false,"explicitPresence":false,"tag":18,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":9}
]`);

const T34 = new Lazy("org.lfedge.eve.info.ErrorInfo", `[
  {"name":"description","id":1,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"timestamp","id":2,"type":"google.protobuf.Timestamp","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":0},
  {"name":"retry_condition","id":5,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":42,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null}
]`);

const T35 = new Lazy("org.lfedge.eve.info.ZInfoMsg", `[
  {"name":"ztype","id":1,"type":"ZInfoTypes","repeated":false,"isEnum":true,"explicitPresence":false,"tag":8,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"devId","id":2,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"dinfo","id":3,"type":"ZInfoDevice","repeated":false,"isEnum":false,"explicitPresence":true,"tag":26,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":"InfoContent","message":41},
  {"name":"atTimeStamp","id":6,"type":"google.protobuf.Timestamp","repeated":false,"isEnum":false,"explicitPresence":false,"tag":50,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":0}
]`);

const T36 = new Lazy("org.lfedge.eve.info.ZInfoManufacturer", `[
  {"name":"manufacturer","id":1,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"productName","id":2,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"version","id":3,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":26,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"serialNumber","id":4,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":34,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"UUID","id":5,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":42,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"compatible","id":6,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":50,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"biosVendor","id":7,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":58,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"biosVersion","id":8,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":66,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"biosReleaseDate","id":9,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":74,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null}
]`);

const T37 = new Lazy("org.lfedge.eve.info.VaultInfo", `[
  {"name":"name","id":1,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"status","id":2,"type":"DataSecAtRestStatus","repeated":false,"isEnum":true,"explicitPresence":false,"tag":16,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"vaultErr","id":3,"type":"ErrorInfo","repeated":false,"isEnum":false,"explicitPresence":false,"tag":26,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":34},
  {"name":"pcrStatus","id":4,"type":"PCRStatus","repeated":false,"isEnum":true,"explicitPresence":false,"tag":32,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null}
]`);

const T38 = new Lazy("org.lfedge.eve.info.DataSecAtRest", `[
  {"name":"status","id":1,"type":"DataSecAtRestStatus","repeated":false,"isEnum":true,"explicitPresence":false,"tag":8,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"info","id":2,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"vaultList","id":3,"type":"VaultInfo","repeated":true,"isEnum":false,"explicitPresence":false,"tag":26,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":37}
]`);

const T39 = new Lazy("org.lfedge.eve.info.SecurityInfo", `[
  {"name":"sha_root_ca","id":1,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":10,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null},
  {"name":"sha_tls_root_ca","id":2,"type":"bytes","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":"bytes","packed":false,"check":"bytes","wire":2,"read":"bytes","packable":false,"oneof":null,"message":null}
]`);

const T40 = new Lazy("org.lfedge.eve.info.AttestationInfo", `[
  {"name":"state","id":1,"type":"AttestationState","repeated":false,"isEnum":true,"explicitPresence":false,"tag":8,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"error","id":2,"type":"ErrorInfo","repeated":false,"isEnum":false,"explicitPresence":false,"tag":18,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":34}
]`);

const T41 = new Lazy("org.lfedge.eve.info.ZInfoDevice", `[
  {"name":"machineArch","id":4,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":34,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"cpuArch","id":5,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":42,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"platform","id":6,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":50,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"ncpu","id":7,"type":"uint32","repeated":false,"isEnum":false,"explicitPresence":false,"tag":56,"write":"uint32","packed":false,"check":"number","wire":0,"read":"uint32","packable":false,"oneof":null,"message":null},
  {"name":"memory","id":8,"type":"uint64","repeated":false,"isEnum":false,"explicitPresence":false,"tag":64,"write":"uint64","packed":false,"check":"long","wire":0,"read":"uint64","packable":false,"oneof":null,"message":null},
  {"name":"storage","id":9,"type":"uint64","repeated":false,"isEnum":false,"explicitPresence":false,"tag":72,"write":"uint64","packed":false,"check":"long","wire":0,"read":"uint64","packable":false,"oneof":null,"message":null},
  {"name":"powerCycleCounter","id":10,"type":"int64","repeated":false,"isEnum":false,"explicitPresence":false,"tag":80,"write":"int64","packed":false,"check":"long","wire":0,"read":"int64","packable":false,"oneof":null,"message":null},
  {"name":"minfo","id":11,"type":"ZInfoManufacturer","repeated":false,"isEnum":false,"explicitPresence":false,"tag":90,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":36},
  {"name":"bootTime","id":18,"type":"google.protobuf.Timestamp","repeated":false,"isEnum":false,"explicitPresence":false,"tag":146,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":0},
  {"name":"HostName","id":20,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":162,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"lastRebootReason","id":22,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":178,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"lastRebootTime","id":23,"type":"google.protobuf.Timestamp","repeated":false,"isEnum":false,"explicitPresence":false,"tag":186,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":0},
  {"name":"restartCounter","id":25,"type":"uint32","repeated":false,"isEnum":false,"explicitPresence":false,"tag":200,"write":"uint32","packed":false,"check":"number","wire":0,"read":"uint32","packable":false,"oneof":null,"message":null},
  {"name":"HSMStatus","id":26,"type":"HwSecurityModuleStatus","repeated":false,"isEnum":true,"explicitPresence":false,"tag":208,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"HSMInfo","id":27,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":218,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"lastRebootStack","id":28,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":226,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"dataSecAtRestInfo","id":29,"type":"DataSecAtRest","repeated":false,"isEnum":false,"explicitPresence":false,"tag":234,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":38},
  {"name":"sec_info","id":30,"type":"SecurityInfo","repeated":false,"isEnum":false,"explicitPresence":false,"tag":242,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":39},
  {"name":"rebootConfigCounter","id":33,"type":"uint32","repeated":false,"isEnum":false,"explicitPresence":false,"tag":264,"write":"uint32","packed":false,"check":"number","wire":0,"read":"uint32","packable":false,"oneof":null,"message":null},
  {"name":"maintenance_mode","id":38,"type":"bool","repeated":false,"isEnum":false,"explicitPresence":false,"tag":304,"write":"bool","packed":false,"check":"bool","wire":0,"read":"bool","packable":false,"oneof":null,"message":null},
  {"name":"maintenance_mode_reason","id":39,"type":"MaintenanceModeReason","repeated":false,"isEnum":true,"explicitPresence":false,"tag":312,"write":"int32","packed":false,"check":"enum","def":0,"wire":0,"read":"int32","packable":false,"oneof":null,"message":null},
  {"name":"hardware_watchdog_present","id":40,"type":"bool","repeated":false,"isEnum":false,"explicitPresence":false,"tag":320,"write":"bool","packed":false,"check":"bool","wire":0,"read":"bool","packable":false,"oneof":null,"message":null},
  {"name":"reboot_inprogress","id":41,"type":"bool","repeated":false,"isEnum":false,"explicitPresence":false,"tag":328,"write":"bool","packed":false,"check":"bool","wire":0,"read":"bool","packable":false,"oneof":null,"message":null},
  {"name":"baseos_update_counter","id":43,"type":"uint32","repeated":false,"isEnum":false,"explicitPresence":false,"tag":344,"write":"uint32","packed":false,"check":"number","wire":0,"read":"uint32","packable":false,"oneof":null,"message":null},
  {"name":"local_profile","id":45,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":362,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"maintenance_mode_reasons","id":46,"type":"MaintenanceModeReason","repeated":true,"isEnum":true,"explicitPresence":false,"tag":370,"write":"int32","packed":true,"check":"enum","def":0,"wire":0,"read":"int32","packable":true,"oneof":null,"message":null},
  {"name":"dormant_time","id":47,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":378,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"shutdown_config_counter","id":49,"type":"uint32","repeated":false,"isEnum":false,"explicitPresence":false,"tag":392,"write":"uint32","packed":false,"check":"number","wire":0,"read":"uint32","packable":false,"oneof":null,"message":null},
  {"name":"attestation_info","id":50,"type":"AttestationInfo","repeated":false,"isEnum":false,"explicitPresence":false,"tag":402,"write":null,"packed":false,"check":"presence","wire":2,"read":null,"packable":false,"oneof":null,"message":40},
  {"name":"remote_access_disabled","id":52,"type":"bool","repeated":false,"isEnum":false,"explicitPresence":false,"tag":416,"write":"bool","packed":false,"check":"bool","wire":0,"read":"bool","packable":false,"oneof":null,"message":null},
  {"name":"device_name","id":54,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":434,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"enterprise_name","id":55,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":442,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"enterprise_id","id":56,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":450,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"project_name","id":57,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":458,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null},
  {"name":"project_id","id":58,"type":"string","repeated":false,"isEnum":false,"explicitPresence":false,"tag":466,"write":"string","packed":false,"check":"string","wire":2,"read":"stringVerify","packable":false,"oneof":null,"message":null}
]`);

const ALL = [T0, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, T17, T18, T19, T20, T21, T22, T23, T24, T25, T26, T27, T28, T29, T30, T31, T32, T33, T34, T35, T36, T37, T38, T39, T40, T41];

/** Every message type of the schema, by its fully-qualified protobuf name. */
export const TYPES: Readonly<Record<string, WireType>> = {
  "google.protobuf.Timestamp": T0,
  "org.lfedge.eve.common.EncryptionBlock": T1,
  "org.lfedge.eve.common.CipherContext": T2,
  "org.lfedge.eve.common.CipherBlock": T3,
  "org.lfedge.eve.auth.AuthBody": T4,
  "org.lfedge.eve.auth.AuthContainer": T5,
  "org.lfedge.eve.certs.ZControllerCert": T6,
  "org.lfedge.eve.certs.ZCertMetaData": T7,
  "org.lfedge.eve.certs.ZCertAttr": T8,
  "org.lfedge.eve.certs.ZCert": T9,
  "org.lfedge.eve.register.ZRegisterMsg": T10,
  "org.lfedge.eve.uuid.UuidRequest": T11,
  "org.lfedge.eve.uuid.UuidResponse": T12,
  "org.lfedge.eve.attest.ZAttestReq": T13,
  "org.lfedge.eve.attest.ZAttestResponse": T14,
  "org.lfedge.eve.attest.ZAttestNonceResp": T15,
  "org.lfedge.eve.attest.TpmEventDigest": T16,
  "org.lfedge.eve.attest.TpmEventLogEntry": T17,
  "org.lfedge.eve.attest.AttestGPSCoordinates": T18,
  "org.lfedge.eve.attest.AttestVersionInfo": T19,
  "org.lfedge.eve.attest.TpmPCRValue": T20,
  "org.lfedge.eve.attest.ZAttestQuote": T21,
  "org.lfedge.eve.attest.AttestVolumeKey": T22,
  "org.lfedge.eve.attest.ZAttestQuoteResp": T23,
  "org.lfedge.eve.attest.AttestStorageKeys": T24,
  "org.lfedge.eve.attest.AttestStorageKeysResp": T25,
  "org.lfedge.eve.attest.AttestPolicyPcrList": T26,
  "org.lfedge.eve.attest.AttestVolumeKeyData": T27,
  "org.lfedge.eve.config.UUIDandVersion": T28,
  "org.lfedge.eve.config.ConfigItem": T29,
  "org.lfedge.eve.config.EdgeDevConfig": T30,
  "org.lfedge.eve.config.ConfigRequest": T31,
  "org.lfedge.eve.config.ConfigResponse": T32,
  "org.lfedge.eve.config.BootstrapConfig": T33,
  "org.lfedge.eve.info.ErrorInfo": T34,
  "org.lfedge.eve.info.ZInfoMsg": T35,
  "org.lfedge.eve.info.ZInfoManufacturer": T36,
  "org.lfedge.eve.info.VaultInfo": T37,
  "org.lfedge.eve.info.DataSecAtRest": T38,
  "org.lfedge.eve.info.SecurityInfo": T39,
  "org.lfedge.eve.info.AttestationInfo": T40,
  "org.lfedge.eve.info.ZInfoDevice": T41,
};
