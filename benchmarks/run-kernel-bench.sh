#!/usr/bin/env bash
# Reproduces the kernel benchmarks of issue 2 beside CPython Curio 1.6, in A B A B order
# (Java, Python, Java, Python, ...), and prints a table of ns/op and ratios. Each Java round also
# runs the Kotlin peers (KotlinSwitchBench, KotlinSpawnJoinBench: coroutines on one thread) in the
# same JMH run; the table ends with ours/Kotlin per round (issue 15).
#
#   CURIO_PATH=/path/to/curio-1.6-source benchmarks/run-kernel-bench.sh
#
# CURIO_PATH (or --curio PATH) names a Curio 1.6 source tree (the directory holding the curio
# package); it is never part of this repository. Optional environment:
#   ROUNDS=2        rounds of Java then Python
#   QUICK=1         short iterations, for trying the script out (the figures mean little)
#   SLEEPERS=1000000  tasks of the sleeping-tasks benchmark
#   SKIP_BUILD=1    reuse benchmarks/target/benchmarks.jar
#   JAVA=/path/to/java  a JDK 25+ java (default: JAVA_HOME, then /usr/lib/jvm/*25*)
# Results, raw outputs and the table go to benchmarks/target/kernel-bench/<time>/.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
SLEEPERS="${SLEEPERS:-1000000}"
. "$here/bench-common.sh"
bench_out kernel-bench "sleepers: $SLEEPERS"

for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r: Java ($(cut -d' ' -f1-3 /proc/loadavg))"
  "$JAVA" -jar "$jar" "${jmh_opts[@]}" -rf json -rff "$out/round-$r-jmh.json" \
      'dev.curio.bench.(SwitchBench|SpawnJoinBench|KotlinSwitchBench|KotlinSpawnJoinBench)' > "$out/round-$r-jmh.log" 2>&1 \
    || { tail -40 "$out/round-$r-jmh.log" >&2; exit 1; }
  grep -E '^(Benchmark |(Kotlin)?(SwitchBench|SpawnJoinBench)\.)' "$out/round-$r-jmh.log"
  grep -o 'RESULT {.*}' "$out/round-$r-jmh.log" > "$out/round-$r-java.txt"
  for c in owned default; do
    "$JAVA" -Xmx4g --add-opens java.base/java.lang=ALL-UNNAMED -cp "$jar" \
        dev.curio.bench.MillionSleepers "$c" "$SLEEPERS" | tee -a "$out/round-$r-java.txt" | grep -v '^RESULT'
  done

  echo "== round $r: Python ($(cut -d' ' -f1-3 /proc/loadavg))"
  # As users run it (assertions on: Curio scans the ready queue at every reschedule) ...
  "$PY" "$here/python/switch.py" "${py_opts[@]}" | tee -a "$out/round-$r-python.txt" | grep -v '^RESULT'
  "$PY" "$here/python/spawn_join.py" "${py_opts[@]}" | tee -a "$out/round-$r-python.txt" | grep -v '^RESULT'
  # ... and with -O, which drops those checks (the stricter comparison). A million spawns with
  # the checks on would take hours (O(n) each), so the sleepers run with -O only.
  "$PY" -O "$here/python/switch.py" "${py_opts[@]}" | tee -a "$out/round-$r-python-O.txt" | grep -v '^RESULT'
  "$PY" -O "$here/python/spawn_join.py" "${py_opts[@]}" | tee -a "$out/round-$r-python-O.txt" | grep -v '^RESULT'
  "$PY" -O "$here/python/sleepers.py" --tasks "$SLEEPERS" | tee -a "$out/round-$r-python-O.txt" | grep -v '^RESULT'
done

echo
"$PY" "$here/python/report.py" "$out" | tee "$out/table.txt"
echo "(raw results in $out)"
