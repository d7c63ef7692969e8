"""CPython Curio's workers: run_in_thread and run_in_process round trips of a function returning 1,
and the process pool's cold start.

- thread: ``await curio.run_in_thread(one)`` in a loop (the shape of Curio's own
  examples/bench/thread_perf.py, with a trivial function), nanoseconds per call.
- process cold start: a fresh kernel (so a fresh pool), then the first ``run_in_process(one)``
  (Curio launches a worker interpreter with multiprocessing's spawn context) and a second call on
  the warm worker; repeated --cold times.
- process warm: ``run_in_process(one)`` in a loop after a first call; Curio 1.6 keeps its worker
  processes in a pool and reuses them, so this is a warm round trip (a pickled request and reply
  over a pipe).
"""
import time

from _curio_path import parser, import_curio, result


def one():
    return 1


def loop(curio, fn, warmup, seconds):
    async def main():
        await fn(one)  # starts the worker (thread or process) outside the timing
        for phase_seconds, timed in ((warmup, False), (seconds, True)):
            calls = 0
            start_cpu = time.process_time()
            start = time.perf_counter()
            end = start + phase_seconds
            while True:
                for _ in range(20):
                    calls += await fn(one)
                now = time.perf_counter()
                if now >= end:
                    break
            if timed:
                return (now - start) * 1e9 / calls, (time.process_time() - start_cpu) * 1e9 / calls, calls

    return curio.run(main)


def cold(curio):
    async def main():
        t0 = time.perf_counter()
        a = await curio.run_in_process(one)
        t1 = time.perf_counter()
        b = await curio.run_in_process(one)
        t2 = time.perf_counter()
        if a + b != 2:
            raise SystemExit(f"calls returned {a} and {b}")
        return (t1 - t0) * 1e3, (t2 - t1) * 1e3

    return curio.run(main)


def main():
    p = parser(__doc__)
    p.add_argument("--warmup", type=float, default=1.0)
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--cold", type=int, default=3, help="cold starts of the process pool")
    a = p.parse_args()
    curio = import_curio(a.curio)
    ns, cpu_ns, calls = loop(curio, curio.run_in_thread, a.warmup, a.seconds)
    print(f"run_in_thread: {ns:,.0f} ns/call, CPU {cpu_ns:,.0f} ns/call ({calls:,} calls)")
    result(bench="run_in_thread", ns_per_op=ns, cpu_ns_per_op=cpu_ns, ops=calls)
    for r in range(1, a.cold + 1):
        first_ms, second_ms = cold(curio)
        print(f"run_in_process cold start {r}: first call {first_ms:.1f} ms, second call (warm) {second_ms:.3f} ms")
        result(bench="process_cold", first_call_ms=first_ms, second_call_ms=second_ms, ok=True)
    ns, cpu_ns, calls = loop(curio, curio.run_in_process, a.warmup, a.seconds)
    # Process CPU time counts this interpreter only, not the worker's.
    print(f"run_in_process (warm pool): {ns:,.0f} ns/call, CPU {cpu_ns:,.0f} ns/call ({calls:,} calls)")
    result(bench="run_in_process", ns_per_op=ns, cpu_ns_per_op=cpu_ns, ops=calls)


if __name__ == "__main__":
    main()
