/** EVE's attestation FSM states; the numbers are what info reports (AttestationState). */
export const AttestState = {
  None: 0,
  NonceWait: 1,
  InternalQuoteWait: 2,
  InternalEscrowWait: 3,
  AttestWait: 4,
  AttestEscrowWait: 5,
  RestartWait: 6,
  Complete: 7,
} as const;
export type AttestStateValue = (typeof AttestState)[keyof typeof AttestState];

export function attestStateName(s: AttestStateValue): string {
  return Object.entries(AttestState).find(([, v]) => v === s)![0];
}
