#!/usr/bin/env bash
# Where one echo server's work goes, for comparing ours with Netty's one event loop (issue 15):
# starts SERVER pinned to processor 0, drives it from processor 1 with the shared load client, and
# while the load runs counts the server's system calls per request (perf's syscall tracepoints,
# which need no hardware counters) and samples the server process (cpu-clock; processor 0 is
# shared with whatever else runs on the machine, so -p PID, not -a -C 0), then prints
# the shares by library (dso) and the top symbols; Java frames are named through the JVM's perf map
# (-XX:+DumpPerfMapAtExit).
#
# Usage: benchmarks/echo/profile.sh ours|netty|vt [CONNS] [SECS]      (defaults: 100 connections, 5 s)
# Settings: SIZE=100, WARM=6 (seconds of warm-up load), OURS_OPTS (extra JVM options for ours), JAVA, BENCH_DIR as run.sh.
# Needs root for perf -a, the compiled classes and the benchmarks jar as run.sh says.
set -euo pipefail

SERVER=${1:?usage: $0 ours|netty|vt [CONNS] [SECS]}
CONNS=${2:-100}
SECS=${3:-5}
SIZE=${SIZE:-100}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BENCH_DIR=${BENCH_DIR:-$ROOT/../shared/bench}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java | head -1)}
CP=$ROOT/curio-core/target/classes:$ROOT/curio-core/target/test-classes
JAR=$ROOT/benchmarks/target/benchmarks.jar
MAP=(-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit)
case $SERVER in
    ours) PORT=25000; CMD=("$JAVA" "${MAP[@]}" --add-opens java.base/java.lang=ALL-UNNAMED -Dcurio.carrier=owned ${OURS_OPTS:-}
              -cp "$CP" dev.curio.examples.net.EchoServer --backlog=1024) ;;
    netty) PORT=25003; CMD=("$JAVA" "${MAP[@]}" --enable-native-access=ALL-UNNAMED -cp "$JAR" dev.curio.bench.echo.NettyEchoServer 25003) ;;
    vt) PORT=25002; CMD=("$JAVA" "${MAP[@]}" -cp "$JAR" dev.curio.bench.echo.VirtualThreadEchoServer 25002) ;;
    *) echo "SERVER must be ours, netty or vt, was $SERVER" >&2; exit 2 ;;
esac

TMP=$(mktemp -d)
PID=
cleanup() {
    if [[ -n $PID ]]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT
gcc -O2 -o "$TMP/echo-load" "$BENCH_DIR/echo-load.c"
taskset -c 0 "${CMD[@]}" >"$TMP/server.log" 2>&1 &
PID=$!
for _ in $(seq 300); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
taskset -c 1 "$TMP/echo-load" $PORT 100 "$SIZE" "${WARM:-6}" >/dev/null # warm-up (JIT)

echo "# $SERVER, $CONNS connections, $SIZE bytes, $SECS s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
EV=syscalls:sys_enter_read,syscalls:sys_enter_write,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_epoll_pwait2,syscalls:sys_enter_recvfrom,syscalls:sys_enter_sendto,syscalls:sys_enter_epoll_ctl,syscalls:sys_enter_futex,raw_syscalls:sys_enter
perf stat -x, -p "$PID" -e "$EV" -o "$TMP/stat.txt" -- taskset -c 1 "$TMP/echo-load" $PORT "$CONNS" "$SIZE" "$SECS" >"$TMP/load1.txt"
read -r REQ _ <"$TMP/load1.txt"
echo "req/s while counting: $REQ; the server's system calls per request:"
awk -F, -v n=$((REQ * SECS)) '$1 ~ /^[0-9]+$/ { printf "  %-32s %.3f\n", $3, $1 / n }' "$TMP/stat.txt"
perf record -q -e cpu-clock -F 10000 -p "$PID" -o "$TMP/perf.data" -- taskset -c 1 "$TMP/echo-load" $PORT "$CONNS" "$SIZE" "$SECS" >"$TMP/load2.txt"
read -r REQ2 _ <"$TMP/load2.txt"
echo "req/s while sampling: $REQ2"
kill "$PID"; wait "$PID" 2>/dev/null || true; PID= # the JVM writes /tmp/perf-PID.map as it exits
# At 10,000 samples/s one sample is 100 us of the server's CPU time: ns per request = samples * 1e5 / requests.
echo "the server's CPU time by library: share, samples, ns per request"
perf report -i "$TMP/perf.data" --stdio -n --sort dso 2>/dev/null | grep -E '^ +[0-9]' | head -12 |
    awk -v n=$((REQ2 * SECS)) '{ printf "  %8s %8d %8.0f  %s\n", $1, $2, $2 * 1e5 / n, $3 }'
perf report -i "$TMP/perf.data" --stdio -n --sort dso 2>/dev/null | grep -E '^ +[0-9]' |
    awk -v n=$((REQ2 * SECS)) '{ s += $2 } END { printf "  total %.0f ns of server CPU per request\n", s * 1e5 / n }'
echo "top symbols:"
perf report -i "$TMP/perf.data" --stdio --sort dso,sym 2>/dev/null | grep -E '^ +[0-9]' | head -${TOP:-30}
echo "top symbols inside the JVM (libjvm.so: JIT compilers, GC, continuations' freeze and thaw):"
perf report -i "$TMP/perf.data" --stdio --sort dso,sym 2>/dev/null | grep -E '^ +[0-9].*libjvm' | head -${TOP:-30}
