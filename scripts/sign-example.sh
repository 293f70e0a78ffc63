# The README's keys-service example, run by `npm run demo -- --serve` as a
# self-check: a handle for key://device-id, an ECDSA signature over
# SHA-256("hello") made in the TPM, checked by openssl against the device
# certificate. S is the keys socket, CERT the device certificate.
H=$(curl -s --unix-socket "$S" 'http://keys.sock/keypair/device-id?api-version=2021-05-01' | sed 's/.*"keyHandle":"\([^"]*\)".*/\1/')
D=$(printf hello | openssl dgst -sha256 -binary | base64)
curl -s --unix-socket "$S" -H 'Content-Type: application/json' \
  -d '{"keyHandle":"'"$H"'","algorithm":"ECDSA","parameters":{"digest":"'"$D"'"}}' \
  'http://keys.sock/sign?api-version=2021-05-01' | tee sign.json; echo
sed 's/.*"signature":"\([^"]*\)".*/\1/' sign.json | base64 -d > hello.sig
openssl x509 -in "$CERT" -pubkey -noout > device.pub
printf hello | openssl dgst -sha256 -verify device.pub -signature hello.sig
