# Shared scaffolding of the echo runners (sourced by run.sh and syscall-path.sh, not run): a
# temporary folder with the shared load client compiled into it, the servers' PIDs killed on exit,
# and helpers for ports and CPU time. Before sourcing: BENCH_DIR (the load client's folder).

TMP=$(mktemp -d)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

gcc -O2 -o "$TMP/echo-load" "$BENCH_DIR/echo-load.c"

# port_free PORT: nothing listens on 127.0.0.1:PORT.
port_free() { ! (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }

# await_port PORT: waits up to 30 s for a server on PORT; otherwise prints the servers' logs and exits.
await_port() {
    for _ in $(seq 300); do port_free "$1" || return 0; sleep 0.1; done
    echo "server on port $1 did not start; its log:" >&2; cat "$TMP"/*.log >&2; exit 1
}

# cpu_ns PID: the CPU time all threads of PID have used so far, in nanoseconds.
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'; }
