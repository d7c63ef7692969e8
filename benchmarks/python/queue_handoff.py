"""Queue hand-off between two tasks in CPython Curio (curio.Queue), nanoseconds per item.

Same shape as the Java QueueHandoffBench: per batch a consumer task and a producer task are
spawned, the producer puts BATCH items, the consumer gets and checks them; batches repeat for the
warm-up, then for the timed phase. maxsize 1 is the hand-off proper (each put after the first
waits for a get: two task switches per item); maxsize 0 (unbounded) is the operations alone.
"""
import time

from _curio_path import parser, import_curio, result

BATCH = 10_000


def measure(curio, maxsize, warmup, seconds):
    async def consumer(q):
        for i in range(BATCH):
            v = await q.get()
            if v != i:
                raise SystemExit(f"item {i} arrived as {v}")

    async def producer(q):
        for i in range(BATCH):
            await q.put(i)

    async def main():
        for phase_seconds, timed in ((warmup, False), (seconds, True)):
            items = 0
            start_cpu = time.process_time()
            start = time.perf_counter()
            end = start + phase_seconds
            while True:
                q = curio.Queue(maxsize=maxsize)
                c = await curio.spawn(consumer, q)
                p = await curio.spawn(producer, q)
                await p.join()
                await c.join()
                items += BATCH
                now = time.perf_counter()
                if now >= end:
                    break
            if timed:
                return (now - start) * 1e9 / items, (time.process_time() - start_cpu) * 1e9 / items, items

    return curio.run(main)


def main():
    p = parser(__doc__)
    p.add_argument("--maxsize", type=int, nargs="+", default=[1, 0])
    p.add_argument("--warmup", type=float, default=1.0)
    p.add_argument("--seconds", type=float, default=3.0)
    a = p.parse_args()
    curio = import_curio(a.curio)
    for m in a.maxsize:
        ns, cpu_ns, items = measure(curio, m, a.warmup, a.seconds)
        print(f"queue maxsize={m}: {ns:,.0f} ns/item, CPU {cpu_ns:,.0f} ns/item ({items:,} items)")
        result(bench="queue", maxsize=m, ns_per_op=ns, cpu_ns_per_op=cpu_ns, ops=items)


if __name__ == "__main__":
    main()
