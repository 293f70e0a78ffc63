// Expected values of the protoc-encoded fixtures in test/fixtures/protocol/.
// Each value is written out in full (defaults included) because it is what
// decode must return; the .txtpb beside each .hex is the same value in
// protobuf text format, encoded by protoc (scripts/gen-proto-fixtures.sh).
import { fromHex, utf8 } from "../shared/index.ts";
import type { CodecName } from "./codec.ts";

const hex = fromHex;
const text = utf8.encode;
const none = new Uint8Array(0);

const SIGNING_PEM = text("-----BEGIN CERTIFICATE-----\nMIIBsigning\n-----END CERTIFICATE-----\n");
const DEVICE_UUID = "6c3a1d2e-8f4b-4e5a-9b7c-0d1e2f3a4b5c";

export interface GoldenCase {
  /** file stem under test/fixtures/protocol */
  fixture: string;
  codec: CodecName;
  value: unknown;
}

const zcertDefaults = { hashAlgo: 0, certHash: none, type: 0, cert: none, meta_data_items: [] };
const volumeKeyDefaults = { key_type: 0, key: none, has_policy_pcr_list: false };

export const GOLDEN_CASES: GoldenCase[] = [
  { fixture: "auth-body-empty", codec: "AuthBody", value: { payload: none } },
  {
    fixture: "auth-container-full",
    codec: "AuthContainer",
    value: {
      protectedPayload: { payload: hex("08021203616263") },
      algo: 1,
      senderCertHash: hex("000102030405060708090a0b0c0d0e0f"),
      signatureHash: hex("aabbccdd"),
      senderCert: text("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="),
      cipherContext: {
        contextId: "ctx-1",
        hashScheme: 2,
        keyExchangeScheme: 1,
        encryptionScheme: 1,
        deviceCertHash: hex("112233"),
        controllerCertHash: hex("445566"),
      },
      cipherData: {
        cipherContextId: "ctx-1",
        initialValue: hex("01020304"),
        cipherData: hex("deadbeef"),
        clearTextSha256: hex("7788"),
      },
    },
  },
  {
    fixture: "auth-container-empty-payload",
    codec: "AuthContainer",
    value: {
      protectedPayload: { payload: none },
      algo: 2,
      senderCertHash: hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
      signatureHash: hex("0102"),
      senderCert: none,
    },
  },
  {
    fixture: "encryption-block-full",
    codec: "EncryptionBlock",
    value: {
      dsAPIKey: "api-key",
      dsPassword: "ds-pass",
      wifiUserName: "wifi-user",
      wifiPassword: "wifi-pass",
      protectedUserData: "user-data",
      cellular_net_username: "cell-user",
      cellular_net_password: "cell-pass",
      cluster_token: "cluster",
      encrypted_data: "enc",
      cellular_net_attach_username: "attach-user",
      cellular_net_attach_password: "attach-pass",
      gzip_registration_manifest_yaml: hex("1f8b0800"),
      scep_challenge_password: "scep",
    },
  },
  {
    fixture: "zcontrollercert",
    codec: "ZControllerCert",
    value: {
      certs: [
        {
          hashAlgo: 1,
          certHash: hex("101112131415161718191a1b1c1d1e1f"),
          type: 1,
          cert: SIGNING_PEM,
          attributes: { is_mutable: true, is_tpm: true },
          meta_data_items: [],
        },
        {
          hashAlgo: 2,
          certHash: hex("2021"),
          type: 12,
          cert: text("-----BEGIN CERTIFICATE-----\nMIIBek\n-----END CERTIFICATE-----\n"),
          meta_data_items: [
            { type: 1, meta_data: hex("013a0001") },
            { type: 0, meta_data: hex("ff") },
          ],
        },
      ],
    },
  },
  {
    fixture: "zregistermsg-full",
    codec: "ZRegisterMsg",
    value: {
      onBoardKey: "legacy",
      pemCert: text("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo="),
      serial: "SN-0042",
      softSerial: "4a1c0f9e-2b6d-4d3f-9a51-7c2e8b0d6f13",
    },
  },
  { fixture: "uuid-request", codec: "UuidRequest", value: {} },
  {
    fixture: "uuid-response",
    codec: "UuidResponse",
    value: { uuid: DEVICE_UUID, manufacturer: "ACME Corp", product_name: "Edge/Box 1" },
  },
  {
    fixture: "zattestreq-quote",
    codec: "ZAttestReq",
    value: {
      reqType: 3,
      quote: {
        attestData: hex("ff5443478018"),
        signature: hex("3006020101020102"),
        pcr_values: [
          { index: 0, hash_algo: 2, value: hex("00000000") },
          { index: 23, hash_algo: 1, value: hex("abcd") },
        ],
        event_log: [
          {
            index: 1,
            pcr_index: 7,
            event_type: 2147483650,
            digest: { hash_algo: 3, digest: hex("9988") },
            event_data_binary: hex("0001"),
            event_data_string: "EV_EFI_VARIABLE_DRIVER_CONFIG",
            event_binary_size: 2,
          },
        ],
        versions: [
          { version_type: 1, version: "14.5.1-kvm-amd64" },
          { version_type: 2, version: "SeaBIOS-1.16.3-04/01/2014" },
          { version_type: 3, version: "origin.20260101.14.5.1" },
        ],
        gps_info: { gps_input: 1, latitude: -33.8688, longitude: 151.2093 },
        tpm_binary_event_log: hex("1f8b080000000000"),
      },
      certs: [],
    },
  },
  {
    fixture: "zattestreq-cert",
    codec: "ZAttestReq",
    value: {
      reqType: 1,
      certs: [
        {
          ...zcertDefaults,
          hashAlgo: 1,
          certHash: hex("0102030405060708090a0b0c0d0e0f10"),
          type: 13,
          cert: text("-----BEGIN CERTIFICATE-----\nMIIBecdh\n-----END CERTIFICATE-----\n"),
        },
        {
          ...zcertDefaults,
          hashAlgo: 1,
          certHash: hex("1112131415161718191a1b1c1d1e1f20"),
          type: 11,
          cert: text("-----BEGIN CERTIFICATE-----\nMIIBattest\n-----END CERTIFICATE-----\n"),
        },
      ],
    },
  },
  {
    fixture: "zattestreq-store-keys",
    codec: "ZAttestReq",
    value: {
      reqType: 4,
      certs: [],
      storage_keys: {
        integrity_token: text("token-0123456789"),
        keys: [
          {
            key_type: 1,
            key: hex("0a0301020312020405"),
            has_policy_pcr_list: true,
            policy_pcr_list: { pcr_indices: [0, 1, 7, 14, 300], policy_id: 2 },
          },
        ],
      },
    },
  },
  {
    fixture: "zattestresponse-nonce",
    codec: "ZAttestResponse",
    value: { respType: 2, nonce: { nonce: text("abcdefghijkl") } },
  },
  {
    fixture: "zattestresponse-quote",
    codec: "ZAttestResponse",
    value: {
      respType: 3,
      quoteResp: {
        response: 1,
        integrity_token: text("tok"),
        keys: [
          { ...volumeKeyDefaults, key_type: 1, key: hex("0a0109") },
          { ...volumeKeyDefaults, has_policy_pcr_list: true, policy_pcr_list: { pcr_indices: [], policy_id: 0 } },
        ],
      },
    },
  },
  {
    fixture: "zattestresponse-store-keys",
    codec: "ZAttestResponse",
    value: { respType: 4, storage_keys_resp: { response: 2 } },
  },
  {
    fixture: "zattestresponse-all",
    codec: "ZAttestResponse",
    value: {
      respType: 1,
      nonce: { nonce: none },
      quoteResp: { response: 4, integrity_token: none, keys: [] },
      storage_keys_resp: { response: 1 },
    },
  },
  {
    fixture: "attest-volume-key-data",
    codec: "AttestVolumeKeyData",
    value: { encrypted_key: hex("c0ffee0001"), digest_sha256: hex("5a5a5a5a"), version: 1 },
  },
  {
    fixture: "config-request",
    codec: "ConfigRequest",
    value: { configHash: "q1w2e3r4t5y6", integrity_token: hex("00ff10746f6b656e") },
  },
  {
    fixture: "config-response-full",
    codec: "ConfigResponse",
    value: {
      config: {
        id: { uuid: DEVICE_UUID, version: "7" },
        configItems: [
          { key: "timer.config.interval", value: "60" },
          { key: "debug.enable.ssh", value: "" },
        ],
        manufacturer: "ACME Corp",
        productName: "Edge Box",
        cipherContexts: [
          {
            contextId: "cc-1",
            hashScheme: 1,
            keyExchangeScheme: 0,
            encryptionScheme: 0,
            deviceCertHash: none,
            controllerCertHash: hex("0102"),
          },
        ],
        controllercert_confighash: "abc123",
        maintenance_mode: true,
        controller_epoch: 1700000000123,
        global_profile: "global",
        device_name: "edge-01",
        project_name: "proj",
        project_id: "proj-id",
        enterprise_name: "ent",
        enterprise_id: "ent-id",
        config_timestamp: { seconds: 1767225600, nanos: 500000000 },
      },
      configHash: "hash-xyz",
    },
  },
  {
    fixture: "edge-dev-config-negative-epoch",
    codec: "EdgeDevConfig",
    value: {
      configItems: [],
      manufacturer: "",
      productName: "",
      cipherContexts: [],
      controllercert_confighash: "",
      maintenance_mode: false,
      controller_epoch: -2,
      global_profile: "",
      device_name: "",
      project_name: "",
      project_id: "",
      enterprise_name: "",
      enterprise_id: "",
    },
  },
  {
    fixture: "bootstrap-config",
    codec: "BootstrapConfig",
    value: {
      signed_config: {
        protectedPayload: { payload: hex("0a060a0475756964") },
        algo: 1,
        senderCertHash: hex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"),
        signatureHash: hex("01"),
        senderCert: none,
      },
      controller_certs: [
        { ...zcertDefaults, hashAlgo: 1, certHash: hex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"), type: 1, cert: SIGNING_PEM },
        { ...zcertDefaults, type: 2, cert: text("-----BEGIN CERTIFICATE-----\nMIIBinter\n-----END CERTIFICATE-----\n") },
      ],
    },
  },
  {
    fixture: "zinfomsg-device-full",
    codec: "ZInfoMsg",
    value: {
      ztype: 1,
      devId: DEVICE_UUID,
      dinfo: {
        machineArch: "x86_64",
        cpuArch: "x86_64",
        platform: "x86_64",
        ncpu: 4,
        memory: 8589934592,
        storage: 274877906944,
        powerCycleCounter: -1,
        minfo: {
          manufacturer: "QEMU",
          productName: "Standard PC (Q35 + ICH9, 2009)",
          version: "pc-q35-8.2",
          serialNumber: "SN-0042",
          UUID: "0f2c1b3a-0000-0000-0000-000000000001",
          compatible: "qemu,q35",
          biosVendor: "SeaBIOS",
          biosVersion: "1.16.3",
          biosReleaseDate: "04/01/2014",
        },
        bootTime: { seconds: 1767225600, nanos: 1 },
        HostName: DEVICE_UUID,
        lastRebootReason: "Reboot from agent edge-agent",
        lastRebootTime: { seconds: 1767225000, nanos: 0 },
        restartCounter: 3,
        HSMStatus: 3,
        HSMInfo: "IBM-SW TPM, FW Version 8217.4131",
        lastRebootStack: "stack",
        dataSecAtRestInfo: {
          status: 2,
          info: "vault ok",
          vaultList: [
            {
              name: "Application Data Store",
              status: 4,
              vaultErr: {
                description: "PCR 14 mismatch",
                timestamp: { seconds: 1767225601, nanos: 999999999 },
                retry_condition: "after attestation",
              },
              pcrStatus: 1,
            },
            { name: "second", status: 1, pcrStatus: 2 },
          ],
        },
        sec_info: { sha_root_ca: hex("9f86d081884c7d65"), sha_tls_root_ca: hex("01") },
        rebootConfigCounter: 5,
        maintenance_mode: true,
        maintenance_mode_reason: 2,
        hardware_watchdog_present: true,
        reboot_inprogress: true,
        baseos_update_counter: 6,
        local_profile: "local",
        maintenance_mode_reasons: [2, 5, 6],
        dormant_time: "never",
        shutdown_config_counter: 7,
        attestation_info: { state: 6, error: { description: "nonce mismatch", retry_condition: "" } },
        remote_access_disabled: true,
        device_name: "edge-01",
        enterprise_name: "ent",
        enterprise_id: "ent-id",
        project_name: "proj",
        project_id: "proj-id",
      },
      atTimeStamp: { seconds: 1767225700, nanos: 42 },
    },
  },
];
