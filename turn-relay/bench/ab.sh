#!/usr/bin/env bash
# Concurrent A/B of two builds of this relay: both run side by side (2 event loops each, their own echo peers and
# relay port ranges) and get identical turnutils_uclient loads at the same moment, so whatever else the machine
# does hits both alike. Prints, per round, each server's CPU ticks and delivered/lost messages, and B's CPU per
# received message divided by A's. Sequential runs on a shared 2-core machine cannot resolve a few per cent; this
# can (an A/A control spread ±1 % at low load, up to ±9 % under load). See BENCHMARKS.md (TURN relay) and turn-relay/docs/benchmark-log.md.
#
#   bash turn-relay/bench/ab.sh <rev-a> <rev-b> [rounds] [uclient mode] [messages per client]
#   bash turn-relay/bench/ab.sh HEAD~1 HEAD 5 -c 3000
#   JOPTS_B=-Dio.netty.allocator.type=pooled bash turn-relay/bench/ab.sh HEAD HEAD 5 "-c -y"
#
# A revision is anything git accepts (a commit, a branch, HEAD); WORKTREE means the working tree as it is.
# JOPTS_A / JOPTS_B add JVM options to one side (an A/B of a setting on the same build); JAVA_A / JAVA_B pick the
# java binary of a side (default: java on the PATH). AB_WARM (3) warm-up runs precede the measured rounds.
# Needs: coturn's turnutils_uclient and turnutils_peer, a JDK 17, Maven.
set -euo pipefail
cd "$(dirname "$0")/../.."

REV_A=${1:?revision A}
REV_B=${2:?revision B}
ROUNDS=${3:-5}
MODE=${4:--c}
N=${5:-3000}
M=${BENCH_M:-50}
SECRET=bench-secret
WORK=$(mktemp -d)
PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for side in a b; do
    [ -d "$WORK/$side/src" ] && git worktree remove --force "$WORK/$side/src" >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# Builds one revision; prints its classpath.
build() { # <rev> <dir>
  local rev=$1 dir=$2 src
  mkdir -p "$dir"
  if [ "$rev" = WORKTREE ]; then
    src=$PWD
  else
    src="$dir/src"
    git worktree add -q --detach "$src" "$rev" >/dev/null
  fi
  (cd "$src" && mvn -B -q -Dstyle.color=never -pl turn-relay -am test-compile dependency:build-classpath \
      -Dmdep.outputFile="$dir/cp.txt" -Dmdep.includeScope=test >/dev/null)
  # The module's classes from this tree, before anything of the same name in the local repository.
  echo "$src/turn-relay/target/classes:$src/turn-relay/target/test-classes:$src/stun/target/classes:$src/metrics/target/classes:$(cat "$dir/cp.txt")"
}

CP_A=$(build "$REV_A" "$WORK/a")
CP_B=$(build "$REV_B" "$WORK/b")

start_relay() { # <classpath> <port> <relay min> <relay max> <jvm options> <java> -> pid
  mkfifo "$WORK/in.$2"
  # shellcheck disable=SC2086
  "$6" -XX:+UseSerialGC -Xms32m -Xmx512m $5 -cp "$1" io.presence.turn.interop.RelayMain \
    "$2" $SECRET presence "$3" "$4" 2 < "$WORK/in.$2" > "$WORK/out.$2" 2>&1 &
  PIDS+=($!)
  exec {fd}>"$WORK/in.$2"
  for _ in $(seq 1 100); do grep -q READY "$WORK/out.$2" 2>/dev/null && break; sleep 0.1; done
}

turnutils_peer -L 127.0.0.1 -p 23480 >/dev/null 2>&1 &
PIDS+=($!)
turnutils_peer -L 127.0.0.1 -p 23490 >/dev/null 2>&1 &
PIDS+=($!)
start_relay "$CP_A" 23578 26000 28999 "${JOPTS_A:-}" "${JAVA_A:-java}"
PID_A=${PIDS[-1]}
start_relay "$CP_B" 23678 29000 31999 "${JOPTS_B:-}" "${JAVA_B:-java}"
PID_B=${PIDS[-1]}

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Prints "received lost" for one uclient run against <port> with echo peer <peer port>.
drive() { # <port> <peer port> <messages>
  # shellcheck disable=SC2086
  timeout 300 turnutils_uclient $MODE -p "$1" -W $SECRET -u ab:x -e 127.0.0.1 -r "$2" -m "$M" -n "$3" -l 170 -z 1 \
    127.0.0.1 > "$WORK/uc.$1" 2>&1 || true
  echo "$(grep -o 'tot_recv_msgs=[0-9]*' "$WORK/uc.$1" | tail -1 | tr -dc 0-9) \
$(grep -o 'lost packets [0-9]*' "$WORK/uc.$1" | tail -1 | tr -dc 0-9)"
}

# Warm-up, not measured: the JIT compiles the hot paths in the first seconds (and is still at it after one run).
for _ in $(seq 1 "${AB_WARM:-3}"); do
  drive 23578 23480 4000 >/dev/null & W=$!
  drive 23678 23490 4000 >/dev/null
  wait $W
done

echo "A = $REV_A ${JOPTS_A:-}, B = $REV_B ${JOPTS_B:-}; uclient $MODE -m $M -n $N -l 170 -z 1"
for r in $(seq 1 "$ROUNDS"); do
  a0=$(ticks "$PID_A"); b0=$(ticks "$PID_B")
  drive 23578 23480 "$N" > "$WORK/ra" & W=$!
  drive 23678 23490 "$N" > "$WORK/rb"
  wait $W
  a1=$(ticks "$PID_A"); b1=$(ticks "$PID_B")
  read -r ra la < "$WORK/ra"; read -r rb lb < "$WORK/rb"
  echo "round $r: A ticks=$((a1 - a0)) received=${ra:-0} lost=${la:-?} | B ticks=$((b1 - b0)) received=${rb:-0} \
lost=${lb:-?} | B/A CPU per message=$(awk -v a=$((a1 - a0)) -v b=$((b1 - b0)) -v ra="${ra:-0}" -v rb="${rb:-0}" \
    'BEGIN { if (a > 0 && ra > 0 && rb > 0) printf "%.3f", (b / rb) / (a / ra); else print "n/a" }')"
done
