import { AgentError } from "../shared/index.ts";
import { CKR, ckrName } from "./constants.ts";

export type Pkcs11ErrorKind =
  /** The module could not be loaded, has no usable function list, or refused C_Initialize. */
  | "pkcs11.module"
  /** A `pkcs11:` URI or a slot selector that does not parse. */
  | "pkcs11.uri"
  /** No slot, token or object matches what was asked for. */
  | "pkcs11.not-found"
  /** More than one object matches where one was asked for. */
  | "pkcs11.ambiguous"
  /** The token refused the PIN (wrong, malformed, wrong length). */
  | "pkcs11.pin"
  /** The PIN is locked or expired: a person has to act, retrying makes it worse. */
  | "pkcs11.pin-locked"
  /** The token wants a login and no PIN was given. */
  | "pkcs11.pin-required"
  /** The URI's pin-source could not be read. */
  | "pkcs11.pin-source"
  /** The token is absent, removed, unrecognised, or the slot id is invalid. */
  | "pkcs11.token"
  /** The session is gone or cannot be opened (closed, invalid, too many, read-only). */
  | "pkcs11.session"
  /** The operation needs a logged-in user. */
  | "pkcs11.login"
  /** The key handle is invalid or the key may not do this. */
  | "pkcs11.key"
  /** The token does not support the mechanism, its parameters or the curve. */
  | "pkcs11.mechanism"
  /** The attribute is sensitive or the key unextractable: the token keeps it. */
  | "pkcs11.sensitive"
  /** A template the token rejects (attribute type or value, incomplete, inconsistent). */
  | "pkcs11.template"
  /** The caller's data is wrong for the operation (length, encoding). */
  | "pkcs11.input"
  /** The device or library failed (memory, device error, general failure). */
  | "pkcs11.device"
  /** The module does not implement the function. */
  | "pkcs11.unsupported"
  /** The library's state is wrong for the call (not initialised, operation active). */
  | "pkcs11.state"
  /** The client was used after close(). */
  | "pkcs11.closed"
  /** Any other return value (cancelled, rejected, vendor-defined). */
  | "pkcs11.operation";

const KIND_OF: Array<[Pkcs11ErrorKind, number[]]> = [
  ["pkcs11.pin", [CKR.PIN_INCORRECT, CKR.PIN_INVALID, CKR.PIN_LEN_RANGE, CKR.PIN_TOO_WEAK]],
  ["pkcs11.pin-locked", [CKR.PIN_LOCKED, CKR.PIN_EXPIRED]],
  ["pkcs11.token", [CKR.SLOT_ID_INVALID, CKR.TOKEN_NOT_PRESENT, CKR.TOKEN_NOT_RECOGNIZED, CKR.DEVICE_REMOVED, CKR.TOKEN_WRITE_PROTECTED]],
  [
    "pkcs11.session",
    [
      CKR.SESSION_CLOSED,
      CKR.SESSION_COUNT,
      CKR.SESSION_HANDLE_INVALID,
      CKR.SESSION_PARALLEL_NOT_SUPPORTED,
      CKR.SESSION_READ_ONLY,
      CKR.SESSION_EXISTS,
      CKR.SESSION_READ_ONLY_EXISTS,
      CKR.SESSION_READ_WRITE_SO_EXISTS,
    ],
  ],
  [
    "pkcs11.login",
    [
      CKR.USER_NOT_LOGGED_IN,
      CKR.USER_PIN_NOT_INITIALIZED,
      CKR.USER_TYPE_INVALID,
      CKR.USER_ANOTHER_ALREADY_LOGGED_IN,
      CKR.USER_TOO_MANY_TYPES,
      CKR.USER_ALREADY_LOGGED_IN,
      CKR.NEW_PIN_MODE,
      CKR.NEXT_OTP,
    ],
  ],
  [
    "pkcs11.key",
    [
      CKR.KEY_HANDLE_INVALID,
      CKR.OBJECT_HANDLE_INVALID,
      CKR.KEY_TYPE_INCONSISTENT,
      CKR.KEY_FUNCTION_NOT_PERMITTED,
      CKR.KEY_SIZE_RANGE,
      CKR.KEY_NOT_NEEDED,
      CKR.KEY_CHANGED,
      CKR.KEY_NEEDED,
      CKR.KEY_INDIGESTIBLE,
      CKR.KEY_NOT_WRAPPABLE,
      CKR.PUBLIC_KEY_INVALID,
      CKR.WRAPPED_KEY_INVALID,
      CKR.WRAPPED_KEY_LEN_RANGE,
      CKR.WRAPPING_KEY_HANDLE_INVALID,
      CKR.WRAPPING_KEY_SIZE_RANGE,
      CKR.WRAPPING_KEY_TYPE_INCONSISTENT,
      CKR.UNWRAPPING_KEY_HANDLE_INVALID,
      CKR.UNWRAPPING_KEY_SIZE_RANGE,
      CKR.UNWRAPPING_KEY_TYPE_INCONSISTENT,
    ],
  ],
  ["pkcs11.mechanism", [CKR.MECHANISM_INVALID, CKR.MECHANISM_PARAM_INVALID, CKR.CURVE_NOT_SUPPORTED, CKR.DOMAIN_PARAMS_INVALID]],
  ["pkcs11.sensitive", [CKR.ATTRIBUTE_SENSITIVE, CKR.KEY_UNEXTRACTABLE, CKR.INFORMATION_SENSITIVE]],
  [
    "pkcs11.template",
    [
      CKR.ATTRIBUTE_READ_ONLY,
      CKR.ATTRIBUTE_TYPE_INVALID,
      CKR.ATTRIBUTE_VALUE_INVALID,
      CKR.TEMPLATE_INCOMPLETE,
      CKR.TEMPLATE_INCONSISTENT,
      CKR.ACTION_PROHIBITED,
    ],
  ],
  [
    "pkcs11.input",
    [
      CKR.ARGUMENTS_BAD,
      CKR.DATA_INVALID,
      CKR.DATA_LEN_RANGE,
      CKR.ENCRYPTED_DATA_INVALID,
      CKR.ENCRYPTED_DATA_LEN_RANGE,
      CKR.SIGNATURE_INVALID,
      CKR.SIGNATURE_LEN_RANGE,
      CKR.BUFFER_TOO_SMALL,
    ],
  ],
  [
    "pkcs11.device",
    [
      CKR.HOST_MEMORY,
      CKR.GENERAL_ERROR,
      CKR.FUNCTION_FAILED,
      CKR.DEVICE_ERROR,
      CKR.DEVICE_MEMORY,
      CKR.FIPS_SELF_TEST_FAILED,
      CKR.RANDOM_NO_RNG,
      CKR.CANT_LOCK,
      CKR.NEED_TO_CREATE_THREADS,
      CKR.EXCEEDED_MAX_ITERATIONS,
    ],
  ],
  ["pkcs11.unsupported", [CKR.FUNCTION_NOT_SUPPORTED, CKR.RANDOM_SEED_NOT_SUPPORTED, CKR.FUNCTION_NOT_PARALLEL]],
  [
    "pkcs11.state",
    [
      CKR.CRYPTOKI_NOT_INITIALIZED,
      CKR.CRYPTOKI_ALREADY_INITIALIZED,
      CKR.OPERATION_ACTIVE,
      CKR.OPERATION_NOT_INITIALIZED,
      CKR.MUTEX_BAD,
      CKR.MUTEX_NOT_LOCKED,
      CKR.SAVED_STATE_INVALID,
      CKR.STATE_UNSAVEABLE,
    ],
  ],
  ["pkcs11.module", [CKR.LIBRARY_LOAD_FAILED]],
];
const KINDS = new Map<number, Pkcs11ErrorKind>(KIND_OF.flatMap(([kind, rvs]) => rvs.map((rv) => [rv, kind] as [number, Pkcs11ErrorKind])));

/** The error kind a PKCS#11 return value maps to. */
export function kindOfRv(rv: number): Pkcs11ErrorKind {
  return KINDS.get(rv) ?? "pkcs11.operation";
}

/**
 * A failed PKCS#11 operation. `ckr` names the return value when a module
 * call failed ("CKR_PIN_INCORRECT"), `fn` the function ("C_Login"). Messages
 * never carry a PIN, nor a URI with its pin-value.
 */
export class Pkcs11Error extends AgentError {
  declare readonly kind: Pkcs11ErrorKind;
  /** The CK_RV, when a module call returned one. */
  readonly rv: number | undefined;
  /** Its name, e.g. "CKR_PIN_INCORRECT". */
  readonly ckr: string | undefined;
  /** The Cryptoki function that returned it, e.g. "C_Login". */
  readonly fn: string | undefined;
  constructor(kind: Pkcs11ErrorKind, message: string, options?: { cause?: unknown; rv?: number; fn?: string }) {
    super(kind, message, options);
    this.rv = options?.rv;
    this.ckr = options?.rv === undefined ? undefined : ckrName(options.rv);
    this.fn = options?.fn;
  }

  /** The typed error for a CK_RV other than CKR_OK returned by `fn`. */
  static fromRv(fn: string, rv: number, what?: string): Pkcs11Error {
    const name = ckrName(rv);
    return new Pkcs11Error(kindOfRv(rv), `${fn} failed: ${name}${what ? ` (${what})` : ""}`, { rv, fn });
  }
}

/** True when `e` is a Pkcs11Error from a module call that returned `rv`. */
export function hasCkr(e: unknown, rv: number): boolean {
  return e instanceof Pkcs11Error && e.rv === rv;
}
