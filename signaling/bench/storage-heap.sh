#!/usr/bin/env bash
# Heap per persistent room, for BENCHMARKS.md: N rooms, each named (persistent) with about 200 messages of chat,
# measured as the appliance's used heap after a full GC (jcmd GC.run, then GC.heap_info) at three points:
#   baseline  after a warm-up room came and went;
#   loaded    every room loaded, its member joined, its history in memory (`loadtest --persistent --hold-after`);
#   unloaded  after every member left and the rooms unloaded (kept only in the database).
# Per room = (point - baseline) / N. A loaded room's figure includes its one member's session.
# Usage: signaling/bench/storage-heap.sh [rooms] [messages per room]     (default 500 200)
# Env: HISTO=1 also writes class histograms (/tmp/storage-heap-histo-{baseline,unloaded}.txt); PRESENCE_JAR, DB (h2 | mariadb; default h2), MARIADB_HOST/PORT/USER, RATE (loadtest msg/s, default 4000).
# Sets PRESENCE_STORAGE_ROOM_IDLE_UNLOAD=0s when the appliance has storage.roomIdleUnload, so that a room unloads
# as soon as its last member leaves (without that key, rooms unload at once when empty). Starts and stops its own
# appliance and load tool by PID; removes its data dir and drops its schema.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="${PRESENCE_JAR:-$here/../app/target/presence.jar}"
rooms="${1:-500}"; per_room="${2:-200}"
DB="${DB:-h2}"; RATE="${RATE:-4000}"
MARIADB_HOST="${MARIADB_HOST:-127.0.0.1}"; MARIADB_PORT="${MARIADB_PORT:-3306}"; MARIADB_USER="${MARIADB_USER:-root}"
WS_PORT="${WS_PORT:-18580}"; TCP_PORT="${TCP_PORT:-18582}"; METRICS_PORT="${METRICS_PORT:-18564}"
if [ ! -f "$jar" ]; then
  (cd "$here/../.." && mvn -B -q -pl signaling/app -am package -DskipTests)
fi

pid=""; gen=""; schema=""
data="$(mktemp -d /tmp/presence-storage-heap.XXXXXX)"
cleanup() {
  for p in $gen $pid; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ -n "$schema" ]; then
    mysql -h"$MARIADB_HOST" -P"$MARIADB_PORT" -u"$MARIADB_USER" -e "DROP DATABASE IF EXISTS $schema" || true
  fi
  rm -rf "$data"
}
trap cleanup EXIT

url=""
if [ "$DB" = mariadb ]; then
  schema="presence_heap_$(date +%s)_$$"
  mysql -h"$MARIADB_HOST" -P"$MARIADB_PORT" -u"$MARIADB_USER" \
    -e "CREATE DATABASE $schema CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
  url="jdbc:mysql://$MARIADB_HOST:$MARIADB_PORT/$schema"
fi
unload_env=()
if java -jar "$jar" example-config | grep -q 'roomIdleUnload:'; then
  unload_env=(PRESENCE_STORAGE_ROOM_IDLE_UNLOAD=0s)
fi

env "${unload_env[@]}" PRESENCE_SIGNALING_DEV_AUTH=true \
  PRESENCE_SIGNALING_MESSAGES_PER_SECOND=100000 PRESENCE_SIGNALING_MESSAGE_BURST=100000 \
  PRESENCE_SIGNALING_MAX_CONNECTIONS_PER_IP=100000 PRESENCE_SIGNALING_RESUME_GRACE=1s \
  PRESENCE_SIGNALING_HISTORY_SIZE="$per_room" \
  PRESENCE_METRICS_PORT="$METRICS_PORT" PRESENCE_STUN_PORT=0 \
  PRESENCE_SIGNALING_WS_PORT="$WS_PORT" PRESENCE_SIGNALING_TCP_PORT="$TCP_PORT" PRESENCE_SERVER_DATA_DIR="$data" \
  PRESENCE_STORAGE_URL="$url" PRESENCE_STORAGE_USER="$MARIADB_USER" \
  java -XX:+UseG1GC ${SERVER_JVM_OPTS:-} -jar "$jar" > /tmp/presence-storage-heap.log 2>&1 &
pid=$!
for i in $(seq 1 150); do
  if (exec 3<>/dev/tcp/127.0.0.1/"$TCP_PORT") 2>/dev/null; then break; fi
  kill -0 "$pid" 2>/dev/null || { echo "presence exited, see /tmp/presence-storage-heap.log" >&2; exit 1; }
  [ "$i" -lt 150 ] || { echo "presence did not open $TCP_PORT" >&2; exit 1; }
  sleep 0.2
done

# used heap in bytes after a full GC
heap() {
  jcmd "$pid" GC.run > /dev/null
  sleep 1
  jcmd "$pid" GC.run > /dev/null
  jcmd "$pid" GC.heap_info | sed -n 's/.*heap .*used \([0-9]*\)K.*/\1/p' | head -1 | awk '{print $1 * 1024}'
}
members_gauge() {
  curl -s --max-time 5 "http://127.0.0.1:$METRICS_PORT/metrics" | awk '/^presence_room_members / {m=$2} END {print m+0}'
}
rooms_gauge() {
  curl -s --max-time 5 "http://127.0.0.1:$METRICS_PORT/metrics" | awk '/^presence_rooms_active/ {r+=$2} END {print r+0}'
}

# warm-up: one persistent room that comes and goes, so the baseline has the classes and pools a room needs
java -jar "$jar" loadtest --port "$TCP_PORT" -n 2 -r 1 --rate 200 -d 2 --persistent > /dev/null 2>&1 || true
sleep 2
base=$(heap)
[ -z "${HISTO:-}" ] || jcmd "$pid" GC.class_histogram > /tmp/storage-heap-histo-baseline.txt

# Offers half as much again as needed: a busy machine acks less than offered, and a room keeps its newest
# signaling.historySize (= messages per room) in memory whatever it got.
seconds=$(( (rooms * per_room * 3 / 2 + RATE - 1) / RATE ))
rm -f /tmp/storage-heap-load.err  # a stale file would show the previous run's holding line
java -jar "$jar" loadtest --port "$TCP_PORT" -n "$rooms" -r "$rooms" --rate "$RATE" -d "$seconds" --window 64 \
  --persistent --parallel 16 --hold-after 30 --json > /tmp/storage-heap-load.json 2> /tmp/storage-heap-load.err &
gen=$!
for i in $(seq 1 $((seconds * 10 + 1200))); do
  grep -q ' holding ' /tmp/storage-heap-load.err && break
  kill -0 "$gen" 2>/dev/null || { echo "loadtest ended early, see /tmp/storage-heap-load.err" >&2; exit 1; }
  sleep 0.1
done
members=$(members_gauge); rooms_loaded=$(rooms_gauge)
loaded=$(heap)
wait "$gen" || { echo "loadtest failed, see /tmp/storage-heap-load.err" >&2; tail -3 /tmp/storage-heap-load.err >&2; }
gen=""
for _ in $(seq 1 100); do [ "$(members_gauge)" = 0 ] && break; sleep 0.2; done
sleep 2
unloaded=$(heap)
rooms_after=$(rooms_gauge)
[ -z "${HISTO:-}" ] || jcmd "$pid" GC.class_histogram > /tmp/storage-heap-histo-unloaded.txt
acked=$(sed -n 's/^ *"acked" : \([0-9]*\).*/\1/p' /tmp/storage-heap-load.json)

awk -v n="$rooms" -v b="$base" -v l="$loaded" -v u="$unloaded" -v a="$acked" -v m="$members" -v db="$DB" \
    -v rl="$rooms_loaded" -v ra="$rooms_after" 'BEGIN {
  printf "db %s, %d rooms, %.0f messages per room acked (the newest %d in memory), %d members while loaded\n", db, n, a / n, '"$per_room"', m
  printf "rooms loaded (presence_rooms_active): %d while loaded, %d after the members left\n", rl, ra
  printf "used heap after full GC: baseline %.1f MB, loaded %.1f MB, unloaded %.1f MB\n", b/1048576, l/1048576, u/1048576
  printf "per loaded room %.0f B (%.1f KB); per unloaded room %.0f B\n", (l-b)/n, (l-b)/n/1024, (u-b)/n
}'
