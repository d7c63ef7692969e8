#!/usr/bin/env bash
# Issue 20's newcomer scenario: a Spring Boot application's GET /quote (two concurrent 100-300 ms
# Curio.sleeps in a task group under a 1 s timeout) under load, while 0, 1 and 4 other clients
# loop GET /block?ms=300 (a task calling Thread.sleep(300)). The same application runs twice,
# side by side: A with curio.blocking-calls=hold (Curio's strict rule: the blocking call holds
# the kernel; what main did before tasks could step out) and B with release (the task steps out
# of the kernel while the JDK blocks it). Each round measures every blocker count A then B, so
# A B A B; ratios within a round are what count on a shared machine.
#
# Usage: benchmarks/quote/run.sh
# Settings (environment):
#   ROUNDS=2             rounds (each: every blocker count, A then B)                [2]
#   BLOCKERS="0 1 4"     blocker counts to measure                                   ["0 1 4"]
#   CLIENTS=16           clients looping /quote                                      [16]
#   SLOW=4               clients looping /quote?slow=1 beside them (always 503: the timeout's lateness) [4]
#   SECS=30              counted seconds per measurement                             [30; QUICK: 8]
#   WARM=3               uncounted seconds of the same load before each measurement  [3; QUICK: 2]
#   APP_WARM=15          seconds of /quote load per application after it starts (JIT), discarded [15; QUICK: 6]
#   BLOCK_MS=300         the blocking call's length                                   [300]
#   QUICK=1              short measurements for trying it out
#   PIN=1                applications on processor 0, the load driver on 1 (taskset)  [0]
#   APP_OPTS=...         extra JVM options for both applications                      []
#   SKIP_BUILD=1         use the jars as they are
#   JAVA=...             a java of JDK 25+ (default: the first in JAVA_HOME, /usr/lib/jvm)
# Builds benchmarks/quote/target/quote-app.jar (the application) and
# benchmarks/target/benchmarks.jar (the driver, dev.curio.bench.quote.QuoteLoad), unless SKIP_BUILD.
# Raw results, the applications' logs and summary.md go to benchmarks/target/quote-bench/<time>/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bench=$(dirname "$here")
root=$(dirname "$bench")
ROUNDS=${ROUNDS:-2}
BLOCKERS=${BLOCKERS:-0 1 4}
CLIENTS=${CLIENTS:-16}
SLOW=${SLOW:-4}
BLOCK_MS=${BLOCK_MS:-300}
if [[ ${QUICK:-0} == 1 ]]; then
    SECS=${SECS:-8}; WARM=${WARM:-2}; APP_WARM=${APP_WARM:-6}
else
    SECS=${SECS:-30}; WARM=${WARM:-3}; APP_WARM=${APP_WARM:-15}
fi
PIN=${PIN:-0}

java_ok() { [[ -x "$1" ]] && "$1" -version 2>&1 | grep -Eq 'version "(2[5-9]|[3-9][0-9])'; }
if [[ -z "${JAVA:-}" ]]; then
    for j in "${JAVA_HOME:-/nonexistent}/bin/java" /usr/lib/jvm/*25*/bin/java /usr/lib/jvm/*/bin/java; do
        if java_ok "$j"; then JAVA="$j"; break; fi
    done
fi
java_ok "${JAVA:-}" || { echo "no JDK 25 or newer found: install one or set JAVA" >&2; exit 2; }

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    (cd "$root" && mvn -B -q -Pbenchmarks -pl benchmarks,benchmarks/quote -am package -DskipTests)
fi
app_jar=$here/target/quote-app.jar
driver_jar=$bench/target/benchmarks.jar
for f in "$app_jar" "$driver_jar"; do
    [[ -f $f ]] || { echo "missing $f: build with mvn -B -Pbenchmarks -pl benchmarks,benchmarks/quote -am package -DskipTests" >&2; exit 2; }
done
if [[ $PIN == 1 ]]; then APP_CPU=(taskset -c 0); DRIVER_CPU=(taskset -c 1); else APP_CPU=(); DRIVER_CPU=(); fi

out=$bench/target/quote-bench/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
{
    echo "date: $(date -Is)"; echo "host: $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
    "$JAVA" -version 2>&1 | head -1
    echo "git: $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "rounds: $ROUNDS, quick: ${QUICK:-0}, blockers: $BLOCKERS, clients: $CLIENTS, slow: $SLOW, secs: $SECS, warm: $WARM, app warm: $APP_WARM, block ms: $BLOCK_MS, pin: $PIN, app opts: ${APP_OPTS:-}"
} | tee "$out/env.txt"

PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT

# start_app POLICY: the application with curio.blocking-calls=POLICY, both as the system property
# (read by Kernel.Builder) and as a Spring argument (the starter's property, where it has one;
# Spring ignores it where not). Sets PID_<POLICY> and PORT_<POLICY>.
start_app() {
    local policy=$1 log=$out/app-$1.log
    "${APP_CPU[@]}" "$JAVA" -Xmx512m --add-opens java.base/java.lang=ALL-UNNAMED \
        -Dcurio.blocking-calls="$policy" ${APP_OPTS:-} -jar "$app_jar" \
        --server.port=0 --curio.blocking-calls="$policy" >"$log" 2>&1 &
    PIDS+=($!)
    printf -v "PID_$policy" '%s' "$!"
}
await_app() {
    local policy=$1 log=$out/app-$1.log port
    for _ in $(seq 1200); do
        port=$(sed -n 's/^QUOTE READY port=\([0-9]*\).*/\1/p' "$log" | head -1)
        [[ -n $port ]] && break
        sleep 0.1
    done
    [[ -n $port ]] || { echo "the $policy application did not start; its log:" >&2; cat "$log" >&2; exit 1; }
    printf -v "PORT_$policy" '%s' "$port"
    # It must run on the owned carrier under the asked rule: otherwise this measures something else.
    local got want
    got=$(curl -fsS "http://127.0.0.1:$port/policy")
    want="owned ${policy^^}"
    [[ $got == "$want" ]] || { echo "the $policy application runs '$got', not '$want'" >&2; exit 1; }
    echo "app $policy: pid $(eval echo \$PID_"$policy"), port $port, $got"
}

start_app hold
start_app release
await_app hold
await_app release

driver() { "${DRIVER_CPU[@]}" "$JAVA" -cp "$driver_jar" dev.curio.bench.quote.QuoteLoad "$@"; }

# JIT warm-up of each application: /quote and /block load, discarded.
for policy in hold release; do
    port_var=PORT_$policy; pid_var=PID_$policy
    driver --port "${!port_var}" --clients "$CLIENTS" --slow 1 --blockers 1 --block-ms 20 \
        --secs "$APP_WARM" --warm 0 --pid "${!pid_var}" >"$out/warmup-$policy.txt" 2>&1 ||
        { echo "warm-up of $policy failed:" >&2; cat "$out/warmup-$policy.txt" >&2; exit 1; }
done

echo "# round blockers policy: /quote p50 p99 max ms, 503s/n, req/s; timeout lateness p50 max ms (in the app); /block p50 ms; app CPU %"
for r in $(seq "$ROUNDS"); do
    for b in $BLOCKERS; do
        for policy in hold release; do
            port_var=PORT_$policy; pid_var=PID_$policy
            line=$(driver --port "${!port_var}" --clients "$CLIENTS" --slow "$SLOW" --blockers "$b" \
                --block-ms "$BLOCK_MS" --secs "$SECS" --warm "$WARM" --pid "${!pid_var}" 2>>"$out/driver-errors.txt" |
                grep '^RESULT ') || { echo "driver failed (round $r, $b blockers, $policy):" >&2; cat "$out/driver-errors.txt" >&2; exit 1; }
            echo "round=$r policy=$policy load=$(cut -d' ' -f1 /proc/loadavg) $line" >>"$out/raw.txt"
            python3 - "$r" "$b" "$policy" "${line#RESULT }" <<'EOF'
import json, sys
r, b, p, d = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
blk = f"{d['block_p50_ms']:.0f}" if 'block_p50_ms' in d else "-"
late = f"{d['late_p50_ms']:.0f} {d['late_max_ms']:.0f}" if 'late_p50_ms' in d else "- -"
late += f" (in the app {d['app_late_p50_ms']:.0f} {d['app_late_max_ms']:.0f})" if 'app_late_p50_ms' in d else ""
print(f"round={r} blockers={b} {p:7s} quote {d['quote_p50_ms']:.0f} {d['quote_p99_ms']:.0f} {d['quote_max_ms']:.0f} ms,"
      f" 503s {d['quote_503']}/{d['quote_n']}, {d['quote_rps']:.1f} req/s; late {late} ms; block {blk} ms; cpu {d['app_cpu_pct']:.0f} %")
EOF
        done
    done
done

python3 - "$out/raw.txt" "$out/env.txt" <<'EOF' | tee "$out/summary.md"
# The table: per blocker count and rule, medians over the rounds (min-max across rounds where it
# matters), and the targets of issue 20: /quote p50 and p99 within 1.2x of the same rule's run
# without blockers (per round, then the median), the 1 s timeout within 50 ms of 1 s (p99 of the
# slow quotes' lateness as the client sees it; the max is shown too). "In the app": how late the
# TaskTimeout reached the request's task (the kernel's part), and the longest wait of a request's
# task for the kernel before it started.
import json, re, statistics as st, sys
rows = []
for line in open(sys.argv[1]):
    m = re.match(r"round=(\d+) policy=(\w+) load=(\S+) RESULT (.*)", line)
    d = json.loads(m.group(4)); d["round"] = int(m.group(1)); d["policy"] = m.group(2); d["load"] = m.group(3)
    rows.append(d)
env = open(sys.argv[2]).read().strip().splitlines()
print("```"); print("\n".join(env)); print("```")
print("| blockers | rule | /quote p50 ms | /quote p99 ms | /quote max ms | 503s / requests | req/s | p50 ratio to 0 blockers | p99 ratio to 0 blockers | timeout lateness p50 / p99 / max ms | in the app: lateness p50 / max, wait for the kernel max ms | /block p50 ms | app CPU % | targets |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
def med(xs): return st.median(xs)
def span(xs, f="{:.0f}"): return f.format(med(xs)) + (f" ({f.format(min(xs))}-{f.format(max(xs))})" if len(xs) > 1 else "")
base = {(d["policy"], d["round"]): d for d in rows if d["blockers"] == 0}
for b in sorted({d["blockers"] for d in rows}):
    for p in ("hold", "release"):
        ds = [d for d in rows if d["blockers"] == b and d["policy"] == p]
        if not ds: continue
        g = lambda k: [d[k] for d in ds if k in d]
        r50 = [d["quote_p50_ms"] / base[(p, d["round"])]["quote_p50_ms"] for d in ds if (p, d["round"]) in base]
        r99 = [d["quote_p99_ms"] / base[(p, d["round"])]["quote_p99_ms"] for d in ds if (p, d["round"]) in base]
        ratio = lambda rs: (f"{med(rs):.2f} (" + "/".join(f"{x:.2f}" for x in rs) + ")") if rs else "-"
        late = f"{med(g('late_p50_ms')):.0f} / {span(g('late_p99_ms'))} / {max(g('late_max_ms')):.0f}" if g("late_p50_ms") else "-"
        met = []
        if b != 0 and r50 and r99:
            met.append("p50,p99 " + ("met" if med(r50) <= 1.2 and med(r99) <= 1.2 else "missed"))
        if g("late_p99_ms"):
            met.append("timeout " + ("met" if med(g("late_p99_ms")) <= 50 else "missed"))
        inapp = (f"{med(g('app_late_p50_ms')):.0f} / {max(g('app_late_max_ms')):.0f}, {max(g('app_wait_max_ms')):.0f}"
                 if g("app_late_p50_ms") else "-")
        blk = span(g("block_p50_ms")) if g("block_p50_ms") else "-"
        print(f"| {b} | {p} | {span(g('quote_p50_ms'))} | {span(g('quote_p99_ms'))} | {max(g('quote_max_ms')):.0f} |"
              f" {sum(g('quote_503'))} / {sum(g('quote_n'))} | {span(g('quote_rps'), '{:.1f}')} | {ratio(r50)} | {ratio(r99)} |"
              f" {late} | {inapp} | {blk} | {span(g('app_cpu_pct'))} | {', '.join(met)} |")
print()
print("Load average (1 min) at each measurement: " + ", ".join(d["load"] for d in rows))
EOF
echo "raw results: $out"
