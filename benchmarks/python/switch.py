"""Task switch in CPython Curio: sleep(0) among N tasks, nanoseconds per switch.

Same shape as the Java SwitchBench: N - 1 workers yield forever, the main task yields too; after a
warm-up, every task counts its runs for a fixed time, and the score is elapsed time / runs (each
run of a task is one switch); process CPU time / runs is given too. Task creation is outside the timed part.

Run as plain ``python3``, Curio checks ``assert task not in ready`` at every reschedule, a scan of
the ready queue: a switch then costs O(N). ``python3 -O`` drops the check; the comparison runs both.
"""
import time

from _curio_path import parser, import_curio, result


def measure(curio, ntasks, warmup, seconds):
    runs = [0]
    stop = [False]

    async def worker():
        while not stop[0]:
            await curio.sleep(0)
            runs[0] += 1

    async def main():
        for _ in range(ntasks - 1):
            await curio.spawn(worker, daemon=True)
        for phase_seconds, timed in ((warmup, False), (seconds, True)):
            start_runs = runs[0]
            start_cpu = time.process_time()
            start = time.perf_counter()
            end = start + phase_seconds
            while True:
                await curio.sleep(0)
                runs[0] += 1
                now = time.perf_counter()
                if now >= end:
                    break
            if timed:
                ops = runs[0] - start_runs
                score = (now - start) * 1e9 / ops, (time.process_time() - start_cpu) * 1e9 / ops, ops
        # Let the workers end by themselves: cancelling them one by one at kernel shutdown would
        # cost N rounds of N switches.
        stop[0] = True
        await curio.sleep(0)
        return score

    return curio.run(main)


def main():
    p = parser(__doc__)
    p.add_argument("--tasks", type=int, nargs="+", default=[2, 100, 10000])
    p.add_argument("--warmup", type=float, default=1.0)
    p.add_argument("--seconds", type=float, default=3.0)
    a = p.parse_args()
    curio = import_curio(a.curio)
    for n in a.tasks:
        if n < 2:
            raise SystemExit(f"--tasks must be >= 2, was {n}")
        ns, cpu_ns, switches = measure(curio, n, a.warmup, a.seconds)
        print(f"switch tasks={n}: {ns:,.0f} ns/switch, CPU {cpu_ns:,.0f} ns/switch ({switches:,} switches)")
        result(bench="switch", tasks=n, ns_per_op=ns, cpu_ns_per_op=cpu_ns, ops=switches)


if __name__ == "__main__":
    main()
