"""Spawn + join of a trivial task in CPython Curio, nanoseconds per spawn + join (elapsed and
process CPU time)."""
import time

from _curio_path import parser, import_curio, result


def measure(curio, warmup, seconds):
    async def trivial():
        return 1

    async def main():
        for phase_seconds, timed in ((warmup, False), (seconds, True)):
            ops = 0
            total = 0
            start_cpu = time.process_time()
            start = time.perf_counter()
            end = start + phase_seconds
            while True:
                for _ in range(100):
                    t = await curio.spawn(trivial)
                    total += await t.join()
                ops += 100
                now = time.perf_counter()
                if now >= end:
                    break
            if total != ops:
                raise SystemExit(f"joined tasks returned {total}, expected {ops}")
            if timed:
                return (now - start) * 1e9 / ops, (time.process_time() - start_cpu) * 1e9 / ops, ops

    return curio.run(main)


def main():
    p = parser(__doc__)
    p.add_argument("--warmup", type=float, default=1.0)
    p.add_argument("--seconds", type=float, default=3.0)
    a = p.parse_args()
    curio = import_curio(a.curio)
    ns, cpu_ns, ops = measure(curio, a.warmup, a.seconds)
    print(f"spawn+join: {ns:,.0f} ns/op, CPU {cpu_ns:,.0f} ns/op ({ops:,} ops)")
    result(bench="spawn_join", ns_per_op=ns, cpu_ns_per_op=cpu_ns, ops=ops)


if __name__ == "__main__":
    main()
