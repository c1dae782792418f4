#!/usr/bin/env bash
# Compares this relay with coturn (turnserver from the same Debian package as turnutils_*) on loopback, in the
# same run, with equivalent settings: REST secret, loopback peers allowed, no TLS/DTLS, relay ports outside the
# kernel's ephemeral range. Prints a Markdown table; see BENCHMARKS.md (TURN relay) and turn-relay/docs/benchmark-log.md.
#
#   bash turn-relay/bench/run.sh            # from the repository root; BENCH_N=2000 for a quicker run
#                                           # BENCH_ROUNDS (3): uclient rounds per mode and server
#
# Needs: coturn (turnserver, turnutils_uclient, turnutils_peer), a JDK 17, Maven (offline is fine).
# Measures, per server: uclient delivered/lost; server CPU time (utime+stime from /proc/<pid>/stat) per relayed
# message; /proc/net/snmp Udp InDatagrams as a cross-check; allocation cycles/s and CPU per cycle; resident
# memory per idle allocation at BENCH_IDLE allocations.
set -euo pipefail
cd "$(dirname "$0")/../.."

N=${BENCH_N:-10000}
ROUNDS=${BENCH_ROUNDS:-3}
M=${BENCH_M:-50}
IDLE=${BENCH_IDLE:-5000}
CYCLE_SECONDS=${BENCH_CYCLE_SECONDS:-5}
CYCLE_THREADS=${BENCH_CYCLE_THREADS:-4}
RELAY_THREADS=${BENCH_RELAY_THREADS:-2}
SECRET=bench-secret
REALM=presence
COTURN_PORT=23478
OURS_PORT=23578
PEER_PORT=23480
WORK=$(mktemp -d)
LOGS=${BENCH_LOGS:-/tmp/turn-bench-logs}
HZ=$(getconf CLK_TCK)
PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -d "$LOGS" ] && cp "$WORK"/ours.out* "$WORK/coturn.log" "$LOGS/" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mvn -B -q -Dstyle.color=never -pl turn-relay -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test >/dev/null
CP="turn-relay/target/classes:turn-relay/target/test-classes:$(cat turn-relay/target/cp.txt)"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# CPU ticks of a JVM's JIT compiler threads (C1, C2); 0 for coturn. A thread's name has a space: fields are counted
# after the closing parenthesis.
jit_ticks() {
  local t=0 d
  for d in /proc/$1/task/*; do
    case "$(cat "$d/comm" 2>/dev/null)" in
      C1\ Compiler*|C2\ Compiler*) t=$((t + $(sed 's/.*) //' "$d/stat" | awk '{print $12 + $13}'))) ;;
    esac
  done
  echo $t
}
udp_in() { awk '/^Udp: [0-9]/ {print $2}' /proc/net/snmp; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

turnutils_peer -L 127.0.0.1 -p $PEER_PORT >/dev/null 2>&1 &
PIDS+=($!)

# Starts (or restarts) both servers: sets COTURN and OURS. The idle-memory measurement gets fresh processes, because
# a server that has just run the allocation cycles reuses memory it freed: coturn's RSS grew by ~108 MB during 3 s
# of cycles and then by only ~2 MB for 5,000 idle allocations (0.0 KB per allocation in three runs).
start_servers() {
  if [ -n "${COTURN:-}" ]; then
    exec 7>&- # the relay prints its non-zero counters when its stdin closes, then exits
    for _ in $(seq 1 50); do kill -0 "$OURS" 2>/dev/null || break; sleep 0.1; done
    kill "$COTURN" "$OURS" 2>/dev/null || true
    wait "$COTURN" "$OURS" 2>/dev/null || true
    cp "$WORK/ours.out" "$WORK/ours.out.relaying"
    rm -f "$WORK/ours.in"
  fi
  turnserver -n --listening-ip=127.0.0.1 --relay-ip=127.0.0.1 -p $COTURN_PORT --min-port=20000 --max-port=25999 \
    --use-auth-secret --static-auth-secret=$SECRET --realm=$REALM --no-tls --no-dtls --no-cli \
    --allow-loopback-peers --log-file="$WORK/coturn.log" --simple-log --pidfile="$WORK/coturn.pid" \
    --relay-threads=$RELAY_THREADS >/dev/null 2>&1 &
  COTURN=$!
  PIDS+=($COTURN)

  mkfifo "$WORK/ours.in"
  : > "$WORK/ours.out"
  java -XX:+UseSerialGC -Xms32m -Xmx512m -cp "$CP" io.presence.turn.interop.RelayMain \
    $OURS_PORT $SECRET $REALM 26000 31999 $RELAY_THREADS < "$WORK/ours.in" > "$WORK/ours.out" 2>&1 &
  OURS=$!
  PIDS+=($OURS)
  exec 7>"$WORK/ours.in"
  for _ in $(seq 1 100); do grep -q READY "$WORK/ours.out" 2>/dev/null && break; sleep 0.1; done
  sleep 1
}
start_servers

# Receive-queue drops per socket during a run, from /proc/net/udp sampled every 0.2 s (a socket closed before the
# end still counts with its last sample), as deltas against a snapshot taken before the run. Prints
# "stun relay peer other": the server's STUN port, its relay port range, the echo peer, and everything else
# (uclient's own sockets). Tells which queue overflowed when uclient reports loss.
udp_watch_start() {
  cat /proc/net/udp > "$WORK/udp.base"
  ( for _ in $(seq 1 3000); do cat /proc/net/udp; sleep 0.2; done ) > "$WORK/udp.snap" &
  WATCH=$!
}
udp_watch_stop() { # <stun port> <relay min> <relay max>
  kill "$WATCH" 2>/dev/null || true
  wait "$WATCH" 2>/dev/null || true
  awk -v stun="$1" -v rmin="$2" -v rmax="$3" -v peer="$PEER_PORT" '
    function hex(h,   i, n) { n = 0; h = toupper(h); for (i = 1; i <= length(h); i++) n = n * 16 + index("0123456789ABCDEF", substr(h, i, 1)) - 1; return n }
    $1 == "sl" { next }
    FNR == NR { base[$10] = $13; next }
    { split($2, a, ":"); port[$10] = hex(a[2]); if ($13 + 0 > max[$10] + 0) max[$10] = $13 }
    END {
      for (i in max) {
        d = max[i] - base[i]; if (d <= 0) continue
        p = port[i]
        if (p == stun) s += d; else if (p >= rmin && p <= rmax) r += d; else if (p == peer) e += d; else o += d
      }
      printf "%d/%d/%d/%d", s, r, e, o
    }' "$WORK/udp.base" "$WORK/udp.snap"
}

# One uclient run against one server: prints "sent recv lost cpu_us udp_in drops jit_ticks cpu_ticks"
relay_run() {
  local pid=$1 port=$2; shift 2
  local c0 u0 c1 u1 j0 j1 rmin=26000 rmax=31999
  [ "$port" = "$COTURN_PORT" ] && rmin=20000 && rmax=25999
  udp_watch_start
  j0=$(jit_ticks "$pid"); c0=$(cpu_ticks "$pid"); u0=$(udp_in)
  timeout 300 turnutils_uclient "$@" -p "$port" -W $SECRET -u bench:user -e 127.0.0.1 -r $PEER_PORT \
    -m "$M" -n "$N" -l 170 -z 1 127.0.0.1 > "$WORK/uclient.log" 2>&1 || true
  c1=$(cpu_ticks "$pid"); u1=$(udp_in); j1=$(jit_ticks "$pid")
  local totals lost
  totals=$(grep -o 'tot_send_msgs=[0-9]*, tot_recv_msgs=[0-9]*' "$WORK/uclient.log" | tail -1 | tr -dc '0-9 ,' | tr ',' ' ')
  lost=$(grep -o 'Total lost packets [0-9]*' "$WORK/uclient.log" | tail -1 | awk '{print $4}')
  local sent recv
  sent=$(echo "$totals" | awk '{print $1}'); recv=$(echo "$totals" | awk '{print $2}')
  # A round that did not deliver everything keeps its uclient log (BENCH_LOGS, default /tmp/turn-bench-logs).
  if [ "${recv:-0}" != "$((M * N))" ] || [ "${lost:-?}" != 0 ]; then
    mkdir -p "$LOGS"
    cp "$WORK/uclient.log" "$LOGS/uclient-$port-$(date +%H%M%S).log"
    echo "uclient $* on port $port: sent ${sent:-?} received ${recv:-?} lost ${lost:-?}; log kept in $LOGS" >&2
  fi
  echo "$sent $recv ${lost:-?} $(( (c1 - c0) * 1000000 / HZ )) $((u1 - u0)) $(udp_watch_stop "$port" $rmin $rmax) $((j1 - j0)) $((c1 - c0))"
}

# Allocation cycles: prints "cycles seconds errors cpu_us"
cycle_run() {
  local pid=$1 port=$2 c0 c1 out
  c0=$(cpu_ticks "$pid")
  out=$(java -cp "$CP" io.presence.turn.interop.BenchClient cycles "$port" $SECRET "$CYCLE_SECONDS" "$CYCLE_THREADS")
  c1=$(cpu_ticks "$pid")
  # errors by STUN error code (-1: a timeout), e.g. {437=1368}: coturn answers 437 when a client port is reused
  # while it still holds the allocation that port had
  echo "$(echo "$out" | awk '{print $2, $4, $6}') $(( (c1 - c0) * 1000000 / HZ )) $(echo "$out" | sed -n 's/.*ERRORS [0-9]* //p' | tr -d ' ')"
}

# Idle allocations: prints "held rss_delta_kb"
idle_run() {
  local pid=$1 port=$2 java_pid=${3:-} r0 r1 held
  [ -n "$java_pid" ] && jcmd "$java_pid" GC.run >/dev/null 2>&1 || true
  r0=$(rss_kb "$pid")
  mkfifo "$WORK/idle.in"
  java -cp "$CP" io.presence.turn.interop.BenchClient idle "$port" $SECRET "$IDLE" < "$WORK/idle.in" > "$WORK/idle.out" 2>&1 &
  local client=$!
  exec 8>"$WORK/idle.in"
  for _ in $(seq 1 1200); do grep -q HELD "$WORK/idle.out" 2>/dev/null && break; sleep 0.1; done
  sleep 1
  [ -n "$java_pid" ] && jcmd "$java_pid" GC.run >/dev/null 2>&1 || true
  sleep 0.5
  r1=$(rss_kb "$pid")
  held=$(awk '/HELD/ {print $2}' "$WORK/idle.out")
  exec 8>&-
  wait $client 2>/dev/null || true
  rm -f "$WORK/idle.in"
  echo "${held:-0} $((r1 - r0))"
}

# Warm-up (not measured): the JVM compiles its hot paths in the first seconds; coturn gets the same traffic.
# The measured load at BENCH_WARM_N messages per client: with a shorter warm-up (-m 20 -n 2000) the C2 compiler
# still took ~15 % of the relay's CPU samples during the measured -c run (perf, quick run). Warm-up rounds repeat
# until the JIT compilers took under 2 % of the relay's CPU in the last one (at most BENCH_WARM_ROUNDS): a server
# that has run for a while no longer compiles, and what is measured is its cost per datagram then. One warm-up
# round had left the compilers at ≈ 6 % of the relay's CPU in the next -c runs (fifth session).
WARM_N=${BENCH_WARM_N:-4000}
WARM_ROUNDS=${BENCH_WARM_ROUNDS:-5}
for w in $(seq 1 "$WARM_ROUNDS"); do
  j0=$(jit_ticks "$OURS"); p0=$(cpu_ticks "$OURS")
  for who in coturn ours; do
    if [ $who = coturn ]; then port=$COTURN_PORT; else port=$OURS_PORT; fi
    for mode in "-c" "-c -y"; do
      # shellcheck disable=SC2086
      timeout 120 turnutils_uclient $mode -p "$port" -W $SECRET -u warm:up -e 127.0.0.1 -r $PEER_PORT \
        -m "$M" -n "$WARM_N" -l 170 -z 1 127.0.0.1 >/dev/null 2>&1 || true
    done
    java -cp "$CP" io.presence.turn.interop.BenchClient cycles "$port" $SECRET 4 "$CYCLE_THREADS" >/dev/null
  done
  j1=$(jit_ticks "$OURS"); p1=$(cpu_ticks "$OURS")
  WARM_JIT=$(awk -v j=$((j1 - j0)) -v p=$((p1 - p0)) 'BEGIN { printf "%.1f", (p > 0 ? 100 * j / p : 0) }')
  WARM_DONE=$w
  echo "warm-up round $w: JIT compilers $WARM_JIT % of the relay's CPU" >&2
  awk -v s="$WARM_JIT" 'BEGIN { exit !(s < 2) }' && break
done
sleep 2

# BENCH_ROUNDS rounds per mode, the servers' order alternating (coturn first in odd rounds), so that a drift in the
# machine's state between the two runs of a round does not always favour the same server; the table gives the
# median of the rounds' ratios, each round's ratio, and the totals.
declare -A R
for mode in "-c" "-c -y"; do
  for r in $(seq 1 "$ROUNDS"); do
    order="coturn ours"; [ $((r % 2)) -eq 0 ] && order="ours coturn"
    for who in $order; do
      if [ $who = coturn ]; then pid=$COTURN; port=$COTURN_PORT; else pid=$OURS; port=$OURS_PORT; fi
      # shellcheck disable=SC2086
      R["$who $mode $r"]=$(relay_run $pid $port $mode)
      sleep 2
    done
  done
done
for who in coturn ours; do
  if [ $who = coturn ]; then pid=$COTURN; port=$COTURN_PORT; else pid=$OURS; port=$OURS_PORT; fi
  R["$who cycles"]=$(cycle_run $pid $port)
  sleep 2
done
start_servers
R["coturn idle"]=$(idle_run $COTURN $COTURN_PORT)
sleep 2
R["ours idle"]=$(idle_run $OURS $OURS_PORT $OURS)

echo "## Run of $(date -u +%Y-%m-%dT%H:%MZ) — $(nproc) cores, uclient -m $M -n $N -l 170 -z 1"
echo
echo "| measure | coturn 4.6.1 | presence | ratio (presence/coturn) |"
echo "|---|---|---|---|"
# Sums the rounds of one server and mode: prints "sent received lost cpu_us udp_in drops" (drops per socket class).
totals() { # <who> <mode>
  local r line
  for r in $(seq 1 "$ROUNDS"); do echo "${R["$1 $2 $r"]}"; done | awk '
    { s += $1; v += $2; l += ($3 == "?" ? 0 : $3); c += $4; u += $5; n = split($6, d, "/"); for (i = 1; i <= n; i++) t[i] += d[i] }
    END { printf "%d %d %d %d %d %d/%d/%d/%d\n", s, v, l, c, u, t[1], t[2], t[3], t[4] }'
}
# CPU µs per relayed datagram of one round's line; with the echo (-c) a message crosses the relay twice (there and
# back), with -y once.
per_datagram() { # <line> <hops>
  echo "$1" | awk -v h="$2" '{ if ($2 > 0) printf "%.3f", $4 / ($2 * h); else print "n/a" }'
}
for mode in "-c" "-c -y"; do
  hops=2; [ "$mode" = "-c -y" ] && hops=1
  read -r cs cr cl ccpu cudp cdrops <<<"$(totals coturn "$mode")"
  read -r os or ol ocpu oudp odrops <<<"$(totals ours "$mode")"
  ratios=""
  for r in $(seq 1 "$ROUNDS"); do
    ratios="$ratios $(awk -v a="$(per_datagram "${R["ours $mode $r"]}" $hops)" \
      -v b="$(per_datagram "${R["coturn $mode $r"]}" $hops)" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
  done
  median=$(echo $ratios | tr ' ' '\n' | grep -v n/a | sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  cper=$(awk -v c="$ccpu" -v r="$cr" -v h=$hops 'BEGIN{ if (r>0) printf "%.2f", c/(r*h); else print "n/a"}')
  oper=$(awk -v c="$ocpu" -v r="$or" -v h=$hops 'BEGIN{ if (r>0) printf "%.2f", c/(r*h); else print "n/a"}')
  echo "| uclient $mode ($ROUNDS rounds): sent / received / lost | $cs / $cr / $cl | $os / $or / $ol | |"
  echo "| uclient $mode: server CPU µs per relayed datagram (all rounds; ratio: median of the rounds' ratios, then each round's) | $cper | $oper | **$median** ($(echo $ratios | sed 's/ / \/ /g')) |"
  echo "| uclient $mode: /proc/net/snmp Udp InDatagrams (machine-wide) | $cudp | $oudp | $(awk -v a="$oudp" -v b="$cudp" 'BEGIN{ if (b>0) printf "%.2f", a/b}') |"
  echo "| uclient $mode: receive-queue drops, server STUN / relay / echo peer / uclient sockets | $cdrops | $odrops | |"
done
jit=0; all=0
for mode in "-c" "-c -y"; do
  for r in $(seq 1 "$ROUNDS"); do
    read -r _ _ _ _ _ _ j c <<<"${R["ours $mode $r"]}"
    jit=$((jit + j)); all=$((all + c))
  done
done
echo "| JIT compilers' share of the relay's CPU during the measured uclient runs (after $WARM_DONE warm-up rounds; last one: $WARM_JIT %) | — | $(awk -v j=$jit -v a=$all 'BEGIN { printf "%.1f %%", (a > 0 ? 100 * j / a : 0) }') | |"
read -r ccy csec cerr ccpu cwhy <<<"${R["coturn cycles"]}"
read -r ocy osec oerr ocpu owhy <<<"${R["ours cycles"]}"
crate=$(awk -v n="$ccy" -v s="$csec" 'BEGIN{printf "%.0f", n/s}')
orate=$(awk -v n="$ocy" -v s="$osec" 'BEGIN{printf "%.0f", n/s}')
ccost=$(awk -v c="$ccpu" -v n="$ccy" 'BEGIN{ if (n>0) printf "%.1f", c/n; else print "n/a"}')
ocost=$(awk -v c="$ocpu" -v n="$ocy" 'BEGIN{ if (n>0) printf "%.1f", c/n; else print "n/a"}')
echo "| allocation cycles/s ($CYCLE_THREADS client threads; failed cycles by error code) | $crate ($cerr $cwhy) | $orate ($oerr $owhy) | $(awk -v a="$orate" -v b="$crate" 'BEGIN{ if (b>0) printf "%.2f", a/b}') |"
echo "| server CPU µs per allocation cycle | $ccost | $ocost | $(awk -v a="$ocost" -v b="$ccost" 'BEGIN{ if (b>0) printf "%.2f", a/b}') |"
read -r cheld crss <<<"${R["coturn idle"]}"
read -r oheld orss <<<"${R["ours idle"]}"
cper=$(awk -v r="$crss" -v n="$cheld" 'BEGIN{ if (n>0) printf "%.1f", r/n; else print "n/a"}')
oper=$(awk -v r="$orss" -v n="$oheld" 'BEGIN{ if (n>0) printf "%.1f", r/n; else print "n/a"}')
echo "| resident KB per idle allocation ($cheld / $oheld held) | $cper | $oper | $(awk -v a="$oper" -v b="$cper" 'BEGIN{ if (b>0) printf "%.2f", a/b}') |"
exec 7>&-
