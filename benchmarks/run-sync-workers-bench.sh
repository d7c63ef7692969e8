#!/usr/bin/env bash
# Reproduces the performance figures of issues 3 (queues, locks, the universal queue) and 4 (worker
# threads and processes) beside CPython Curio 1.6, in A B A B order (Java, Python, Java, Python,
# ...), and prints a table of ns/op, items/s and ratios with the issues' targets.
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
root="$(dirname "$here")"
while [ $# -gt 0 ]; do
  case "$1" in
    --curio) CURIO_PATH="$2"; shift 2 ;;
    *) echo "unknown argument: $1 (usage: $0 [--curio PATH])" >&2; exit 2 ;;
  esac
done
: "${CURIO_PATH:?set CURIO_PATH (or --curio PATH) to a Curio 1.6 source tree}"
[ -d "$CURIO_PATH/curio" ] || { echo "no curio package under $CURIO_PATH" >&2; exit 2; }
export CURIO_PATH
ROUNDS="${ROUNDS:-2}"
COLD="${COLD:-3}"
PY="${PYTHON:-python3}"

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

if [ "${QUICK:-0}" = 1 ]; then
  jmh_opts=(-wi 1 -w 1 -i 2 -r 1 -f 1); py_opts=(--warmup 0.3 --seconds 1)
else
  jmh_opts=(); py_opts=(--warmup 1 --seconds 3)   # JMH: the classes' annotations (3 x 1 s warm-up, 5 x 1 s)
fi
benches='dev.curio.bench.(QueueHandoffBench|LockContentionBench|UniversalQueueBench|LinkedBlockingQueueBench|RunInThreadBench|RunInExecutorBench|RunInProcessBench)'
out="$here/target/sync-workers-bench/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
{
  echo "date: $(date -Is)"; echo "host: $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$JAVA" -version 2>&1 | head -1; "$PY" --version
  echo "git: $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "rounds: $ROUNDS, quick: ${QUICK:-0}, cold starts: $COLD"
} | tee "$out/env.txt"

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
