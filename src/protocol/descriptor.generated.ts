// Generated from proto/*.proto by src/protocol/descriptor-gen.ts; do not edit.
// Run `node_modules/.bin/bun run src/protocol/descriptor-gen.ts` after changing a .proto file;
// descriptor.test.ts fails while this file is stale.
import type { INamespace } from "protobufjs/light";

export const DESCRIPTOR: INamespace = {
  "nested": {
    "google": {
      "nested": {
        "protobuf": {
          "nested": {
            "Timestamp": {
              "fields": {
                "seconds": {
                  "type": "int64",
                  "id": 1
                },
                "nanos": {
                  "type": "int32",
                  "id": 2
                }
              }
            }
          }
        }
      }
    },
    "org": {
      "nested": {
        "lfedge": {
          "nested": {
            "eve": {
              "nested": {
                "common": {
                  "nested": {
                    "HashAlgorithm": {
                      "values": {
                        "HASH_ALGORITHM_INVALID": 0,
                        "HASH_ALGORITHM_SHA256_16BYTES": 1,
                        "HASH_ALGORITHM_SHA256_32BYTES": 2
                      }
                    },
                    "EncryptionBlock": {
                      "fields": {
                        "dsAPIKey": {
                          "type": "string",
                          "id": 1
                        },
                        "dsPassword": {
                          "type": "string",
                          "id": 2
                        },
                        "wifiUserName": {
                          "type": "string",
                          "id": 3
                        },
                        "wifiPassword": {
                          "type": "string",
                          "id": 4
                        },
                        "protectedUserData": {
                          "type": "string",
                          "id": 5
                        },
                        "cellular_net_username": {
                          "type": "string",
                          "id": 6
                        },
                        "cellular_net_password": {
                          "type": "string",
                          "id": 7
                        },
                        "cluster_token": {
                          "type": "string",
                          "id": 8
                        },
                        "encrypted_data": {
                          "type": "string",
                          "id": 10
                        },
                        "cellular_net_attach_username": {
                          "type": "string",
                          "id": 11
                        },
                        "cellular_net_attach_password": {
                          "type": "string",
                          "id": 12
                        },
                        "gzip_registration_manifest_yaml": {
                          "type": "bytes",
                          "id": 13
                        },
                        "scep_challenge_password": {
                          "type": "string",
                          "id": 14
                        }
                      }
                    },
                    "KeyExchangeScheme": {
                      "values": {
                        "KEA_NONE": 0,
                        "KEA_ECDH": 1
                      }
                    },
                    "EncryptionScheme": {
                      "values": {
                        "SA_NONE": 0,
                        "SA_AES_256_CFB": 1
                      }
                    },
                    "CipherContext": {
                      "fields": {
                        "contextId": {
                          "type": "string",
                          "id": 1
                        },
                        "hashScheme": {
                          "type": "HashAlgorithm",
                          "id": 2
                        },
                        "keyExchangeScheme": {
                          "type": "KeyExchangeScheme",
                          "id": 3
                        },
                        "encryptionScheme": {
                          "type": "EncryptionScheme",
                          "id": 4
                        },
                        "deviceCertHash": {
                          "type": "bytes",
                          "id": 5
                        },
                        "controllerCertHash": {
                          "type": "bytes",
                          "id": 6
                        }
                      }
                    },
                    "CipherBlock": {
                      "fields": {
                        "cipherContextId": {
                          "type": "string",
                          "id": 1
                        },
                        "initialValue": {
                          "type": "bytes",
                          "id": 2
                        },
                        "cipherData": {
                          "type": "bytes",
                          "id": 3
                        },
                        "clearTextSha256": {
                          "type": "bytes",
                          "id": 4
                        }
                      }
                    }
                  }
                },
                "auth": {
                  "nested": {
                    "AuthBody": {
                      "fields": {
                        "payload": {
                          "type": "bytes",
                          "id": 1
                        }
                      }
                    },
                    "AuthContainer": {
                      "fields": {
                        "protectedPayload": {
                          "type": "AuthBody",
                          "id": 1
                        },
                        "algo": {
                          "type": "org.lfedge.eve.common.HashAlgorithm",
                          "id": 2
                        },
                        "senderCertHash": {
                          "type": "bytes",
                          "id": 3
                        },
                        "signatureHash": {
                          "type": "bytes",
                          "id": 4
                        },
                        "senderCert": {
                          "type": "bytes",
                          "id": 5
                        },
                        "cipherContext": {
                          "type": "org.lfedge.eve.common.CipherContext",
                          "id": 6
                        },
                        "cipherData": {
                          "type": "org.lfedge.eve.common.CipherBlock",
                          "id": 7
                        }
                      }
                    }
                  }
                },
                "certs": {
                  "nested": {
                    "ZControllerCert": {
                      "fields": {
                        "certs": {
                          "rule": "repeated",
                          "type": "ZCert",
                          "id": 1
                        }
                      }
                    },
                    "ZCertMetaDataType": {
                      "values": {
                        "Z_CERT_META_DATA_TYPE_INVALID": 0,
                        "Z_CERT_META_DATA_TYPE_TPM2_PUBLIC": 1
                      }
                    },
                    "ZCertMetaData": {
                      "fields": {
                        "type": {
                          "type": "ZCertMetaDataType",
                          "id": 1
                        },
                        "meta_data": {
                          "type": "bytes",
                          "id": 2
                        }
                      }
                    },
                    "ZCertType": {
                      "values": {
                        "CERT_TYPE_CONTROLLER_NONE": 0,
                        "CERT_TYPE_CONTROLLER_SIGNING": 1,
                        "CERT_TYPE_CONTROLLER_INTERMEDIATE": 2,
                        "CERT_TYPE_CONTROLLER_ECDH_EXCHANGE": 3,
                        "CERT_TYPE_DEVICE_ONBOARDING": 10,
                        "CERT_TYPE_DEVICE_RESTRICTED_SIGNING": 11,
                        "CERT_TYPE_DEVICE_ENDORSEMENT_RSA": 12,
                        "CERT_TYPE_DEVICE_ECDH_EXCHANGE": 13
                      }
                    },
                    "ZCertAttr": {
                      "fields": {
                        "is_mutable": {
                          "type": "bool",
                          "id": 1
                        },
                        "is_tpm": {
                          "type": "bool",
                          "id": 2
                        }
                      }
                    },
                    "ZCert": {
                      "fields": {
                        "hashAlgo": {
                          "type": "org.lfedge.eve.common.HashAlgorithm",
                          "id": 1
                        },
                        "certHash": {
                          "type": "bytes",
                          "id": 2
                        },
                        "type": {
                          "type": "ZCertType",
                          "id": 3
                        },
                        "cert": {
                          "type": "bytes",
                          "id": 4
                        },
                        "attributes": {
                          "type": "ZCertAttr",
                          "id": 5
                        },
                        "meta_data_items": {
                          "rule": "repeated",
                          "type": "ZCertMetaData",
                          "id": 6
                        }
                      }
                    }
                  }
                },
                "register": {
                  "nested": {
                    "ZRegisterMsg": {
                      "fields": {
                        "onBoardKey": {
                          "type": "string",
                          "id": 1,
                          "options": {
                            "deprecated": true
                          }
                        },
                        "pemCert": {
                          "type": "bytes",
                          "id": 2
                        },
                        "serial": {
                          "type": "string",
                          "id": 3
                        },
                        "softSerial": {
                          "type": "string",
                          "id": 4
                        }
                      }
                    }
                  }
                },
                "uuid": {
                  "nested": {
                    "UuidRequest": {
                      "fields": {}
                    },
                    "UuidResponse": {
                      "fields": {
                        "uuid": {
                          "type": "string",
                          "id": 1
                        },
                        "manufacturer": {
                          "type": "string",
                          "id": 2
                        },
                        "product_name": {
                          "type": "string",
                          "id": 3
                        }
                      }
                    }
                  }
                },
                "attest": {
                  "nested": {
                    "ZAttestReqType": {
                      "values": {
                        "ATTEST_REQ_NONE": 0,
                        "ATTEST_REQ_CERT": 1,
                        "ATTEST_REQ_NONCE": 2,
                        "ATTEST_REQ_QUOTE": 3,
                        "Z_ATTEST_REQ_TYPE_STORE_KEYS": 4
                      }
                    },
                    "ZAttestRespType": {
                      "values": {
                        "ATTEST_RESP_NONE": 0,
                        "ATTEST_RESP_CERT": 1,
                        "ATTEST_RESP_NONCE": 2,
                        "ATTEST_RESP_QUOTE_RESP": 3,
                        "Z_ATTEST_RESP_TYPE_STORE_KEYS": 4
                      }
                    },
                    "TpmHashAlgo": {
                      "values": {
                        "TPM_HASH_ALGO_INVALID": 0,
                        "TPM_HASH_ALGO_SHA1": 1,
                        "TPM_HASH_ALGO_SHA256": 2,
                        "TPM_HASH_ALGO_SHA512": 3
                      }
                    },
                    "AttestGPSInput": {
                      "values": {
                        "ATTEST_GPS_INPUT_INVALID": 0,
                        "ATTEST_GPS_INPUT_PRESENT": 1,
                        "ATTEST_GPS_INPUT_ABSENT": 2
                      }
                    },
                    "AttestVersionType": {
                      "values": {
                        "ATTEST_VERSION_TYPE_INVALID": 0,
                        "ATTEST_VERSION_TYPE_EVE": 1,
                        "ATTEST_VERSION_TYPE_FIRMWARE": 2,
                        "ATTEST_VERSION_TYPE_EVE_ORIGIN": 3
                      }
                    },
                    "ZAttestResponseCode": {
                      "values": {
                        "Z_ATTEST_RESPONSE_CODE_INVALID": 0,
                        "Z_ATTEST_RESPONSE_CODE_SUCCESS": 1,
                        "Z_ATTEST_RESPONSE_CODE_NONCE_MISMATCH": 2,
                        "Z_ATTEST_RESPONSE_CODE_NO_CERT_FOUND": 3,
                        "Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED": 4
                      }
                    },
                    "AttestVolumeKeyType": {
                      "values": {
                        "ATTEST_VOLUME_KEY_TYPE_INVALID": 0,
                        "ATTEST_VOLUME_KEY_TYPE_VSK": 1
                      }
                    },
                    "AttestVolumeKeyVersion": {
                      "values": {
                        "ATTEST_VOLUME_KEY_VERSION_LEGACY": 0,
                        "ATTEST_VOLUME_KEY_VERSION_V1": 1
                      }
                    },
                    "AttestStorageKeysResponseCode": {
                      "values": {
                        "ATTEST_STORAGE_KEYS_RESPONSE_CODE_INVALID": 0,
                        "ATTEST_STORAGE_KEYS_RESPONSE_CODE_SUCCESS": 1,
                        "ATTEST_STORAGE_KEYS_RESPONSE_CODE_ITOKEN_MISMATCH": 2
                      }
                    },
                    "ZAttestReq": {
                      "fields": {
                        "reqType": {
                          "type": "ZAttestReqType",
                          "id": 1
                        },
                        "quote": {
                          "type": "ZAttestQuote",
                          "id": 2
                        },
                        "certs": {
                          "rule": "repeated",
                          "type": "org.lfedge.eve.certs.ZCert",
                          "id": 3
                        },
                        "storage_keys": {
                          "type": "AttestStorageKeys",
                          "id": 4
                        }
                      }
                    },
                    "ZAttestResponse": {
                      "fields": {
                        "respType": {
                          "type": "ZAttestRespType",
                          "id": 1
                        },
                        "nonce": {
                          "type": "ZAttestNonceResp",
                          "id": 2
                        },
                        "quoteResp": {
                          "type": "ZAttestQuoteResp",
                          "id": 3
                        },
                        "storage_keys_resp": {
                          "type": "AttestStorageKeysResp",
                          "id": 4
                        }
                      }
                    },
                    "ZAttestNonceResp": {
                      "fields": {
                        "nonce": {
                          "type": "bytes",
                          "id": 1
                        }
                      }
                    },
                    "TpmEventDigest": {
                      "fields": {
                        "hash_algo": {
                          "type": "TpmHashAlgo",
                          "id": 1
                        },
                        "digest": {
                          "type": "bytes",
                          "id": 2
                        }
                      }
                    },
                    "TpmEventLogEntry": {
                      "fields": {
                        "index": {
                          "type": "uint32",
                          "id": 1
                        },
                        "pcr_index": {
                          "type": "uint32",
                          "id": 2
                        },
                        "event_type": {
                          "type": "uint32",
                          "id": 3
                        },
                        "digest": {
                          "type": "TpmEventDigest",
                          "id": 4
                        },
                        "event_data_binary": {
                          "type": "bytes",
                          "id": 5
                        },
                        "event_data_string": {
                          "type": "string",
                          "id": 6
                        },
                        "event_binary_size": {
                          "type": "uint32",
                          "id": 7
                        }
                      }
                    },
                    "AttestGPSCoordinates": {
                      "fields": {
                        "gps_input": {
                          "type": "AttestGPSInput",
                          "id": 1
                        },
                        "latitude": {
                          "type": "double",
                          "id": 2
                        },
                        "longitude": {
                          "type": "double",
                          "id": 3
                        }
                      }
                    },
                    "AttestVersionInfo": {
                      "fields": {
                        "version_type": {
                          "type": "AttestVersionType",
                          "id": 1
                        },
                        "version": {
                          "type": "string",
                          "id": 2
                        }
                      }
                    },
                    "TpmPCRValue": {
                      "fields": {
                        "index": {
                          "type": "uint32",
                          "id": 1
                        },
                        "hash_algo": {
                          "type": "TpmHashAlgo",
                          "id": 2
                        },
                        "value": {
                          "type": "bytes",
                          "id": 3
                        }
                      }
                    },
                    "ZAttestQuote": {
                      "fields": {
                        "attestData": {
                          "type": "bytes",
                          "id": 1
                        },
                        "signature": {
                          "type": "bytes",
                          "id": 2
                        },
                        "pcr_values": {
                          "rule": "repeated",
                          "type": "TpmPCRValue",
                          "id": 3
                        },
                        "event_log": {
                          "rule": "repeated",
                          "type": "TpmEventLogEntry",
                          "id": 4,
                          "options": {
                            "deprecated": true
                          }
                        },
                        "versions": {
                          "rule": "repeated",
                          "type": "AttestVersionInfo",
                          "id": 5
                        },
                        "gps_info": {
                          "type": "AttestGPSCoordinates",
                          "id": 6
                        },
                        "tpm_binary_event_log": {
                          "type": "bytes",
                          "id": 7
                        }
                      }
                    },
                    "AttestVolumeKey": {
                      "fields": {
                        "key_type": {
                          "type": "AttestVolumeKeyType",
                          "id": 1
                        },
                        "key": {
                          "type": "bytes",
                          "id": 2
                        },
                        "has_policy_pcr_list": {
                          "type": "bool",
                          "id": 4
                        },
                        "policy_pcr_list": {
                          "type": "AttestPolicyPcrList",
                          "id": 5
                        }
                      },
                      "reserved": [
                        [
                          3,
                          3
                        ],
                        "version"
                      ]
                    },
                    "ZAttestQuoteResp": {
                      "fields": {
                        "response": {
                          "type": "ZAttestResponseCode",
                          "id": 1
                        },
                        "integrity_token": {
                          "type": "bytes",
                          "id": 2
                        },
                        "keys": {
                          "rule": "repeated",
                          "type": "AttestVolumeKey",
                          "id": 3
                        }
                      }
                    },
                    "AttestStorageKeys": {
                      "fields": {
                        "integrity_token": {
                          "type": "bytes",
                          "id": 1
                        },
                        "keys": {
                          "rule": "repeated",
                          "type": "AttestVolumeKey",
                          "id": 2
                        }
                      }
                    },
                    "AttestStorageKeysResp": {
                      "fields": {
                        "response": {
                          "type": "AttestStorageKeysResponseCode",
                          "id": 1
                        }
                      }
                    },
                    "AttestPolicyPcrList": {
                      "fields": {
                        "pcr_indices": {
                          "rule": "repeated",
                          "type": "uint32",
                          "id": 1
                        },
                        "policy_id": {
                          "type": "uint32",
                          "id": 2
                        }
                      }
                    },
                    "AttestVolumeKeyData": {
                      "fields": {
                        "encrypted_key": {
                          "type": "bytes",
                          "id": 1
                        },
                        "digest_sha256": {
                          "type": "bytes",
                          "id": 2
                        },
                        "version": {
                          "type": "AttestVolumeKeyVersion",
                          "id": 5
                        }
                      },
                      "reserved": [
                        [
                          3,
                          3
                        ],
                        [
                          4,
                          4
                        ],
                        "has_policy_pcr_list",
                        "policy_pcr_list"
                      ]
                    }
                  }
                },
                "config": {
                  "nested": {
                    "UUIDandVersion": {
                      "fields": {
                        "uuid": {
                          "type": "string",
                          "id": 1
                        },
                        "version": {
                          "type": "string",
                          "id": 2
                        }
                      }
                    },
                    "ConfigItem": {
                      "fields": {
                        "key": {
                          "type": "string",
                          "id": 1
                        },
                        "value": {
                          "type": "string",
                          "id": 2
                        }
                      }
                    },
                    "EdgeDevConfig": {
                      "fields": {
                        "id": {
                          "type": "UUIDandVersion",
                          "id": 1
                        },
                        "configItems": {
                          "rule": "repeated",
                          "type": "ConfigItem",
                          "id": 11
                        },
                        "manufacturer": {
                          "type": "string",
                          "id": 14
                        },
                        "productName": {
                          "type": "string",
                          "id": 15
                        },
                        "cipherContexts": {
                          "rule": "repeated",
                          "type": "org.lfedge.eve.common.CipherContext",
                          "id": 19
                        },
                        "controllercert_confighash": {
                          "type": "string",
                          "id": 22
                        },
                        "maintenance_mode": {
                          "type": "bool",
                          "id": 24
                        },
                        "controller_epoch": {
                          "type": "int64",
                          "id": 25
                        },
                        "global_profile": {
                          "type": "string",
                          "id": 27
                        },
                        "device_name": {
                          "type": "string",
                          "id": 35
                        },
                        "project_name": {
                          "type": "string",
                          "id": 36
                        },
                        "project_id": {
                          "type": "string",
                          "id": 37
                        },
                        "enterprise_name": {
                          "type": "string",
                          "id": 38
                        },
                        "enterprise_id": {
                          "type": "string",
                          "id": 39
                        },
                        "config_timestamp": {
                          "type": "google.protobuf.Timestamp",
                          "id": 40
                        }
                      }
                    },
                    "ConfigRequest": {
                      "fields": {
                        "configHash": {
                          "type": "string",
                          "id": 1
                        },
                        "integrity_token": {
                          "type": "bytes",
                          "id": 2
                        }
                      }
                    },
                    "ConfigResponse": {
                      "fields": {
                        "config": {
                          "type": "EdgeDevConfig",
                          "id": 1
                        },
                        "configHash": {
                          "type": "string",
                          "id": 2
                        }
                      }
                    },
                    "BootstrapConfig": {
                      "fields": {
                        "signed_config": {
                          "type": "org.lfedge.eve.auth.AuthContainer",
                          "id": 1
                        },
                        "controller_certs": {
                          "rule": "repeated",
                          "type": "org.lfedge.eve.certs.ZCert",
                          "id": 2
                        }
                      }
                    }
                  }
                },
                "info": {
                  "nested": {
                    "ErrorInfo": {
                      "fields": {
                        "description": {
                          "type": "string",
                          "id": 1
                        },
                        "timestamp": {
                          "type": "google.protobuf.Timestamp",
                          "id": 2
                        },
                        "retry_condition": {
                          "type": "string",
                          "id": 5
                        }
                      }
                    },
                    "ZInfoTypes": {
                      "values": {
                        "ZiNop": 0,
                        "ZiDevice": 1,
                        "ZiApp": 3,
                        "ZiNetworkInstance": 6,
                        "ZiVolume": 7,
                        "ZiContentTree": 8,
                        "ZiBlobList": 9,
                        "ZiAppInstMetaData": 10,
                        "ZiHardware": 11,
                        "ZiEdgeview": 12,
                        "ZiLocation": 13,
                        "ZiPatchEnvelope": 14,
                        "ZiNTPSources": 16,
                        "ZiKubeCluster": 17,
                        "ZiKubeClusterUpdateStatus": 18
                      }
                    },
                    "HwSecurityModuleStatus": {
                      "values": {
                        "UNKNOWN": 0,
                        "NOTFOUND": 1,
                        "DISABLED": 2,
                        "ENABLED": 3
                      }
                    },
                    "AttestationState": {
                      "values": {
                        "ATTESTATION_STATE_UNSPECIFIED": 0,
                        "ATTESTATION_STATE_NONCE_WAIT": 1,
                        "ATTESTATION_STATE_TPM_QUOTE_WAIT": 2,
                        "ATTESTATION_STATE_TPM_ESCROW_WAIT": 3,
                        "ATTESTATION_STATE_ATTEST_WAIT": 4,
                        "ATTESTATION_STATE_ATTEST_ESCROW_WAIT": 5,
                        "ATTESTATION_STATE_RESTART_WAIT": 6,
                        "ATTESTATION_STATE_COMPLETE": 7
                      }
                    },
                    "DataSecAtRestStatus": {
                      "values": {
                        "DATASEC_AT_REST_UNKNOWN": 0,
                        "DATASEC_AT_REST_DISABLED": 1,
                        "DATASEC_AT_REST_ENABLED": 2,
                        "DATASEC_AT_REST_ERROR": 4
                      }
                    },
                    "PCRStatus": {
                      "values": {
                        "PCR_UNKNOWN": 0,
                        "PCR_ENABLED": 1,
                        "PCR_DISABLED": 2
                      }
                    },
                    "MaintenanceModeReason": {
                      "values": {
                        "MAINTENANCE_MODE_REASON_NONE": 0,
                        "MAINTENANCE_MODE_REASON_USER_REQUESTED": 1,
                        "MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP": 2,
                        "MAINTENANCE_MODE_REASON_LOW_DISK_SPACE": 3,
                        "MAINTENANCE_MODE_REASON_TPM_ENCRYPTION_FAILURE": 4,
                        "MAINTENANCE_MODE_REASON_TPM_QUOTE_FAILURE": 5,
                        "MAINTENANCE_MODE_REASON_EDGE_NODE_CERTS_REFUSED": 6
                      }
                    },
                    "ZInfoMsg": {
                      "oneofs": {
                        "InfoContent": {
                          "oneof": [
                            "dinfo"
                          ]
                        }
                      },
                      "fields": {
                        "ztype": {
                          "type": "ZInfoTypes",
                          "id": 1
                        },
                        "devId": {
                          "type": "string",
                          "id": 2
                        },
                        "dinfo": {
                          "type": "ZInfoDevice",
                          "id": 3
                        },
                        "atTimeStamp": {
                          "type": "google.protobuf.Timestamp",
                          "id": 6
                        }
                      },
                      "reserved": [
                        [
                          21,
                          21
                        ]
                      ]
                    },
                    "ZInfoManufacturer": {
                      "fields": {
                        "manufacturer": {
                          "type": "string",
                          "id": 1
                        },
                        "productName": {
                          "type": "string",
                          "id": 2
                        },
                        "version": {
                          "type": "string",
                          "id": 3
                        },
                        "serialNumber": {
                          "type": "string",
                          "id": 4
                        },
                        "UUID": {
                          "type": "string",
                          "id": 5
                        },
                        "compatible": {
                          "type": "string",
                          "id": 6
                        },
                        "biosVendor": {
                          "type": "string",
                          "id": 7
                        },
                        "biosVersion": {
                          "type": "string",
                          "id": 8
                        },
                        "biosReleaseDate": {
                          "type": "string",
                          "id": 9
                        }
                      }
                    },
                    "VaultInfo": {
                      "fields": {
                        "name": {
                          "type": "string",
                          "id": 1
                        },
                        "status": {
                          "type": "DataSecAtRestStatus",
                          "id": 2
                        },
                        "vaultErr": {
                          "type": "ErrorInfo",
                          "id": 3
                        },
                        "pcrStatus": {
                          "type": "PCRStatus",
                          "id": 4
                        }
                      }
                    },
                    "DataSecAtRest": {
                      "fields": {
                        "status": {
                          "type": "DataSecAtRestStatus",
                          "id": 1
                        },
                        "info": {
                          "type": "string",
                          "id": 2
                        },
                        "vaultList": {
                          "rule": "repeated",
                          "type": "VaultInfo",
                          "id": 3
                        }
                      }
                    },
                    "SecurityInfo": {
                      "fields": {
                        "sha_root_ca": {
                          "type": "bytes",
                          "id": 1
                        },
                        "sha_tls_root_ca": {
                          "type": "bytes",
                          "id": 2
                        }
                      }
                    },
                    "AttestationInfo": {
                      "fields": {
                        "state": {
                          "type": "AttestationState",
                          "id": 1
                        },
                        "error": {
                          "type": "ErrorInfo",
                          "id": 2
                        }
                      }
                    },
                    "ZInfoDevice": {
                      "fields": {
                        "machineArch": {
                          "type": "string",
                          "id": 4
                        },
                        "cpuArch": {
                          "type": "string",
                          "id": 5
                        },
                        "platform": {
                          "type": "string",
                          "id": 6
                        },
                        "ncpu": {
                          "type": "uint32",
                          "id": 7
                        },
                        "memory": {
                          "type": "uint64",
                          "id": 8
                        },
                        "storage": {
                          "type": "uint64",
                          "id": 9
                        },
                        "powerCycleCounter": {
                          "type": "int64",
                          "id": 10
                        },
                        "minfo": {
                          "type": "ZInfoManufacturer",
                          "id": 11
                        },
                        "bootTime": {
                          "type": "google.protobuf.Timestamp",
                          "id": 18
                        },
                        "HostName": {
                          "type": "string",
                          "id": 20
                        },
                        "lastRebootReason": {
                          "type": "string",
                          "id": 22
                        },
                        "lastRebootTime": {
                          "type": "google.protobuf.Timestamp",
                          "id": 23
                        },
                        "restartCounter": {
                          "type": "uint32",
                          "id": 25
                        },
                        "HSMStatus": {
                          "type": "HwSecurityModuleStatus",
                          "id": 26
                        },
                        "HSMInfo": {
                          "type": "string",
                          "id": 27
                        },
                        "lastRebootStack": {
                          "type": "string",
                          "id": 28
                        },
                        "dataSecAtRestInfo": {
                          "type": "DataSecAtRest",
                          "id": 29
                        },
                        "sec_info": {
                          "type": "SecurityInfo",
                          "id": 30
                        },
                        "rebootConfigCounter": {
                          "type": "uint32",
                          "id": 33
                        },
                        "maintenance_mode": {
                          "type": "bool",
                          "id": 38
                        },
                        "maintenance_mode_reason": {
                          "type": "MaintenanceModeReason",
                          "id": 39,
                          "options": {
                            "deprecated": true
                          }
                        },
                        "hardware_watchdog_present": {
                          "type": "bool",
                          "id": 40
                        },
                        "reboot_inprogress": {
                          "type": "bool",
                          "id": 41
                        },
                        "baseos_update_counter": {
                          "type": "uint32",
                          "id": 43
                        },
                        "local_profile": {
                          "type": "string",
                          "id": 45
                        },
                        "maintenance_mode_reasons": {
                          "rule": "repeated",
                          "type": "MaintenanceModeReason",
                          "id": 46
                        },
                        "dormant_time": {
                          "type": "string",
                          "id": 47,
                          "options": {
                            "deprecated": true
                          }
                        },
                        "shutdown_config_counter": {
                          "type": "uint32",
                          "id": 49
                        },
                        "attestation_info": {
                          "type": "AttestationInfo",
                          "id": 50
                        },
                        "remote_access_disabled": {
                          "type": "bool",
                          "id": 52
                        },
                        "device_name": {
                          "type": "string",
                          "id": 54
                        },
                        "enterprise_name": {
                          "type": "string",
                          "id": 55
                        },
                        "enterprise_id": {
                          "type": "string",
                          "id": 56
                        },
                        "project_name": {
                          "type": "string",
                          "id": 57
                        },
                        "project_id": {
                          "type": "string",
                          "id": 58
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
};
