#!/usr/bin/env bash
# Starts the Presence appliance for benchmarks on loopback: dev auth on, rate limits and the per-source connection
# cap out of the way (every generated session comes from 127.0.0.1), room for 16,000 signaling connections within
# the 20,000-descriptor limit, metrics/STUN on free ports, a throwaway data dir. Usage: start-presence.sh <wsPort> <tcpPort> [extra JVM args...]
# Prints the server PID on stdout; the log goes to /tmp/presence-bench-<wsPort>.log.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="${PRESENCE_JAR:-$here/../app/target/presence.jar}"
ws="$1"; tcp="$2"; shift 2
data="$(mktemp -d /tmp/presence-bench-data.XXXXXX)"
PRESENCE_SIGNALING_DEV_AUTH=true \
PRESENCE_SIGNALING_MESSAGES_PER_SECOND=100000 PRESENCE_SIGNALING_MESSAGE_BURST=100000 \
PRESENCE_SIGNALING_MEMBERS_PER_ROOM=${PRESENCE_SIGNALING_MEMBERS_PER_ROOM:-1000} \
PRESENCE_SIGNALING_MAX_CONNECTIONS_PER_IP=100000 PRESENCE_SIGNALING_MAX_CONNECTIONS=16000 \
PRESENCE_STUN_MAX_CONNECTIONS=100 PRESENCE_SERVER_DESCRIPTOR_RESERVE=2000 \
PRESENCE_METRICS_PORT=${PRESENCE_METRICS_PORT:-0} PRESENCE_STUN_PORT=0 \
PRESENCE_SIGNALING_WS_PORT="$ws" PRESENCE_SIGNALING_TCP_PORT="$tcp" \
PRESENCE_SERVER_DATA_DIR="$data" \
  nohup java "$@" -jar "$jar" > "/tmp/presence-bench-$ws.log" 2>&1 &
pid=$!
for _ in $(seq 1 150); do
  if (exec 3<>/dev/tcp/127.0.0.1/"$ws") 2>/dev/null; then echo "$pid"; exit 0; fi
  kill -0 "$pid" 2>/dev/null || { echo "presence exited, see /tmp/presence-bench-$ws.log" >&2; exit 1; }
  sleep 0.2
done
echo "presence did not open $ws" >&2; exit 1
