#!/usr/bin/env bash
# Reproduces the performance figures of issues 3 (queues, locks, the universal queue) and 4 (worker
# threads and processes) beside CPython Curio 1.6, in A B A B order (Java, Python, Java, Python,
# ...), and prints a table of ns/op, items/s and ratios with the issues' targets.
# Each Java round also runs KotlinChannelBench (Channel(1) on one thread) in the same JMH run.
#
#   CURIO_PATH=/path/to/curio-1.6-source benchmarks/run-sync-workers-bench.sh
#
# CURIO_PATH (or --curio PATH) names a Curio 1.6 source tree (the directory holding the curio
# package); it is never part of this repository. Optional environment:
#   ROUNDS=2        rounds of Java then Python
#   QUICK=1         short iterations, for trying the script out (the figures mean little)
#   COLD=3          cold starts of the process pool per carrier (Java) and per round (Python)
#   SKIP_BUILD=1    reuse benchmarks/target/benchmarks.jar
#   JAVA=/path/to/java  a JDK 25+ java (default: JAVA_HOME, then /usr/lib/jvm/*25*)
# Results, raw outputs and the table go to benchmarks/target/sync-workers-bench/<time>/.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
COLD="${COLD:-3}"
. "$here/bench-common.sh"
benches='dev.curio.bench.(QueueHandoffBench|LockContentionBench|UniversalQueueBench|LinkedBlockingQueueBench|RunInThreadBench|RunInExecutorBench|RunInProcessBench|KotlinChannelBench)'
bench_out sync-workers-bench "cold starts: $COLD"

for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r: Java ($(cut -d' ' -f1-3 /proc/loadavg))"
  "$JAVA" -jar "$jar" "${jmh_opts[@]}" -rf json -rff "$out/round-$r-jmh.json" "$benches" \
      > "$out/round-$r-jmh.log" 2>&1 || { tail -40 "$out/round-$r-jmh.log" >&2; exit 1; }
  grep -E '^(Benchmark |[A-Za-z]+Bench\.)' "$out/round-$r-jmh.log"
  grep -o 'RESULT {.*}' "$out/round-$r-jmh.log" > "$out/round-$r-java.txt"
  for c in owned default; do
    "$JAVA" --add-opens java.base/java.lang=ALL-UNNAMED -cp "$jar" \
        dev.curio.bench.ProcessColdStart "$c" "$COLD" | tee -a "$out/round-$r-java.txt" | grep -v '^RESULT'
  done

  echo "== round $r: Python ($(cut -d' ' -f1-3 /proc/loadavg))"
  # As users run it (assertions on), then with -O (the stricter comparison).
  for opt in "" "-O"; do
    f="$out/round-$r-python${opt}.txt"
    for s in queue_handoff lock_contention universal_queue; do
      "$PY" $opt "$here/python/$s.py" "${py_opts[@]}" | tee -a "$f" | grep -v '^RESULT'
    done
    "$PY" $opt "$here/python/workers.py" "${py_opts[@]}" --cold "$COLD" | tee -a "$f" | grep -v '^RESULT'
  done
done

echo
"$PY" "$here/python/report_sync_workers.py" "$out" | tee "$out/table.txt"
echo "(raw results in $out)"
