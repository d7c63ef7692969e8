#!/usr/bin/env bash
# Echo benchmark: the project's echo server (the tutorial's, dev.curio.examples.net) against
# CPython Curio 1.6's (curio_echo.py here) and a plain JDK virtual-thread-per-connection blocking
# server (dev.curio.bench.echo.VirtualThreadEchoServer, benchmarks module), all driven by the one
# shared load client, ../shared/bench/echo-load.c, alternating A B C A B C in one run (ratios
# within a run are what count on this shared 2-core machine; absolute figures across runs are
# not comparable). Every server listens with a backlog of 1024, so that the load client's 1,000
# sequential connects never wait for SYN retransmissions.
#
# Usage: benchmarks/echo/run.sh CURIO16_DIR
# Settings (environment):
#   FORM=socket|stream   server form: plain socket (EchoServer) or stream (StreamEchoServer)  [socket]
#   CONNS="1 100 1000"   connection counts to measure, each A B A B                        [100]
#   SIZE=100             message size in bytes                                             [100]
#   SECS=5               seconds per measurement                                           [5]
#   WARM=6               seconds of warm-up load (100 connections) per server before measuring [6]
#   ROUNDS=2             A B pairs per connection count                                    [2]
#   PIN=1                server on processor 0, client on processor 1 (taskset); 0: unpinned [1]
#   CARRIER=owned|default  carrier of our server's kernel (curio.carrier)                   [owned]
#   VT_PORT=25002        port of the virtual-thread server                                  [25002]
#   JAVA=...             a java of JDK 21+ (default: the newest JDK 21+ in /usr/lib/jvm)
#   BENCH_DIR=...        where echo-load.c is                          [<repo>/../shared/bench]
# Needs the compiled classes: mvn -B -o -q -pl curio-core test-compile
#   and the virtual-thread server's: mvn -B -o -q -Pbenchmarks -pl benchmarks -am compile
# The load client is built with gcc into a temporary directory, removed at exit.
set -euo pipefail

CURIO16=${1:?usage: $0 CURIO16_DIR (the directory holding the curio package)}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
FORM=${FORM:-socket}
CONNS=${CONNS:-100}
SIZE=${SIZE:-100}
SECS=${SECS:-5}
WARM=${WARM:-6}
ROUNDS=${ROUNDS:-2}
PIN=${PIN:-1}
BENCH_DIR=${BENCH_DIR:-$ROOT/../shared/bench}
OURS_PORT=25000 # fixed by the examples' main methods
CURIO_PORT=${CURIO_PORT:-25001}
VT_PORT=${VT_PORT:-25002}
CARRIER=${CARRIER:-owned}

if [[ -z "${JAVA:-}" ]]; then # the newest JDK of /usr/lib/jvm whose release is 21 or later
    JAVA=$(for r in /usr/lib/jvm/*/release; do
        v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$r")
        if [[ ${v:-0} -ge 21 ]]; then echo "$v $(dirname "$r")/bin/java"; fi
    done | sort -n | tail -1 | cut -d' ' -f2)
    [[ -n "$JAVA" ]] || { echo "no JDK 21+ found in /usr/lib/jvm: set JAVA" >&2; exit 2; }
fi
CP=$ROOT/curio-core/target/classes:$ROOT/curio-core/target/test-classes
[[ -f $ROOT/curio-core/target/test-classes/dev/curio/examples/net/EchoServer.class ]] ||
    { echo "compile first: (cd $ROOT && mvn -B -o -q -pl curio-core test-compile)" >&2; exit 2; }
VT_CP=$ROOT/benchmarks/target/classes
[[ -f $VT_CP/dev/curio/bench/echo/VirtualThreadEchoServer.class ]] ||
    { echo "compile first: (cd $ROOT && mvn -B -o -q -Pbenchmarks -pl benchmarks -am compile)" >&2; exit 2; }
case $CARRIER in owned | default) ;; *) echo "CARRIER must be owned or default, was $CARRIER" >&2; exit 2 ;; esac

TMP=$(mktemp -d)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

gcc -O2 -o "$TMP/echo-load" "$BENCH_DIR/echo-load.c"

if [[ $PIN == 1 ]]; then SERVER_CPU=(taskset -c 0); CLIENT_CPU=(taskset -c 1); else SERVER_CPU=(); CLIENT_CPU=(); fi

port_free() { ! (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }
await_port() {
    for _ in $(seq 300); do port_free "$1" || return 0; sleep 0.1; done
    echo "server on port $1 did not start; its log:" >&2; cat "$TMP"/*.log >&2; exit 1
}
for p in $OURS_PORT $CURIO_PORT $VT_PORT; do port_free "$p" || { echo "port $p is busy" >&2; exit 1; }; done

case $FORM in
    socket) OURS_MAIN=dev.curio.examples.net.EchoServer ;;
    stream) OURS_MAIN=dev.curio.examples.net.StreamEchoServer ;;
    *) echo "FORM must be socket or stream, was $FORM" >&2; exit 2 ;;
esac

# A: ours (on CARRIER; the add-opens makes the owned carrier available, and asking for it
# explicitly makes the kernel fail rather than fall back), B: CPython Curio 1.6, C: virtual threads.
"${SERVER_CPU[@]}" "$JAVA" --add-opens java.base/java.lang=ALL-UNNAMED -Dcurio.carrier="$CARRIER" -cp "$CP" "$OURS_MAIN" --backlog=1024 >"$TMP/ours.log" 2>&1 &
PIDS+=($!)
"${SERVER_CPU[@]}" python3 "$HERE/curio_echo.py" "$CURIO16" "$CURIO_PORT" "$FORM" >"$TMP/curio.log" 2>&1 &
PIDS+=($!)
"${SERVER_CPU[@]}" "$JAVA" -cp "$VT_CP" dev.curio.bench.echo.VirtualThreadEchoServer "$VT_PORT" >"$TMP/vt.log" 2>&1 &
PIDS+=($!)
await_port $OURS_PORT
await_port $CURIO_PORT
await_port $VT_PORT

load() { "${CLIENT_CPU[@]}" "$TMP/echo-load" "$@"; }
# Pinned, and where perf can count instructions here, each measurement also counts the
# instructions and cycles of processor 0 (the server's: its code and the kernel's work for it)
# while the load runs. Instructions per request is the server's CPU work; IPC (instructions per
# cycle) is how fast the processor ran it, which on a shared machine can halve or double from one
# measurement to the next (and with it the requests/s of whichever server is measured then).
COUNT=0
if [[ $PIN == 1 ]] && perf stat -x, -a -C 0 -e instructions -o /dev/null true >/dev/null 2>&1; then COUNT=1; fi
# Prints "REQ_PER_S INSTR_PER_REQ IPC" (the last two "-" when not counting).
measure() {
    if [[ $COUNT == 1 ]]; then
        perf stat -x, -a -C 0 -e instructions,cycles -o "$TMP/perf.txt" -- "${CLIENT_CPU[@]}" "$TMP/echo-load" "$1" "$2" "$SIZE" "$3" >"$TMP/load.txt"
        awk -v secs="$3" 'NR == FNR { r = $1; next } { split($0, f, ",") } f[3] == "instructions" { i = f[1] } f[3] == "cycles" { c = f[1] }
            END { printf "%d %.0f %.2f\n", r, i / (r * secs), i / c }' "$TMP/load.txt" "$TMP/perf.txt"
    else
        load "$1" "$2" "$SIZE" "$3" | awk '{ print $1, "-", "-" }'
    fi
}

echo "# $(date -u +%FT%TZ) form=$FORM size=$SIZE secs=$SECS pin=$PIN carrier=$CARRIER java=$("$JAVA" -version 2>&1 | head -1)"
echo "# $(head -1 "$TMP/curio.log")"
echo "# $(head -1 "$TMP/vt.log")"
echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ $COUNT == 1 ]] && echo "# instr = instructions of processor 0 per request, ipc = its instructions per cycle"
for port in $OURS_PORT $CURIO_PORT $VT_PORT; do load "$port" 100 "$SIZE" "$WARM" >/dev/null; done # warm-up (JIT), discarded
for c in $CONNS; do
    for r in $(seq "$ROUNDS"); do
        read -r a ai aq < <(measure $OURS_PORT "$c" "$SECS")
        read -r b bi bq < <(measure $CURIO_PORT "$c" "$SECS")
        read -r v vi vq < <(measure $VT_PORT "$c" "$SECS")
        line="conns=$c round=$r ours=$a curio16=$b vt=$v ratio=$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", a/b}')"
        line="$line ours/vt=$(awk -v a="$a" -v v="$v" 'BEGIN{printf "%.2f", a/v}')"
        if [[ $COUNT == 1 ]]; then
            line="$line instr=$ai/$bi/$vi ipc=$aq/$bq/$vq"
        fi
        echo "$line"
    done
done
