# Shared set-up of the A B A B bench runners (sourced, not run): arguments, Curio's path, a JDK
# 25+, the build, the JMH/Python options, and the results folder with its env.txt.
# Before sourcing: $here (this folder); after: root, CURIO_PATH, ROUNDS, PY, JAVA, jar, jmh_opts,
# py_opts; then call bench_out NAME "extra env line" to create $out.
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

# bench_out NAME EXTRA: creates $out = target/NAME/<time> and writes env.txt there.
bench_out() {
  out="$here/target/$1/$(date +%Y%m%d-%H%M%S)"
  mkdir -p "$out"
  {
    echo "date: $(date -Is)"; echo "host: $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
    "$JAVA" -version 2>&1 | head -1; "$PY" --version
    echo "git: $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "rounds: $ROUNDS, quick: ${QUICK:-0}, $2"
  } | tee "$out/env.txt"
}
