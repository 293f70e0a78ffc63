#!/bin/sh
# Regenerates the protobuf golden fixtures with protoc, an encoder that shares
# nothing with protobufjs:
#   * checks that protoc accepts every file under proto/ on its own;
#   * encodes each test/fixtures/protocol/*.txtpb (text format, message named
#     in its "# proto-message:" header) into the matching *.hex;
#   * extracts the field tables of eve-api-fields.md into eve-api-fields.json.
# Needs python3 with grpcio-tools (pip install grpcio-tools). The tests read
# only the outputs, so they run without Python.
set -eu
cd "$(dirname "$0")/.."

FIELDS_DOC=${EVE_API_FIELDS_DOC:-/work/shared/docs/eve-api-fields.md}
FIXTURES=test/fixtures/protocol
WKT=$(python3 -c 'import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), "_proto"))')

protoc() {
  python3 -m grpc_tools.protoc -Iproto -I"$WKT" "$@"
}

for f in $(cd proto && find . -name '*.proto' | sed 's|^\./||' | sort); do
  protoc --descriptor_set_out=/dev/null "$f"
  echo "protoc accepts proto/$f" >&2
done

for t in "$FIXTURES"/*.txtpb; do
  msg=$(sed -n 's/^# proto-message: //p' "$t")
  file=$(sed -n 's/^# proto-file: //p' "$t")
  if [ -z "$msg" ] || [ -z "$file" ]; then
    echo "$t: missing '# proto-file:' or '# proto-message:' header" >&2
    exit 1
  fi
  hex=$(protoc --encode="$msg" "$file" < "$t" | od -An -v -tx1 | tr -d ' \n')
  printf '%s\n' "$hex" > "${t%.txtpb}.hex"
  echo "encoded $t as $msg" >&2
done

if [ -f "$FIELDS_DOC" ]; then
  python3 scripts/gen-proto-fixtures.py "$FIELDS_DOC" "$FIXTURES/eve-api-fields.json"
  echo "extracted field tables from $FIELDS_DOC" >&2
else
  echo "warning: $FIELDS_DOC not found; kept the existing eve-api-fields.json" >&2
fi
