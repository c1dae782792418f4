#!/usr/bin/env bash
# Workloads 2 and 3 of BENCHMARKS.md with `presence loadtest` (server and generator in separate processes).
# Usage: signaling/bench/room.sh <label> <loadtest args...>
#   room100:  signaling/bench/room.sh room100 --transport tcp -n 100 -r 1 --rate 1000 -d 15
#   (env WARMUP_ARGS="...": a first loadtest run against the same server, not reported: JIT warm-up;
#    PRESENCE_JAR: the server's jar; GEN_JAR: the generator's jar, default the same)
#   resume:   signaling/bench/room.sh resume5k --transport tcp -n 5000 -r 500 --rate 500 -d 20 --drop-and-resume --parallel 32
# Prints the generator's report, and the CPU% of the server and of the generator over the generator's lifetime
# (utime+stime from /proc/<pid>/stat, 100 % = one core) and the load average.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; cd "$here"
label="$1"; shift
jar="${PRESENCE_JAR:-$here/../app/target/presence.jar}"
gen_jar="${GEN_JAR:-$jar}" # the generator's jar: lets an older server be measured with the current generator
WS_PORT="${WS_PORT:-18280}"; TCP_PORT="${TCP_PORT:-18282}"
pid=$(PRESENCE_JAR="$jar" ./start-presence.sh "$WS_PORT" "$TCP_PORT" ${SERVER_JVM_OPTS:-})
gen=""
trap 'kill $pid ${gen:-} 2>/dev/null || true' EXIT
sleep 2
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
args=("$@")
# port: the transport's listener of this server
port=$TCP_PORT; for a in "${args[@]}"; do [ "$a" = ws ] && port=$WS_PORT; done
if [ -n "${WARMUP_ARGS:-}" ]; then # JIT warm-up of the server with the given loadtest arguments, not reported
  java -jar "$gen_jar" loadtest --port "$port" $WARMUP_ARGS > "/tmp/room-$label-warmup.log" 2>&1 || true
fi
s0=$(ticks "$pid"); t0=$(date +%s.%N); l0=$(cut -d' ' -f1 /proc/loadavg)
java ${GEN_JVM_OPTS:-} -jar "$gen_jar" loadtest --port "$port" "${args[@]}" > "/tmp/room-$label.log" 2>&1 & gen=$!
g=0
while kill -0 "$gen" 2>/dev/null; do g=$(ticks "$gen"); s1=$(ticks "$pid"); t1=$(date +%s.%N); sleep 0.5; done
wait "$gen" || true
el=$(echo "$t1 - $t0" | bc -l)
grep -v -E '^\s*$|INFO|WARN' "/tmp/room-$label.log" | tail -12
printf '%s: server CPU %.0f%%, generator CPU %.0f%% over %.1f s; load %s -> %s\n' "$label" \
  "$(echo "($s1 - $s0) / $hz / $el * 100" | bc -l)" "$(echo "$g / $hz / $el * 100" | bc -l)" "$el" "$l0" \
  "$(cut -d' ' -f1 /proc/loadavg)"
