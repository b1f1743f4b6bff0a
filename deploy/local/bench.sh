#!/usr/bin/env bash
# The benchmark on the local stack: builds if needed, starts a real Kafka broker and S3 server,
# runs `bench` (which starts and stops worker processes of its own), prints the table and writes
# it to target/bench.md, stops the stack. Arguments go to `bench` (--quick, --repeats N, --device gpu).
set -euo pipefail

# shellcheck source=common.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"
build_if_needed
stop_leftover
trap '"$HERE/down.sh" >/dev/null' EXIT
IMAGE_WORKER_LOCAL_NO_WORKER=1 "$HERE/up.sh"
# shellcheck disable=SC1091
. "$DATA/env.sh"
cd "$ROOT"
mkdir -p target
"$JAVA" -jar "$APP" bench --app "$WORKER_APP" --out target/bench.md "$@"
