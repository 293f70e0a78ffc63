import { AsnIntegerArrayBufferConverter, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier } from "@peculiar/asn1-x509";

/*
 * Key structures that @peculiar/asn1-x509 does not cover. They are described
 * with asn1-schema so the library does the DER work. The decorators are
 * applied as plain calls because our tsconfig uses standard decorators, while
 * asn1-schema expects the legacy (experimentalDecorators) signature.
 */

/** RFC 5480 ECParameters, restricted to the namedCurve choice (the only one X.509 allows). */
export class EcParameters {
  namedCurve = "";
  constructor(params: Partial<EcParameters> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AsnPropTypes.ObjectIdentifier })(EcParameters.prototype, "namedCurve");
AsnType({ type: AsnTypeTypes.Choice })(EcParameters);

/** RFC 8017 RSAPublicKey. */
export class RsaPublicKey {
  modulus = new ArrayBuffer(0);
  publicExponent = new ArrayBuffer(0);
  constructor(params: Partial<RsaPublicKey> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter })(RsaPublicKey.prototype, "modulus");
AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter })(RsaPublicKey.prototype, "publicExponent");
AsnType({ type: AsnTypeTypes.Sequence })(RsaPublicKey);

/** RFC 5915 (SEC1) ECPrivateKey. */
export class EcPrivateKey {
  version = 1;
  privateKey = new ArrayBuffer(0);
  parameters?: EcParameters;
  publicKey?: ArrayBuffer;
  constructor(params: Partial<EcPrivateKey> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AsnPropTypes.Integer })(EcPrivateKey.prototype, "version");
AsnProp({ type: AsnPropTypes.OctetString })(EcPrivateKey.prototype, "privateKey");
AsnProp({ type: EcParameters, context: 0, optional: true })(EcPrivateKey.prototype, "parameters");
AsnProp({ type: AsnPropTypes.BitString, context: 1, optional: true })(EcPrivateKey.prototype, "publicKey");
AsnType({ type: AsnTypeTypes.Sequence })(EcPrivateKey);

/**
 * RFC 5208 PrivateKeyInfo / RFC 5958 OneAsymmetricKey. Attributes are kept
 * opaque: the agent never reads them, it only has to get past them.
 */
export class PrivateKeyInfo {
  version = 0;
  privateKeyAlgorithm = new AlgorithmIdentifier();
  privateKey = new ArrayBuffer(0);
  attributes?: ArrayBuffer;
  publicKey?: ArrayBuffer;
  constructor(params: Partial<PrivateKeyInfo> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AsnPropTypes.Integer })(PrivateKeyInfo.prototype, "version");
AsnProp({ type: AlgorithmIdentifier })(PrivateKeyInfo.prototype, "privateKeyAlgorithm");
AsnProp({ type: AsnPropTypes.OctetString })(PrivateKeyInfo.prototype, "privateKey");
AsnProp({ type: AsnPropTypes.Any, context: 0, implicit: true, optional: true })(PrivateKeyInfo.prototype, "attributes");
AsnProp({ type: AsnPropTypes.BitString, context: 1, implicit: true, optional: true })(PrivateKeyInfo.prototype, "publicKey");
AsnType({ type: AsnTypeTypes.Sequence })(PrivateKeyInfo);
