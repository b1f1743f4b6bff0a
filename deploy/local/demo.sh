#!/usr/bin/env bash
# The end-to-end demo: builds the application if needed, starts the local stack (real Kafka broker,
# real S3 server, the worker), submits demo jobs made of MNIST test digits shipped in the repo,
# prints what the worker answered, and stops the stack again. The artifacts stay on disk under
# $IMAGE_WORKER_LOCAL_DIR (default <repo>/.local), in s3/data/<bucket>/<key>.
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
# A stack left over from an interrupted demo would hold the ports.
[ -f "$DATA/worker/pid" ] || [ -f "$DATA/kafka/pid" ] || [ -f "$DATA/s3/pid" ] && "$HERE/down.sh" >/dev/null
trap '"$HERE/down.sh"' EXIT

"$HERE/up.sh"
# shellcheck disable=SC1091
. "$DATA/env.sh"
stamp=$(date +%Y%m%d-%H%M%S)
submit() { "$JAVA" -jar "$APP" submit "$@" || [ $? -eq 3 ]; }

echo
echo "== classify: 100 MNIST test digits (10 per class), true labels from their folder names"
submit --task classify --job-id "demo-classify-$stamp" --labels-from-dir "$HERE/demo/mnist"

echo
echo "Artifacts and result files are under $DATA/s3/data/results/jobs/ (one folder per job)."
