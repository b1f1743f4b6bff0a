# Sourced by demo.sh and bench.sh: where things are, and getting a clean stack to start from.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${IMAGE_WORKER_LOCAL_DIR:-$ROOT/.local}"
APP="$ROOT/tools/target/quarkus-app/quarkus-run.jar"          # the tools: submit, bench, ...
WORKER_APP="$ROOT/worker/target/quarkus-app/quarkus-run.jar"  # the worker, as its image runs it
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
export IMAGE_WORKER_LOCAL_DIR="$DATA"

# Builds the application on first use, and again when a source is newer than the build.
build_if_needed() {
  if [ ! -f "$APP" ] || [ ! -f "$WORKER_APP" ]; then
    echo "building the application (first run) ..."
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
  elif [ -n "$(cd "$ROOT" && find worker/src tools/src datasets/src pom.xml worker/pom.xml tools/pom.xml -newer "$APP" -print -quit 2>/dev/null)" ]; then
    # a stale build would run old code without a word
    echo "building the application (sources changed since the last build) ..."
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
  fi
}

# Stops a stack left over from an interrupted run (it would hold the ports).
stop_leftover() {
  if [ -f "$DATA/worker/pid" ] || [ -f "$DATA/kafka/pid" ] || [ -f "$DATA/s3/pid" ]; then
    "$HERE/down.sh" >/dev/null
  fi
}
