"""curio.UniversalQueue from a platform thread to a task in CPython Curio, items per second.

Same shape as the Java UniversalQueueBench: per batch a fresh queue and a fresh producer thread
that puts BATCH items (the thread's blocking put), a task gets and checks them; batches repeat for
the warm-up, then for the timed phase. maxsize 0 is unbounded.
"""
import threading
import time

from _curio_path import parser, import_curio, result

BATCH = 100_000


def measure(curio, maxsize, warmup, seconds):
    async def main():
        for phase_seconds, timed in ((warmup, False), (seconds, True)):
            items = 0
            start_cpu = time.process_time()
            start = time.perf_counter()
            end = start + phase_seconds
            while True:
                q = curio.UniversalQueue(maxsize=maxsize)

                def produce():
                    for i in range(BATCH):
                        q.put(i)

                t = threading.Thread(target=produce)
                t.start()
                for i in range(BATCH):
                    v = await q.get()
                    if v != i:
                        raise SystemExit(f"item {i} arrived as {v}")
                t.join()
                items += BATCH
                now = time.perf_counter()
                if now >= end:
                    break
            if timed:
                return (now - start) * 1e9 / items, (time.process_time() - start_cpu) * 1e9 / items, items

    return curio.run(main)


def main():
    p = parser(__doc__)
    p.add_argument("--maxsize", type=int, nargs="+", default=[0, 1024])
    p.add_argument("--warmup", type=float, default=1.0)
    p.add_argument("--seconds", type=float, default=3.0)
    a = p.parse_args()
    curio = import_curio(a.curio)
    for m in a.maxsize:
        ns, cpu_ns, items = measure(curio, m, a.warmup, a.seconds)
        print(f"universal queue thread -> task, maxsize={m}: {1e9 / ns:,.0f} items/s ({ns:,.0f} ns/item), "
              f"CPU {cpu_ns:,.0f} ns/item ({items:,} items)")
        result(bench="universal_queue", capacity=m, ns_per_op=ns, cpu_ns_per_op=cpu_ns, ops=items)


if __name__ == "__main__":
    main()
