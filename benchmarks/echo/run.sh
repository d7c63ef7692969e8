#!/usr/bin/env bash
# Echo benchmark: the project's echo server (the tutorial's, dev.curio.examples.net) against
# CPython Curio 1.6's (curio_echo.py here), a plain JDK virtual-thread-per-connection blocking
# server (dev.curio.bench.echo.VirtualThreadEchoServer, benchmarks module) and Netty 4.2's native
# epoll transport with one event loop (dev.curio.bench.echo.NettyEchoServer, benchmarks module),
# all driven by the one shared load client, ../shared/bench/echo-load.c, alternating
# A B C D A B C D in one run (ratios within a run are what count on this shared 2-core machine;
# absolute figures across runs are not comparable). Every server listens with a backlog of 1024,
# so that the load client's 1,000 sequential connects never wait for SYN retransmissions.
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
#   NETTY_PORT=25003     port of the Netty server                                           [25003]
#   OURS_OPTS=...        extra JVM options for our server (e.g. -Dcurio.io-spin=...)        []
#   JAVA=...             a java of JDK 21+ (default: the newest JDK 21+ in /usr/lib/jvm)
#   BENCH_DIR=...        where echo-load.c is                          [<repo>/../shared/bench]
# Needs the compiled classes: mvn -B -o -q -pl curio-core test-compile
#   and the benchmarks jar (the VT and Netty servers, Netty's native epoll library):
#   mvn -B -o -q -Pbenchmarks -pl benchmarks -am package -DskipTests
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
NETTY_PORT=${NETTY_PORT:-25003}
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
BENCH_JAR=$ROOT/benchmarks/target/benchmarks.jar
[[ -f $BENCH_JAR ]] ||
    { echo "build first: (cd $ROOT && mvn -B -o -q -Pbenchmarks -pl benchmarks -am package -DskipTests)" >&2; exit 2; }
case $CARRIER in owned | default) ;; *) echo "CARRIER must be owned or default, was $CARRIER" >&2; exit 2 ;; esac

source "$HERE/echo-common.sh"

if [[ $PIN == 1 ]]; then SERVER_CPU=(taskset -c 0); CLIENT_CPU=(taskset -c 1); else SERVER_CPU=(); CLIENT_CPU=(); fi

for p in $OURS_PORT $CURIO_PORT $VT_PORT $NETTY_PORT; do port_free "$p" || { echo "port $p is busy" >&2; exit 1; }; done

case $FORM in
    socket) OURS_MAIN=dev.curio.examples.net.EchoServer ;;
    stream) OURS_MAIN=dev.curio.examples.net.StreamEchoServer ;;
    *) echo "FORM must be socket or stream, was $FORM" >&2; exit 2 ;;
esac

# A: ours (on CARRIER; the add-opens makes the owned carrier available, and asking for it
# explicitly makes the kernel fail rather than fall back), B: CPython Curio 1.6, C: virtual threads,
# D: Netty (native access allowed, as its epoll library needs; it fails rather than fall back).
"${SERVER_CPU[@]}" "$JAVA" --add-opens java.base/java.lang=ALL-UNNAMED -Dcurio.carrier="$CARRIER" ${OURS_OPTS:-} -cp "$CP" "$OURS_MAIN" --backlog=1024 >"$TMP/ours.log" 2>&1 &
PIDS+=($!)
"${SERVER_CPU[@]}" python3 "$HERE/curio_echo.py" "$CURIO16" "$CURIO_PORT" "$FORM" >"$TMP/curio.log" 2>&1 &
PIDS+=($!)
"${SERVER_CPU[@]}" "$JAVA" -cp "$BENCH_JAR" dev.curio.bench.echo.VirtualThreadEchoServer "$VT_PORT" >"$TMP/vt.log" 2>&1 &
PIDS+=($!)
"${SERVER_CPU[@]}" "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$BENCH_JAR" dev.curio.bench.echo.NettyEchoServer "$NETTY_PORT" >"$TMP/netty.log" 2>&1 &
PIDS+=($!)
await_port $OURS_PORT
await_port $CURIO_PORT
await_port $VT_PORT
await_port $NETTY_PORT

load() { "${CLIENT_CPU[@]}" "$TMP/echo-load" "$@"; }
# Pinned, and where perf can count instructions here, each measurement also counts the
# instructions and cycles of processor 0 (the server's: its code and the kernel's work for it)
# while the load runs. Instructions per request is the server's CPU work; IPC (instructions per
# cycle) is how fast the processor ran it, which on a shared machine can halve or double from one
# measurement to the next (and with it the requests/s of whichever server is measured then).
# (A virtual machine may offer perf without hardware counters: "<not supported>" counts as none.)
COUNT=0
if [[ $PIN == 1 ]] && perf stat -x, -a -C 0 -e instructions -o "$TMP/probe.txt" true >/dev/null 2>&1 &&
    grep -Eq '^[0-9]+,' "$TMP/probe.txt"; then COUNT=1; fi
# Always: the server process's own CPU time per request (every thread's run time from
# /proc/PID/task/*/schedstat, in ns, over the measurement), counted where perf cannot count.
# It leaves out loopback work the operating system does outside the server's threads.
# measure PORT CONNS SECS PID prints "REQ_PER_S INSTR_PER_REQ IPC CPU_NS_PER_REQ" (instructions
# and IPC "-" when not counting).
measure() {
    local c0 c1
    c0=$(cpu_ns "$4")
    if [[ $COUNT == 1 ]]; then
        perf stat -x, -a -C 0 -e instructions,cycles -o "$TMP/perf.txt" -- "${CLIENT_CPU[@]}" "$TMP/echo-load" "$1" "$2" "$SIZE" "$3" >"$TMP/load.txt"
    else
        load "$1" "$2" "$SIZE" "$3" >"$TMP/load.txt"
        : >"$TMP/perf.txt"
    fi
    c1=$(cpu_ns "$4")
    awk -v secs="$3" -v cpu=$((c1 - c0)) -v count=$COUNT 'NR == FNR { r = $1; next } { split($0, f, ",") } f[3] == "instructions" { i = f[1] } f[3] == "cycles" { c = f[1] }
        END { if (count) printf "%d %.0f %.2f", r, i / (r * secs), i / c; else printf "%d - -", r; printf " %.0f\n", cpu / (r * secs) }' "$TMP/load.txt" "$TMP/perf.txt"
}

echo "# $(date -u +%FT%TZ) form=$FORM size=$SIZE secs=$SECS pin=$PIN carrier=$CARRIER java=$("$JAVA" -version 2>&1 | head -1)"
echo "# $(head -1 "$TMP/curio.log")"
echo "# $(head -1 "$TMP/vt.log")"
echo "# $(grep -m1 '^netty' "$TMP/netty.log")"
echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ $COUNT == 1 ]] && echo "# instr = instructions of processor 0 per request, ipc = its instructions per cycle"
echo "# cpu = the server process's CPU time per request, ns (ours/curio16/vt/netty)"
for port in $OURS_PORT $CURIO_PORT $VT_PORT $NETTY_PORT; do load "$port" 100 "$SIZE" "$WARM" >/dev/null; done # warm-up (JIT), discarded
for c in $CONNS; do
    for r in $(seq "$ROUNDS"); do
        read -r a ai aq ac < <(measure $OURS_PORT "$c" "$SECS" "${PIDS[0]}")
        read -r b bi bq bc < <(measure $CURIO_PORT "$c" "$SECS" "${PIDS[1]}")
        read -r v vi vq vc < <(measure $VT_PORT "$c" "$SECS" "${PIDS[2]}")
        read -r n ni nq nc < <(measure $NETTY_PORT "$c" "$SECS" "${PIDS[3]}")
        line="conns=$c round=$r ours=$a curio16=$b vt=$v netty=$n ratio=$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", a/b}')"
        line="$line ours/vt=$(awk -v a="$a" -v v="$v" 'BEGIN{printf "%.2f", a/v}')"
        line="$line ours/netty=$(awk -v a="$a" -v n="$n" 'BEGIN{printf "%.2f", a/n}')"
        if [[ $COUNT == 1 ]]; then
            line="$line instr=$ai/$bi/$vi/$ni ipc=$aq/$bq/$vq/$nq"
        fi
        line="$line cpu=$ac/$bc/$vc/$nc"
        echo "$line"
    done
done
