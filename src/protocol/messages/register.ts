/** org.lfedge.eve.register (register/register.proto), docs/protocol.md#register. */
export interface ZRegisterMsg {
  /** deprecated; EVE never sets it */
  onBoardKey: string;
  /** base64 (std, padded) of the device cert PEM file, as bytes */
  pemCert: Uint8Array;
  serial: string;
  softSerial: string;
}
