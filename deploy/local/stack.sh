#!/usr/bin/env bash
# Starts and stops the pieces of the local stack, one at a time, as real processes:
# an Apache Kafka broker (KRaft, single node) and an s3proxy S3 server (SigV4 checked).
# up.sh uses it on the fixed ports; the test suite uses it on free ports.
#
#   stack.sh fetch                                  copy the jars from Maven Central (once)
#   stack.sh kafka-start DIR PORT CONTROLLER_PORT   broker with its data in DIR; prints its PID
#   stack.sh kafka-start-sasl DIR PORT CONTROLLER_PORT USER PASSWORD
#                                                   the same, clients must authenticate (SASL_PLAINTEXT,
#                                                   SCRAM-SHA-512 as USER; the broker itself uses user 'admin'
#                                                   with the same password)
#   stack.sh s3-start DIR PORT ACCESS_KEY SECRET    S3 server with its buckets in DIR/data; prints its PID
#   stack.sh topic BOOTSTRAP NAME PARTITIONS        create a topic unless it exists
#   stack.sh stop PIDFILE                           SIGTERM, then SIGKILL after 10 s
#
# Each start waits until the service is ready and fails with the log's tail if it is not.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
LIB="$HERE/target/kafka-lib"
S3PROXY="$HERE/target/s3proxy/s3proxy.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

die() { echo "stack.sh: $*" >&2; exit 1; }

fetch() {
  if [ ! -f "$LIB/kafka_2.13-4.1.2.jar" ] || [ ! -f "$S3PROXY" ]; then
    (cd "$ROOT" && ./mvnw -B -q -f deploy/local/pom.xml package) >&2 || die "could not fetch the stack's jars"
  fi
}

wait_for_log() { # file pattern pid seconds
  local file=$1 pattern=$2 pid=$3 secs=$4
  for _ in $(seq 1 $((secs * 10))); do
    if grep -q "$pattern" "$file" 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$file" >&2; die "process $pid exited before it was ready (log: $file)"
    fi
    sleep 0.1
  done
  tail -n 30 "$file" >&2; die "not ready after ${secs}s (log: $file)"
}

wait_for_port() { # port pid seconds log
  local port=$1 pid=$2 secs=$3 log=$4
  for _ in $(seq 1 $((secs * 10))); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$log" >&2; die "process $pid exited before it was ready (log: $log)"
    fi
    sleep 0.1
  done
  tail -n 30 "$log" >&2; die "port $port not open after ${secs}s (log: $log)"
}

kafka_start() {
  local dir=$1 port=$2 cport=$3 user=${4:-} password=${5:-}
  local proto=PLAINTEXT scram=()
  fetch
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  [ -n "$user" ] && proto=SASL_PLAINTEXT
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=$proto://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=$proto://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=$proto
listener.security.protocol.map=$proto:$proto,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# Larger than the worker's own event limit (1 MiB), so that the worker's check can be tested.
message.max.bytes=4194304
PROPS
  if [ -n "$user" ]; then
    chmod 600 "$dir/server.properties"
    cat >> "$dir/server.properties" <<PROPS
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$password";
PROPS
    scram=(--add-scram "SCRAM-SHA-512=[name=admin,password=$password]" --add-scram "SCRAM-SHA-512=[name=$user,password=$password]")
  fi
  if [ ! -f "$dir/data/meta.properties" ]; then
    local id
    id=$("$JAVA" -cp "$LIB/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
    "$JAVA" -Dlog4j2.configurationFile="$HERE/log4j2-broker.properties" -cp "$LIB/*" kafka.tools.StorageTool format \
      -t "$id" -c "$dir/server.properties" "${scram[@]}" > "$dir/format.log" 2>&1 \
      || { cat "$dir/format.log" >&2; die "storage format failed"; }
  fi
  : > "$dir/broker.log"
  nohup "$JAVA" -Xmx512m -XX:+UseSerialGC -Dlog4j2.configurationFile="$HERE/log4j2-broker.properties" \
    -cp "$LIB/*" kafka.Kafka "$dir/server.properties" >> "$dir/broker.log" 2>&1 < /dev/null &
  local pid=$!
  echo "$pid" > "$dir/pid"
  wait_for_log "$dir/broker.log" "Kafka Server started" "$pid" 90
  echo "$pid"
}

s3_start() {
  local dir=$1 port=$2 key=$3 secret=$4
  fetch
  mkdir -p "$dir/data"
  dir="$(cd "$dir" && pwd)"
  cat > "$dir/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$key
s3proxy.credential=$secret
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$dir/data
PROPS
  chmod 600 "$dir/s3proxy.properties"
  : > "$dir/s3proxy.log"
  nohup "$JAVA" -Xmx256m -XX:+UseSerialGC -jar "$S3PROXY" --properties "$dir/s3proxy.properties" \
    >> "$dir/s3proxy.log" 2>&1 < /dev/null &
  local pid=$!
  echo "$pid" > "$dir/pid"
  wait_for_port "$port" "$pid" 60 "$dir/s3proxy.log"
  echo "$pid"
}

topic() {
  local bootstrap=$1 name=$2 partitions=$3
  fetch
  "$JAVA" -Dlog4j2.configurationFile="$HERE/log4j2-broker.properties" -cp "$LIB/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$name" --partitions "$partitions" \
    --replication-factor 1 >/dev/null
}

stop() {
  local pidfile=$1 pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

cmd=${1:-}; shift || true
case "$cmd" in
  fetch) fetch ;;
  kafka-start) [ $# -eq 3 ] || die "usage: kafka-start DIR PORT CONTROLLER_PORT"; kafka_start "$@" ;;
  kafka-start-sasl) [ $# -eq 5 ] || die "usage: kafka-start-sasl DIR PORT CONTROLLER_PORT USER PASSWORD"; kafka_start "$@" ;;
  s3-start) [ $# -eq 4 ] || die "usage: s3-start DIR PORT ACCESS_KEY SECRET"; s3_start "$@" ;;
  topic) [ $# -eq 3 ] || die "usage: topic BOOTSTRAP NAME PARTITIONS"; topic "$@" ;;
  stop) [ $# -eq 1 ] || die "usage: stop PIDFILE"; stop "$@" ;;
  *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
