"""A million concurrently sleeping tasks in one CPython Curio kernel: the spawn rate, then all
cancelled the way TaskGroup.cancel_remaining does (every cancel, then every wait), checked."""
import resource
import time

from _curio_path import parser, import_curio, result


def measure(curio, n):
    async def sleep_an_hour():
        await curio.sleep(3600)

    async def main():
        t0 = time.perf_counter()
        tasks = [await curio.spawn(sleep_an_hour) for _ in range(n)]
        t1 = time.perf_counter()
        await curio.sleep(0)  # the main task runs after every sleeper has started
        t2 = time.perf_counter()
        asleep = sum(1 for t in tasks if t.state == "TIME_SLEEP")
        if asleep != n:
            raise SystemExit(f"{asleep} of {n} tasks asleep")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        c0 = time.perf_counter()
        for t in tasks:
            await t.cancel(blocking=False)
        c1 = time.perf_counter()
        for t in tasks:
            await t.wait()
        c2 = time.perf_counter()
        cancelled = sum(1 for t in tasks if t.terminated and t.cancelled)
        return t1 - t0, t2 - t0, c2 - c0, c1 - c0, rss, cancelled

    return curio.run(main)


def main():
    p = parser(__doc__)
    p.add_argument("--tasks", type=int, default=1_000_000)
    a = p.parse_args()
    curio = import_curio(a.curio)
    spawn_s, asleep_s, cancel_s, cancel_calls_s, rss, cancelled = measure(curio, a.tasks)
    n = a.tasks
    print(f"tasks={n:,}: spawn calls {spawn_s:.3f} s ({n / spawn_s:,.0f} tasks/s), "
          f"spawned and asleep {asleep_s:.3f} s ({n / asleep_s:,.0f} tasks/s), peak RSS {rss >> 20:,} MB, "
          f"cancel all + wait all {cancel_s:.3f} s (cancel calls {cancel_calls_s:.3f} s), "
          f"cancelled {cancelled:,} of {n:,}")
    result(bench="sleepers", tasks=n, spawn_s=spawn_s, asleep_s=asleep_s, cancel_s=cancel_s,
           cancel_calls_s=cancel_calls_s, rss_mb=rss >> 20, cancelled=cancelled, ok=cancelled == n)
    if cancelled != n:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
