#!/usr/bin/env bash
# What a step out of the kernel and back in costs (issue 20): StepOutBench's three hand-offs
# (two tasks through a JDK SynchronousQueue, stepping out in take/put; two plain virtual threads
# through the same; two tasks through Curio's TaskQueue(1), the trap path), then the virtual
# threads again on one carrier of the JDK's scheduler (-Djdk.virtualThreadScheduler.parallelism=1,
# one carrier as the kernel has), in rounds (A B C D A B C D ...), and a table of ns and process
# CPU per hand-off: the median and the range across rounds.
#
#   benchmarks/run-step-out-bench.sh
#
# Optional environment:
#   ROUNDS=3        rounds
#   QUICK=1         short iterations (1 x 1 s warm-up, 2 x 1 s), for trying it out or a busy machine
#   SKIP_BUILD=1    reuse benchmarks/target/benchmarks.jar
#   JAVA=/path/to/java  a JDK 25+ java (default: JAVA_HOME, then /usr/lib/jvm/*25*)
# Results, raw outputs and the table go to benchmarks/target/step-out-bench/<time>/.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
ROUNDS="${ROUNDS:-3}"

java_ok() { [ -x "$1" ] && "$1" -version 2>&1 | grep -Eq 'version "(2[5-9]|[3-9][0-9])'; }
if [ -z "${JAVA:-}" ]; then
  for j in "${JAVA_HOME:-/nonexistent}/bin/java" /usr/lib/jvm/*25*/bin/java /usr/lib/jvm/*/bin/java; do
    if java_ok "$j"; then JAVA="$j"; break; fi
  done
fi
java_ok "${JAVA:-}" || { echo "no JDK 25 or newer found: install one or set JAVA" >&2; exit 2; }
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && mvn -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests)
fi
jar="$here/target/benchmarks.jar"
if [ "${QUICK:-0}" = 1 ]; then jmh_opts=(-wi 1 -w 1 -i 2 -r 1 -f 1); else jmh_opts=(); fi

out="$here/target/step-out-bench/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
{
  echo "date: $(date -Is)"; echo "host: $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$JAVA" -version 2>&1 | head -1
  echo "git: $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "rounds: $ROUNDS, quick: ${QUICK:-0}"
} | tee "$out/env.txt"

for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r ($(cut -d' ' -f1-3 /proc/loadavg))"
  "$JAVA" -jar "$jar" "${jmh_opts[@]}" -rf json -rff "$out/round-$r-jmh.json" 'dev.curio.bench.StepOutBench' \
      > "$out/round-$r-jmh.log" 2>&1 || { tail -40 "$out/round-$r-jmh.log" >&2; exit 1; }
  "$JAVA" -jar "$jar" "${jmh_opts[@]}" -jvmArgsAppend '--add-opens=java.base/java.lang=ALL-UNNAMED -Djdk.virtualThreadScheduler.parallelism=1' \
      -rf json -rff "$out/round-$r-jmh-1carrier.json" 'dev.curio.bench.StepOutBench.virtualThreads' \
      > "$out/round-$r-jmh-1carrier.log" 2>&1 || { tail -40 "$out/round-$r-jmh-1carrier.log" >&2; exit 1; }
  if grep -l '<failure>' "$out/round-$r-jmh.log" "$out/round-$r-jmh-1carrier.log"; then
    echo "a benchmark failed: see the log named above" >&2; exit 1
  fi
  grep -E '^StepOutBench\.' "$out/round-$r-jmh.log" "$out/round-$r-jmh-1carrier.log" | sed 's/^.*round-/round-/'
done

python3 - "$out" "$ROUNDS" <<'EOF' | tee "$out/table.md"
import glob, json, re, statistics as st, sys
out, rounds = sys.argv[1], int(sys.argv[2])
label = {"stepOut": "two tasks, JDK SynchronousQueue: each side steps out in take/put (owned carrier, release)",
         "trapPath": "two tasks, Curio TaskQueue(1): the trap path (owned carrier)",
         "virtualThreads": "two plain virtual threads, JDK SynchronousQueue (default scheduler, 2 carriers)",
         "virtualThreads-1": "the same on one carrier (jdk.virtualThreadScheduler.parallelism=1)"}
ns, cpu, outs = {}, {}, {}
for r in range(1, rounds + 1):
    for suffix, tag in (("", ""), ("-1carrier", "-1")):
        for b in json.load(open(f"{out}/round-{r}-jmh{suffix}.json")):
            path = b["benchmark"].rsplit(".", 1)[1] + tag
            ns.setdefault(path, []).append(b["primaryMetric"]["score"])
        for line in open(f"{out}/round-{r}-jmh{suffix}.log"):
            m = re.search(r"RESULT (\{.*\})", line)
            if m:
                d = json.loads(m.group(1)); path = d["path"] + tag
                cpu.setdefault(path, []).append(d["cpu_ns_per_op"])
                if "step_outs_per_item" in d: outs.setdefault(path, []).append(d["step_outs_per_item"])
def span(xs): return f"{st.median(xs):,.0f}" + (f" ({min(xs):,.0f}-{max(xs):,.0f})" if len(xs) > 1 else "")
print(open(f"{out}/env.txt").read().strip().replace("\n", "; "))
print()
print("| hand-off, per item | ns, median (range over rounds) | process CPU ns | vs the trap path | step outs per item |")
print("| --- | --- | --- | --- | --- |")
trap = st.median(ns["trapPath"])
for p in ("stepOut", "trapPath", "virtualThreads", "virtualThreads-1"):
    if p not in ns: continue
    o = f"{st.median(outs[p]):.2f}" if p in outs else ""
    print(f"| {label[p]} | {span(ns[p])} | {span(cpu.get(p, [0]))} | {st.median(ns[p]) / trap:.2f}x | {o} |")
EOF
echo "(raw results in $out)"
