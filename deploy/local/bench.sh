#!/usr/bin/env bash
# The benchmark on the local stack: builds if needed, starts a real Kafka broker and S3 server,
# runs `bench` (which starts and stops worker processes of its own), prints the table and writes
# it to target/bench.md, stops the stack. Arguments go to `bench` (--quick, --repeats N, --device gpu).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${IMAGE_WORKER_LOCAL_DIR:-$ROOT/.local}"
APP="$ROOT/target/quarkus-app/quarkus-run.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
export IMAGE_WORKER_LOCAL_DIR="$DATA"

if [ ! -f "$APP" ]; then
  echo "building the application (first run) ..."
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
fi
[ -f "$DATA/worker/pid" ] || [ -f "$DATA/kafka/pid" ] || [ -f "$DATA/s3/pid" ] && "$HERE/down.sh" >/dev/null
trap '"$HERE/down.sh" >/dev/null' EXIT
IMAGE_WORKER_LOCAL_NO_WORKER=1 "$HERE/up.sh"
# shellcheck disable=SC1091
. "$DATA/env.sh"
cd "$ROOT"
mkdir -p target
"$JAVA" -jar "$APP" bench --out target/bench.md "$@"
