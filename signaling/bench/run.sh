#!/usr/bin/env bash
# Workload 4 of BENCHMARKS.md: the same one-to-one relay driver (relay.js) against the PeerJS server and against Presence,
# in the same run, alternating (peerjs, presence, peerjs, presence, ...) so both see the same machine state.
#
# Usage: signaling/bench/run.sh [rounds] [seconds]  (env: PAIRS, WINDOW or RATE, WARMUP, PAYLOAD, PROCS (driver
#        processes, default 1), TARGETS (default "peerjs-candidate presence-signal", the like-for-like pair; any of
#        relay.js's adapters: peerjs, peerjs-candidate, presence, presence-chat-noack, presence-signal, presence-tcp))
#   needs: signaling/app/target/presence.jar (mvn -B -q -DskipTests package) and `npm ci` in signaling/bench.
# For each run it prints the driver's JSON line plus the server process's CPU% over the whole run (utime+stime from
# /proc/<pid>/stat) and the load average. Results also go to signaling/bench/results/relay-<timestamp>.jsonl.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
rounds="${1:-3}"; secs="${2:-10}"
PAIRS="${PAIRS:-50}"; WARMUP="${WARMUP:-3}"; PAYLOAD="${PAYLOAD:-0}"; PROCS="${PROCS:-1}"
TARGETS="${TARGETS:-peerjs-candidate presence-signal}"
mode=(--window "${WINDOW:-4}"); [ -n "${RATE:-}" ] && mode=(--rate "$RATE")
PEER_PORT="${PEER_PORT:-19000}"; WS_PORT="${WS_PORT:-18080}"; TCP_PORT="${TCP_PORT:-18082}"
mkdir -p results; out="results/relay-$(date +%Y%m%d-%H%M%S).jsonl"
[ -d node_modules ] || npm ci --no-audit --no-fund

node peerjs-server.js "$PEER_PORT" > /tmp/peerjs-bench.log 2>&1 & peer_pid=$!
pres_pid=$(./start-presence.sh "$WS_PORT" "$TCP_PORT" ${JVM_OPTS:-})
trap 'kill $peer_pid $pres_pid 2>/dev/null || true' EXIT
sleep 1
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
sticks() { awk '{print $15}' "/proc/$1/stat"; } # kernel time alone
hz=$(getconf CLK_TCK)

server_of() {
  case "$1" in
    peerjs*) pid=$peer_pid; port=$PEER_PORT ;;
    presence-tcp) pid=$pres_pid; port=$TCP_PORT ;;
    presence*) pid=$pres_pid; port=$WS_PORT ;;
    *) echo "unknown target $1" >&2; exit 1 ;;
  esac
}

# JIT warm-up for the JVM (and a first pass for node) with every target, not reported
for target in $TARGETS; do
  server_of "$target"
  node relay.js --target "$target" --port "$port" --pairs "$PAIRS" "${mode[@]}" --procs "$PROCS" --duration 5 \
    --warmup 1 > /dev/null
done

for r in $(seq 1 "$rounds"); do
  for target in $TARGETS; do
    server_of "$target"
    c0=$(ticks "$pid"); k0=$(sticks "$pid"); t0=$(date +%s.%N)
    line=$(node relay.js --target "$target" --port "$port" --pairs "$PAIRS" "${mode[@]}" --duration "$secs" \
      --warmup "$WARMUP" --payload "$PAYLOAD" --procs "$PROCS")
    c1=$(ticks "$pid"); k1=$(sticks "$pid"); t1=$(date +%s.%N)
    cpu=$(echo "($c1 - $c0) / $hz / ($t1 - $t0) * 100" | bc -l | xargs printf '%.0f')
    sys=$(echo "($k1 - $k0) / $hz / ($t1 - $t0) * 100" | bc -l | xargs printf '%.0f')
    load=$(cut -d' ' -f1 /proc/loadavg)
    full="${line%\}},\"round\":$r,\"serverCpuPercent\":$cpu,\"serverSysPercent\":$sys,\"loadavg1\":$load}"
    echo "$full" | tee -a "$out"
  done
done
echo "results: $here/$out"
