#!/usr/bin/env bash
# Starts the local stack without Docker and waits until the worker is ready:
#   Apache Kafka (KRaft) on 127.0.0.1:9092, s3proxy (S3 API, SigV4 checked) on 127.0.0.1:9000,
#   the topics and buckets, and the worker (health and metrics on 127.0.0.1:8080).
# Everything it writes lives under one folder: $IMAGE_WORKER_LOCAL_DIR, default <repo>/.local.
# Objects live as plain files under <folder>/s3/data/<bucket>/<key>, so artifacts open directly.
# Stop it with deploy/local/down.sh. With IMAGE_WORKER_LOCAL_NO_WORKER=1 it starts only the broker
# and the S3 server (bench.sh starts workers of its own). IMAGE_WORKER_LOCAL_KAFKA_PORT,
# IMAGE_WORKER_LOCAL_KAFKA_CONTROLLER_PORT and IMAGE_WORKER_LOCAL_S3_PORT move the broker and the
# S3 server (a second stack beside one already running, with its own IMAGE_WORKER_LOCAL_DIR).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${IMAGE_WORKER_LOCAL_DIR:-$ROOT/.local}"
KAFKA_PORT="${IMAGE_WORKER_LOCAL_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${IMAGE_WORKER_LOCAL_KAFKA_CONTROLLER_PORT:-9093}"
S3_PORT="${IMAGE_WORKER_LOCAL_S3_PORT:-9000}"
HTTP_PORT="${IMAGE_WORKER_HTTP_PORT:-8080}"
APP="$ROOT/worker/target/quarkus-app/quarkus-run.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

say() { printf '%s\n' "$*"; }
die() { printf 'up.sh: %s\n' "$*" >&2; exit 1; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# GET /q/health/ready with nothing but bash: true on HTTP 200.
ready() {
  (exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT" && printf 'GET /q/health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 \
    && head -n 1 <&3) 2>/dev/null | grep -q ' 200 '
}

mkdir -p "$DATA"
DATA="$(cd "$DATA" && pwd)"

if alive "$DATA/kafka/pid" || alive "$DATA/s3/pid" || alive "$DATA/worker/pid"; then
  die "a local stack is already running from $DATA (stop it with deploy/local/down.sh)"
fi
for p in $KAFKA_PORT $KAFKA_CONTROLLER_PORT $S3_PORT $HTTP_PORT; do
  port_busy "$p" && die "port $p on 127.0.0.1 is in use by another program"
done

if [ ! -f "$APP" ]; then
  say "building the application (first run) ..."
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests) || die "build failed"
fi
"$HERE/stack.sh" fetch

# Credentials of this stack: made once, kept with its data, printed below.
if [ ! -f "$DATA/credentials" ]; then
  umask 077
  printf 'AWS_ACCESS_KEY_ID=local-%s\nAWS_SECRET_ACCESS_KEY=%s\n' \
    "$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')" "$(od -An -N16 -tx4 /dev/urandom | tr -d ' \n')" > "$DATA/credentials"
fi
# shellcheck disable=SC1091
. "$DATA/credentials"

say "starting Kafka on 127.0.0.1:$KAFKA_PORT ..."
"$HERE/stack.sh" kafka-start "$DATA/kafka" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" >/dev/null
say "starting s3proxy on 127.0.0.1:$S3_PORT ..."
"$HERE/stack.sh" s3-start "$DATA/s3" "$S3_PORT" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" >/dev/null

say "creating topics and buckets ..."
pids=()
for t in image-jobs:3 image-results:3 image-jobs-dlq:1 image-progress:3; do
  "$HERE/stack.sh" topic "127.0.0.1:$KAFKA_PORT" "${t%%:*}" "${t##*:}" & pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || die "topic creation failed"; done
# The filesystem backend keeps one folder per bucket.
mkdir -p "$DATA/s3/data/images" "$DATA/s3/data/results"

cat > "$DATA/env.sh" <<ENV
# Source this to point the CLI (submit, ...) or your own tools at the local stack.
export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT
export IMAGE_WORKER_STORAGE_ENDPOINT=http://127.0.0.1:$S3_PORT
export IMAGE_WORKER_STORAGE_PATH_STYLE=true
export IMAGE_WORKER_STORAGE_INPUT_BUCKETS=images
export IMAGE_WORKER_STORAGE_OUTPUT_URI=s3://results/jobs/
export AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID
export AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
export AWS_REGION=us-east-1
export DJL_OFFLINE=true
export DJL_CACHE_DIR=$DATA/djl
export MXNET_ENGINE_TYPE=NaiveEngine
export OMP_NUM_THREADS=\${OMP_NUM_THREADS:-2}
ENV
chmod 600 "$DATA/env.sh"

if [ "${IMAGE_WORKER_LOCAL_NO_WORKER:-0}" = 1 ]; then
  say "Kafka 127.0.0.1:$KAFKA_PORT and S3 http://127.0.0.1:$S3_PORT are up (no worker); . $DATA/env.sh to use them"
  exit 0
fi

say "starting the worker (health on 127.0.0.1:$HTTP_PORT) ..."
mkdir -p "$DATA/worker"
(
  # shellcheck disable=SC1091
  . "$DATA/env.sh"
  export QUARKUS_HTTP_PORT="$HTTP_PORT" QUARKUS_HTTP_HOST=127.0.0.1
  nohup "$JAVA" -jar "$APP" serve > "$DATA/worker/worker.log" 2>&1 < /dev/null &
  echo $! > "$DATA/worker/pid"
)
pid=$(cat "$DATA/worker/pid")
for _ in $(seq 1 1200); do
  if ! kill -0 "$pid" 2>/dev/null; then
    tail -n 30 "$DATA/worker/worker.log" >&2; die "the worker exited (log: $DATA/worker/worker.log)"
  fi
  ready && break
  sleep 0.25
done
kill -0 "$pid" 2>/dev/null || die "the worker exited (log: $DATA/worker/worker.log)"

cat <<INFO

image-worker local stack is up (data under $DATA)
  Kafka      127.0.0.1:$KAFKA_PORT   topics image-jobs, image-results, image-jobs-dlq, image-progress
  S3         http://127.0.0.1:$S3_PORT   buckets images (inputs), results (artifacts)
             access key $AWS_ACCESS_KEY_ID
             secret key $AWS_SECRET_ACCESS_KEY
  worker     http://127.0.0.1:$HTTP_PORT/q/health/ready, /q/metrics   log $DATA/worker/worker.log

Submit a job:
  . $DATA/env.sh
  java -jar tools/target/quarkus-app/quarkus-run.jar submit deploy/local/demo/mnist --labels-from-dir
Stop:
  deploy/local/down.sh
INFO
