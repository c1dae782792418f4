#!/usr/bin/env bash
# Workload 1 of BENCHMARKS.md: heap and RSS per idle session. Starts a Presence server, measures it idle (after GC), then
# opens N idle sessions from a separate generator process (`presence loadtest --idle`), measures again after GC.
# Usage: signaling/bench/idle.sh [sessions=15000] [transport=tcp] [membersPerRoom=10]   (env: SERVER_JVM_OPTS)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; cd "$here"
n="${1:-15000}"; transport="${2:-tcp}"; mpr="${3:-10}"
jar="${PRESENCE_JAR:-$here/../app/target/presence.jar}"
WS_PORT="${WS_PORT:-18180}"; TCP_PORT="${TCP_PORT:-18182}"
port=$TCP_PORT; [ "$transport" = ws ] && port=$WS_PORT
pid=$(PRESENCE_JAR="$jar" ./start-presence.sh "$WS_PORT" "$TCP_PORT" ${SERVER_JVM_OPTS:-})
gen=""
trap 'kill $pid ${gen:-} 2>/dev/null || true' EXIT
measure() { # label
  jcmd "$pid" GC.run > /dev/null; sleep 1; jcmd "$pid" GC.run > /dev/null; sleep 1
  local used rss fds
  used=$(jcmd "$pid" GC.heap_info | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+')
  rss=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
  fds=$(ls "/proc/$pid/fd" | wc -l)
  echo "$1 heapUsedKB=$used rssKB=$rss fds=$fds load=$(cut -d' ' -f1 /proc/loadavg)"
}
sleep 3
base=$(measure baseline); echo "$base"
log=/tmp/idle-gen-$$.log
java -jar "$jar" loadtest --idle --transport "$transport" --port "$port" -n "$n" --members-per-room "$mpr" \
  --parallel 16 --hold 600 > "$log" 2>&1 & gen=$!
t0=$(date +%s)
until grep -q READY "$log"; do
  kill -0 "$gen" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 1
done
echo "$(grep READY "$log") after $(( $(date +%s) - t0 )) s; generator fds=$(ls /proc/$gen/fd | wc -l)"
sleep 5
loaded=$(measure "with-$n"); echo "$loaded"
b_heap=$(echo "$base" | grep -oE 'heapUsedKB=[0-9]+' | cut -d= -f2); l_heap=$(echo "$loaded" | grep -oE 'heapUsedKB=[0-9]+' | cut -d= -f2)
b_rss=$(echo "$base" | grep -oE 'rssKB=[0-9]+' | cut -d= -f2); l_rss=$(echo "$loaded" | grep -oE 'rssKB=[0-9]+' | cut -d= -f2)
sessions=$(grep READY "$log" | awk '{print $2}')
echo "per session: heap $(echo "($l_heap - $b_heap) * 1024 / $sessions" | bc) bytes, RSS $(echo "($l_rss - $b_rss) * 1024 / $sessions" | bc) bytes ($sessions sessions, $transport, $mpr per room)"
kill "$gen"; wait "$gen" 2>/dev/null || true
