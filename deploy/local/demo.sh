#!/usr/bin/env bash
# The end-to-end demo: builds the application if needed, starts the local stack (real Kafka broker,
# real S3 server, the worker), submits demo jobs made of MNIST test digits shipped in the repo,
# prints what the worker answered, and stops the stack again. The artifacts stay on disk under
# $IMAGE_WORKER_LOCAL_DIR (default <repo>/.local), in s3/data/<bucket>/<key>.
set -euo pipefail

# shellcheck source=common.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"
build_if_needed
stop_leftover
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
