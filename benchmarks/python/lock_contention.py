"""curio.Lock under contention in CPython Curio: 100 tasks each do ``async with lock: await
curio.sleep(0)`` over and over; nanoseconds per acquire.

Same shape as the Java LockContentionBench: per batch the tasks are spawned, each does a fixed
number of acquires, and they are joined; batches repeat for the warm-up, then for the timed phase.
The tasks check that no two of them ever hold the lock at once.
"""
import time

from _curio_path import parser, import_curio, result

TASKS = 100
ACQUIRES = 10_000  # per batch, ACQUIRES // TASKS per task


def measure(curio, warmup, seconds):
    lock = curio.Lock()
    holders = [0]

    async def contender():
        for _ in range(ACQUIRES // TASKS):
            async with lock:
                holders[0] += 1
                if holders[0] != 1:
                    raise SystemExit(f"{holders[0]} tasks hold the lock")
                await curio.sleep(0)
                holders[0] -= 1

    async def main():
        for phase_seconds, timed in ((warmup, False), (seconds, True)):
            acquires = 0
            start_cpu = time.process_time()
            start = time.perf_counter()
            end = start + phase_seconds
            while True:
                tasks = [await curio.spawn(contender) for _ in range(TASKS)]
                for t in tasks:
                    await t.join()
                acquires += ACQUIRES
                now = time.perf_counter()
                if now >= end:
                    break
            if timed:
                return (now - start) * 1e9 / acquires, (time.process_time() - start_cpu) * 1e9 / acquires, acquires

    return curio.run(main)


def main():
    p = parser(__doc__)
    p.add_argument("--warmup", type=float, default=1.0)
    p.add_argument("--seconds", type=float, default=3.0)
    a = p.parse_args()
    curio = import_curio(a.curio)
    ns, cpu_ns, acquires = measure(curio, a.warmup, a.seconds)
    print(f"lock, {TASKS} tasks: {ns:,.0f} ns/acquire, CPU {cpu_ns:,.0f} ns/acquire ({acquires:,} acquires)")
    result(bench="lock", tasks=TASKS, ns_per_op=ns, cpu_ns_per_op=cpu_ns, ops=acquires)


if __name__ == "__main__":
    main()
