// Constants `edge-agent check` shows as well: a leaf, so the check need not load identity's certificate code (issue 11).

/** Certificates must not be minted with a clock that was never set (EVE waits for NTP). */
export const EARLIEST_SANE_TIME = Date.UTC(2025, 0, 1);

/** What an operator should do about a derivable device key (status and `edge-agent check`). */
export const DERIVABLE_DEVICE_KEY_ADVICE =
  "the device key 0x817FFFFF is a primary key made from EVE's public template: any process that can open the TPM can re-create it " +
  "and sign as this device. Re-provision the device identity: stop the agent, remove /config/device.cert.pem and its NV copy " +
  "(tpm2_nvundefine 0x1500000), start the agent (it creates a TPM-generated key and a new device certificate and registers it " +
  "with the onboarding certificate), then retire the old device at the controller";
