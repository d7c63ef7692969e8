#!/usr/bin/env bash
# What the system calls are worth (issue 15), four servers alternating A B C D A B C D, pinned
# (servers on processor 0, the load client on 1), each with its CPU time per request:
#   jdk        our echo example: read(2)/write(2) through the JDK's SocketChannel;
#   read-write the same kernel and tasks with read(2)/write(2) called through the foreign function
#              API (dev.curio.bench.echo.RecvSendEchoServer PORT read-write): the JDK's Java
#              code around the calls removed;
#   recv-send  the same with recv(2)/send(2), the calls Netty's transport makes (the file layer
#              of the operating system's read/write removed too);
#   netty      Netty's one event loop.
# Prints one line per round and the medians of the per-round ratios.
#
# Usage: benchmarks/echo/syscall-path.sh          (after building curio-core's test classes and the
#                                                   benchmarks jar, as run.sh says)
# Settings: CONNS ("100 1000"), SIZE (100), SECS (4), WARM (15), ROUNDS (7), JAVA, BENCH_DIR as run.sh.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CONNS=${CONNS:-100 1000}
SIZE=${SIZE:-100}
SECS=${SECS:-4}
WARM=${WARM:-15}
ROUNDS=${ROUNDS:-7}
BENCH_DIR=${BENCH_DIR:-$ROOT/../shared/bench}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)}
[[ -x ${JAVA:-} ]] || { echo "no JDK 25 found in /usr/lib/jvm: set JAVA" >&2; exit 2; }
CP=$ROOT/curio-core/target/classes:$ROOT/curio-core/target/test-classes
JAR=$ROOT/benchmarks/target/benchmarks.jar
[[ -f $ROOT/curio-core/target/test-classes/dev/curio/examples/net/EchoServer.class ]] ||
    { echo "compile first: (cd $ROOT && mvn -B -o -q -pl curio-core test-compile)" >&2; exit 2; }
[[ -f $JAR ]] || { echo "build first: (cd $ROOT && mvn -B -o -q -Pbenchmarks -pl benchmarks -am package -DskipTests)" >&2; exit 2; }
OURS=25000 RAW=25004 RW=25005 NETTY=25003 # ours: fixed by the example's main method

source "$HERE/echo-common.sh"
for p in $OURS $RW $RAW $NETTY; do port_free "$p" || { echo "port $p is busy" >&2; exit 1; }; done

OPENS=(--add-opens java.base/java.lang=ALL-UNNAMED)
taskset -c 0 "$JAVA" "${OPENS[@]}" -Dcurio.carrier=owned -cp "$CP" dev.curio.examples.net.EchoServer --backlog=1024 >"$TMP/ours.log" 2>&1 &
PIDS+=($!)
NATIVE=(--add-opens java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -Dcurio.carrier=owned)
taskset -c 0 "$JAVA" "${OPENS[@]}" "${NATIVE[@]}" -cp "$JAR" dev.curio.bench.echo.RecvSendEchoServer $RW read-write >"$TMP/rw.log" 2>&1 &
PIDS+=($!)
taskset -c 0 "$JAVA" "${OPENS[@]}" "${NATIVE[@]}" -cp "$JAR" dev.curio.bench.echo.RecvSendEchoServer $RAW >"$TMP/raw.log" 2>&1 &
PIDS+=($!)
taskset -c 0 "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$JAR" dev.curio.bench.echo.NettyEchoServer $NETTY >"$TMP/netty.log" 2>&1 &
PIDS+=($!)
for p in $OURS $RW $RAW $NETTY; do await_port "$p"; done

measure() { # port conns pid -> "req/s cpu-ns-per-request"
    local c0 c1 r
    c0=$(cpu_ns "$3")
    r=$(taskset -c 1 "$TMP/echo-load" "$1" "$2" "$SIZE" "$SECS" | awk '{ print $1 }')
    c1=$(cpu_ns "$3")
    echo "$r $(( (c1 - c0) / (r * SECS) ))"
}
echo "# $(date -u +%FT%TZ) size=$SIZE secs=$SECS rounds=$ROUNDS pinned; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(head -1 "$TMP/rw.log")"
echo "# $(head -1 "$TMP/raw.log")"
echo "# $(grep -m1 '^netty' "$TMP/netty.log")"
for p in $OURS $RW $RAW $NETTY; do taskset -c 1 "$TMP/echo-load" "$p" 100 "$SIZE" "$WARM" >/dev/null; done # warm-up (JIT)
for c in $CONNS; do
    for r in $(seq "$ROUNDS"); do
        read -r a ac < <(measure $OURS "$c" "${PIDS[0]}")
        read -r w wc < <(measure $RW "$c" "${PIDS[1]}")
        read -r b bc < <(measure $RAW "$c" "${PIDS[2]}")
        read -r n nc < <(measure $NETTY "$c" "${PIDS[3]}")
        ratio() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%.3f", x / y }'; }
        echo "conns=$c round=$r jdk=$a read-write=$w recv-send=$b netty=$n cpu=$ac/$wc/$bc/$nc" \
            "read-write/jdk=$(ratio "$w" "$a") recv-send/jdk=$(ratio "$b" "$a")" \
            "jdk/netty=$(ratio "$a" "$n") recv-send/netty=$(ratio "$b" "$n")"
    done
done | tee "$TMP/rounds.txt"
awk '
    function median(list,    a, k, t, i, j) {
        k = split(list, a, " ")
        for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
        return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      c = v["conns"]; if (!(c in seen)) { seen[c] = 1; order[++m] = c }
      split(v["cpu"], u, "/"); ca[c] = ca[c] " " u[1]; cw[c] = cw[c] " " u[2]; cb[c] = cb[c] " " u[3]; cn[c] = cn[c] " " u[4]
      w[c] = w[c] " " v["read-write/jdk"]; x[c] = x[c] " " v["recv-send/jdk"]; y[c] = y[c] " " v["jdk/netty"]; z[c] = z[c] " " v["recv-send/netty"] }
    END {
        print "| conns | FFM read-write / JDK | FFM recv-send / JDK | JDK / Netty | FFM recv-send / Netty | CPU ns/request: JDK, FFM read-write, FFM recv-send, Netty |"
        print "|---|---|---|---|---|---|"
        for (j = 1; j <= m; j++) { c = order[j]
            printf "| %s | %.3f | %.3f | %.3f | %.3f | %.0f, %.0f, %.0f, %.0f |\n", c, median(w[c]), median(x[c]), median(y[c]), median(z[c]),
                median(ca[c]), median(cw[c]), median(cb[c]), median(cn[c]) }
    }' "$TMP/rounds.txt"
