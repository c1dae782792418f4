#!/usr/bin/env bash
# The storage benchmark of BENCHMARKS.md: acknowledged chat messages per second into persistent rooms (each ack
# after its commit), on MariaDB and on the embedded H2, with storage.groupCommit on and off, all in one run.
# Usage: signaling/bench/storage.sh [rounds]            (default 3)
# Per round and per database × group commit: a fresh appliance (fresh MariaDB schema, or a fresh H2 data dir), a
# warm-up load (not reported), then
#   target:   `presence loadtest --persistent` offering RATE msg/s (default 5000): acked msg/s, ack p50/p99;
#   capacity: the same offering CAP_RATE msg/s with at most CAP_WINDOW unacked per sender: acked msg/s;
# each with commits and average batch size from /metrics (presence_storage_write_batch_size_count/_sum).
# Prints one row per run, then the medians over the rounds and the ratios group commit on/off.
# Env: PRESENCE_JAR, MARIADB_HOST (127.0.0.1), MARIADB_PORT (3306), MARIADB_USER (root), DBS ("mariadb h2"),
#      N (100 sessions), ROOMS (50), RATE (5000), WINDOW (64), CAP_RATE (50000), CAP_WINDOW (16), DURATION (10 s),
#      WARMUP (5 s), OUT (results file, default /tmp/storage-bench-<ts>.tsv), SERVER_JVM_OPTS and CLIENT_JVM_OPTS
#      (extra JVM options of the appliance and of the load generator, e.g. -Xlog:gc:file=...).
# Builds nothing when the jar exists; starts and stops its own appliances by PID; drops the schemas it made.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="${PRESENCE_JAR:-$here/../app/target/presence.jar}"
rounds="${1:-3}"
N="${N:-100}"; ROOMS="${ROOMS:-50}"; RATE="${RATE:-5000}"; WINDOW="${WINDOW:-64}"
CAP_RATE="${CAP_RATE:-50000}"; CAP_WINDOW="${CAP_WINDOW:-16}"; DURATION="${DURATION:-10}"; WARMUP="${WARMUP:-5}"
DBS="${DBS:-mariadb h2}"
MARIADB_HOST="${MARIADB_HOST:-127.0.0.1}"; MARIADB_PORT="${MARIADB_PORT:-3306}"; MARIADB_USER="${MARIADB_USER:-root}"
WS_PORT="${WS_PORT:-18480}"; TCP_PORT="${TCP_PORT:-18482}"; METRICS_PORT="${METRICS_PORT:-18464}"
OUT="${OUT:-/tmp/storage-bench-$(date -u +%Y%m%d-%H%M%S).tsv}"

if [ ! -f "$jar" ]; then
  (cd "$here/../.." && mvn -B -q -pl signaling/app -am package -DskipTests)
fi

pid=""; schema=""; data=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi
  if [ -n "$schema" ]; then
    mysql -h"$MARIADB_HOST" -P"$MARIADB_PORT" -u"$MARIADB_USER" -e "DROP DATABASE IF EXISTS $schema" || true
    schema=""
  fi
  if [ -n "$data" ]; then rm -rf "$data"; data=""; fi
}
trap cleanup EXIT

# start <db> <groupCommit>: a fresh appliance on a fresh database; sets pid (and schema or data).
start() {
  local db="$1" gc="$2" url=""
  data="$(mktemp -d /tmp/presence-storage-bench.XXXXXX)"
  if [ "$db" = mariadb ]; then
    schema="presence_bench_$(date +%s)_$$_$RANDOM"
    mysql -h"$MARIADB_HOST" -P"$MARIADB_PORT" -u"$MARIADB_USER" \
      -e "CREATE DATABASE $schema CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
    url="jdbc:mysql://$MARIADB_HOST:$MARIADB_PORT/$schema"
  fi
  PRESENCE_SIGNALING_DEV_AUTH=true \
  PRESENCE_SIGNALING_MESSAGES_PER_SECOND=100000 PRESENCE_SIGNALING_MESSAGE_BURST=100000 \
  PRESENCE_SIGNALING_MAX_CONNECTIONS_PER_IP=100000 \
  PRESENCE_METRICS_PORT="$METRICS_PORT" PRESENCE_STUN_PORT=0 \
  PRESENCE_SIGNALING_WS_PORT="$WS_PORT" PRESENCE_SIGNALING_TCP_PORT="$TCP_PORT" \
  PRESENCE_SERVER_DATA_DIR="$data" \
  PRESENCE_STORAGE_URL="$url" PRESENCE_STORAGE_USER="$MARIADB_USER" PRESENCE_STORAGE_GROUP_COMMIT="$gc" \
    java ${SERVER_JVM_OPTS:-} -jar "$jar" > "/tmp/presence-storage-bench-$WS_PORT.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 150); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$TCP_PORT") 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "presence exited, see /tmp/presence-storage-bench-$WS_PORT.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "presence did not open $TCP_PORT" >&2; exit 1
}

# batches: "<commits> <messages>" so far, from the appliance's /metrics
batches() {
  curl -s --max-time 5 "http://127.0.0.1:$METRICS_PORT/metrics" | awk '
    /^presence_storage_write_batch_size_count/ {c=$2} /^presence_storage_write_batch_size_sum/ {s=$2}
    END {printf "%d %d\n", c, s}'
}

# field <json file> <name>: one number of the loadtest's JSON report
field() { sed -n "s/^ *\"$2\" : \\([0-9.E-]*\\).*/\\1/p" "$1" | head -1; }

hz=$(getconf CLK_TCK)
ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
dbpid() { pgrep -x mariadbd || pgrep -x mysqld || echo 0; }

# load <label> <rate> <window> <seconds>: one loadtest run; prints "acked/s p50ms p99ms errors commits avgBatch
# appliance-CPU-µs/msg database-CPU-µs/msg" (CPU: utime+stime of the process over the run, per acked message)
load() {
  local label="$1" rate="$2" window="$3" seconds="$4" json="/tmp/storage-bench-$1.json" db
  db=$(dbpid | head -1)
  read -r c0 m0 < <(batches)
  local s0 d0; s0=$(ticks "$pid"); d0=$(ticks "$db")
  timeout $((seconds + 90)) java ${CLIENT_JVM_OPTS:-} -jar "$jar" loadtest --port "$TCP_PORT" -n "$N" -r "$ROOMS" --rate "$rate" \
    --window "$window" -d "$seconds" --persistent --max-errors 1000000 --json > "$json" 2> "/tmp/storage-bench-$label.err" || true
  read -r c1 m1 < <(batches)
  local s1 d1; s1=$(ticks "$pid"); d1=$(ticks "$db")
  local commits=$((c1 - c0)) messages=$((m1 - m0))
  awk -v a="$(field "$json" ackedPerSecond)" -v p50="$(field "$json" ackP50Micros)" \
      -v p99="$(field "$json" ackP99Micros)" -v e="$(field "$json" errors)" -v c="$commits" -v m="$messages" \
      -v sc="$((s1 - s0))" -v dc="$((d1 - d0))" -v hz="$hz" -v acked="$(field "$json" acked)" \
      'BEGIN {printf "%.0f\t%.1f\t%.1f\t%d\t%d\t%.1f\t%.0f\t%.0f\n", a, p50/1000, p99/1000, e, c, (c > 0 ? m/c : 0),
              (acked > 0 ? sc/hz*1e6/acked : 0), (acked > 0 ? dc/hz*1e6/acked : 0)}'
}

printf 'round\tdb\tgroupCommit\tworkload\tacked/s\tp50 ms\tp99 ms\terrors\tcommits\tavg batch\tapp µs/msg\tdb µs/msg\n' | tee "$OUT"
for round in $(seq 1 "$rounds"); do
  for db in $DBS; do
    for gc in true false; do
      start "$db" "$gc"
      load warmup "$RATE" "$WINDOW" "$WARMUP" > /dev/null
      printf '%s\t%s\t%s\ttarget\t%s\n' "$round" "$db" "$gc" "$(load target "$RATE" "$WINDOW" "$DURATION")" | tee -a "$OUT"
      printf '%s\t%s\t%s\tcapacity\t%s\n' "$round" "$db" "$gc" \
        "$(load capacity "$CAP_RATE" "$CAP_WINDOW" "$DURATION")" | tee -a "$OUT"
      cleanup
    done
  done
done

echo
echo "medians over $rounds round(s) (N=$N sessions in $ROOMS rooms; target $RATE msg/s window $WINDOW; capacity $CAP_RATE msg/s window $CAP_WINDOW; ${DURATION} s each):"
printf 'db\tgroupCommit\tworkload\tacked/s\tp50 ms\tp99 ms\terrors\tavg batch\tapp µs/msg\tdb µs/msg\n'
median() { sort -g | awk '{v[NR]=$1} END {if (NR == 0) print 0; else if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
for db in $DBS; do
  for gc in true false; do
    for w in target capacity; do
      rows=$(awk -F'\t' -v d="$db" -v g="$gc" -v w="$w" '$2==d && $3==g && $4==w' "$OUT")
      printf '%s\t%s\t%s' "$db" "$gc" "$w"
      for col in 5 6 7 8 10 11 12; do printf '\t%s' "$(echo "$rows" | cut -f$col | median)"; done
      echo
    done
  done
done
echo
echo "ratios group commit on/off (medians of acked/s; CPU per message is the load-independent view):"
for db in $DBS; do
  for w in target capacity; do
    on=$(awk -F'\t' -v d="$db" -v w="$w" '$2==d && $3=="true" && $4==w {print $5}' "$OUT" | median)
    off=$(awk -F'\t' -v d="$db" -v w="$w" '$2==d && $3=="false" && $4==w {print $5}' "$OUT" | median)
    awk -v d="$db" -v w="$w" -v a="$on" -v b="$off" 'BEGIN {printf "%s %s: %s / %s = %.1fx\n", d, w, a, b, (b > 0 ? a/b : 0)}'
  done
done
echo "rows: $OUT"
