#!/usr/bin/env bash
# Stops exactly what up.sh started (the worker first, so that it finishes its jobs, then the S3
# server and the broker). Data stays under the folder unless --purge is given.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${IMAGE_WORKER_LOCAL_DIR:-$ROOT/.local}"

[ -d "$DATA" ] || { echo "down.sh: nothing to stop ($DATA does not exist)"; exit 0; }

stop_worker() {
  local pidfile="$DATA/worker/pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    # The worker lets jobs in flight finish within its shutdown grace (20 s by default).
    for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

stop_worker
"$HERE/stack.sh" stop "$DATA/s3/pid"
"$HERE/stack.sh" stop "$DATA/kafka/pid"
echo "local stack stopped"
if [ "${1:-}" = "--purge" ]; then
  rm -rf "$DATA"
  echo "removed $DATA"
else
  echo "data kept under $DATA (down.sh --purge removes it)"
fi
