"""Reads one run-sync-workers-bench.sh output directory and prints the comparison table and the
targets of issues 3 and 4. Inputs: round-N-jmh.json (JMH), round-N-java.txt and round-N-python*.txt
(lines starting with RESULT). Means are over the rounds; every round's figure is printed too."""
import glob
import json
import os
import sys
from statistics import mean, median

JMH = {  # JMH benchmark method -> (bench, parameter that is the row's key)
    "QueueHandoffBench.handOff": ("queue", "maxsize"),
    "LockContentionBench.acquireRelease": ("lock", None),
    "UniversalQueueBench.threadToTask": ("universal_queue", "capacity"),
    "LinkedBlockingQueueBench.threadToThread": ("lbq", "capacity"),
    "RunInThreadBench.roundTrip": ("run_in_thread", None),
    "RunInExecutorBench.roundTrip": ("run_in_executor", "executor"),
    "RunInProcessBench.roundTrip": ("run_in_process", None),
    "KotlinChannelBench.handOff": ("queue", "capacity"),
}
KEYS = ("maxsize", "capacity", "executor")


def norm(key):
    return str(key) if key is not None else None


def load(outdir):
    """{(impl, bench, key): [value per round]}; impl is java-owned, java-default, java-threads, curio, curio-O."""
    data = {}

    def put(key, value):
        data.setdefault(key, []).append(value)

    for f in sorted(glob.glob(os.path.join(outdir, "round-*-jmh.json"))):
        for e in json.load(open(f)):
            name = ".".join(e["benchmark"].split(".")[-2:])
            if name not in JMH:
                continue
            bench, param = JMH[name]
            p = e.get("params", {})
            impl = "kotlin" if name.startswith("Kotlin") else "java-" + p.get("carrier", "threads")
            put((impl, bench, norm(p.get(param)) if param else None), e["primaryMetric"]["score"])
    for f in sorted(glob.glob(os.path.join(outdir, "round-*.txt"))):
        base = os.path.basename(f)
        variant = "curio-O" if base.endswith("-O.txt") else "curio"
        for line in open(f):
            if not line.startswith("RESULT "):
                continue
            r = json.loads(line[len("RESULT "):])
            impl = "java-" + r["carrier"] if r["impl"] == "java" else "kotlin" if r["impl"] == "kotlin" else variant
            key = next((norm(r[k]) for k in KEYS if k in r), None)
            if r["bench"] == "process_cold":
                for k in ("first_call_ms", "launch_ms", "second_call_ms"):
                    if k in r:
                        put((impl, "process_cold", k), r[k])
                put((impl, "process_cold", "ok"), bool(r["ok"]))
                continue
            if "ns_per_op" in r:
                put((impl, r["bench"], key), r["ns_per_op"])
            if "cpu_ns_per_op" in r:
                put((impl, r["bench"] + "_cpu", key), r["cpu_ns_per_op"])
    return data


def fmt(values, scale=1.0, digits=0):
    if not values:
        return "-"
    vs = [v * scale for v in values]
    f = lambda x: f"{x:,.{digits}f}"
    return f"{f(mean(vs))} ({'/'.join(f(v) for v in vs)})" if len(vs) > 1 else f(vs[0])


def ratio(a, b):
    return mean(a) / mean(b) if a and b else None


def fr(x):
    return "-" if x is None else f"{x:.1f}x" if x >= 10 else f"{x:.2f}x"


def rate(ns):
    """ns/item per round -> items/s per round"""
    return [1e9 / v for v in ns]


def print_table(head, rows):
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
    print("| " + " | ".join(c.ljust(w) for c, w in zip(head, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")


def main(outdir):
    d = load(outdir)
    g = lambda impl, bench, key=None: d.get((impl, bench, norm(key)), [])
    curios = (("curio", "python3"), ("curio-O", "python3 -O"))

    for suffix, title in (("", "Elapsed time (JMH score; Python: perf_counter)"),
                          ("_cpu", "Process CPU time per op (this process only: not a worker process's)")):
        print(f"{title}, ns/op. Means over the rounds; each round's figure in parentheses."
              " Ratio = Curio time / Java time.")
        rows = []
        for label, bench, key in (("queue hand-off, maxsize 1 (ns/item)", "queue", 1),
                                  ("queue put+get, unbounded (ns/item)", "queue", 0),
                                  ("lock, 100 tasks (ns/acquire)", "lock", None),
                                  ("runInThread / run_in_thread (ns/call)", "run_in_thread", None),
                                  ("runInProcess, warm pool (ns/call)", "run_in_process", None)):
            b = bench + suffix
            jo, jd, c, co = (g(i, b, key) for i in ("java-owned", "java-default", "curio", "curio-O"))
            rows.append([label, fmt(jo), fmt(jd), fmt(c), fmt(co), fr(ratio(c, jo)), fr(ratio(c, jd)),
                         fr(ratio(co, jo)), fr(ratio(co, jd))])
        print_table(["benchmark", "Java owned", "Java default", "Curio python3", "Curio python3 -O",
                     "Curio/owned", "Curio/default", "Curio -O/owned", "Curio -O/default"], rows)
        print()

    print("UniversalQueue, platform thread -> task, items/s (from the elapsed ns/item), beside"
          " LinkedBlockingQueue between two platform threads in the same JMH run:")
    rows = []
    for cap in (0, 1024):
        lbq = g("java-threads", "lbq", cap)
        for impl, label in (("java-owned", "Java owned"), ("java-default", "Java default"),
                            ("curio", "Curio python3"), ("curio-O", "Curio python3 -O")):
            v = g(impl, "universal_queue", cap)
            if v:
                rows.append([f"capacity {cap or 'unbounded'}", label, fmt(rate(v)),
                             fr(ratio(rate(v), rate(lbq))) if lbq else "-"])
        if lbq:
            rows.append([f"capacity {cap or 'unbounded'}", "LinkedBlockingQueue, 2 threads", fmt(rate(lbq)), "1.00x"])
    print_table(["queue", "implementation", "items/s", "vs LinkedBlockingQueue"], rows)
    print()

    print("Diagnostic: runInExecutor round trip by pool (ns/call); fixed64 is built like runInThread's pool:")
    rows = []
    for ex in ("fixed64", "cached"):
        rows.append([ex, fmt(g("java-owned", "run_in_executor", ex)), fmt(g("java-default", "run_in_executor", ex))])
    print_table(["executor", "Java owned", "Java default"], rows)
    print()

    print("Process pool cold start (ms; one shot per pool, every repetition listed):")
    for impl, label in (("java-owned", "Java owned"), ("java-default", "Java default"),
                        ("curio", "Curio python3"), ("curio-O", "Curio python3 -O")):
        first = g(impl, "process_cold", "first_call_ms")
        if not first:
            continue
        launch = g(impl, "process_cold", "launch_ms")
        print(f"  {label}: first call {fmt(first, digits=1)}"
              + (f"; of which process launch (lastStartTime) {fmt(launch, digits=1)}" if launch else "")
              + f"; second call {fmt(g(impl, 'process_cold', 'second_call_ms'), digits=3)}"
              + f"; checks passed: {all(g(impl, 'process_cold', 'ok'))}")

    print()
    print("Targets (issues 3 and 4), on the means of the elapsed times:")
    for carrier in ("owned", "default"):
        j = "java-" + carrier
        for bench, key, what in (("queue", 1, "queue hand-off"), ("lock", None, "lock, 100 tasks"),
                                 ("run_in_thread", None, "runInThread")):
            for cur, cl in curios:
                r = ratio(g(cur, bench, key), g(j, bench, key))
                if r is not None:
                    print(f"  [{'PASS' if r >= 5 else 'MISS'}] {what}, {carrier}: {r:.1f}x faster than Curio {cl} (>= 5x)"
                          f"; CPU time: {fr(ratio(g(cur, bench + '_cpu', key), g(j, bench + '_cpu', key)))}")
        for cap in (0, 1024):
            v = g(j, "universal_queue", cap)
            lbq = g("java-threads", "lbq", cap)
            if v:
                worst = min(rate(v))
                print(f"  [{'PASS' if worst >= 1_000_000 else 'MISS'}] UniversalQueue thread -> task, {carrier}, "
                      f"capacity {cap or 'unbounded'}: {worst:,.0f} items/s in the slowest round (>= 1,000,000)")
            if v and lbq:
                r = ratio(rate(v), rate(lbq))
                print(f"  [{'PASS' if r >= 0.5 else 'MISS'}] UniversalQueue thread -> task, {carrier}, "
                      f"capacity {cap or 'unbounded'}: {r:.2f}x LinkedBlockingQueue's items/s (>= 0.5x)")
        for cur, cl in curios:
            r = ratio(g(cur, "run_in_process"), g(j, "run_in_process"))
            if r is not None:
                print(f"  [report] runInProcess warm, {carrier}: Curio {cl} time / ours = {r:.2f}x "
                      f"({fmt(g(j, 'run_in_process'))} ns vs {fmt(g(cur, 'run_in_process'))} ns)")

    kotlin(g)


def kotlin(g):
    """Issue 15: ours (owned carrier) against Kotlin's Channel on one thread (runBlocking), from the
    same JMH run of each round; ratio per round (ours / Kotlin), its median, target at most 2x."""
    rows = [("hand-off: TaskQueue(1) vs Channel(1) (ns/item)", 1),
            ("put+get: TaskQueue() vs Channel(UNLIMITED) (ns/item)", 0)]
    if not any(g("kotlin", "queue", k) for _, k in rows):
        return
    print()
    print("Against Kotlin coroutines on one thread (runBlocking), same JMH run per round (issue 15):")
    out = []
    for title, key in rows:
        o, k = g("java-owned", "queue", key), g("kotlin", "queue", key)
        oc, kc = g("java-owned", "queue_cpu", key), g("kotlin", "queue_cpu", key)
        per = [a / b for a, b in zip(o, k)]
        med = median(per) if per else None
        out.append([title, fmt(o), fmt(k), "/".join(f"{x:.2f}" for x in per) or "-",
                    "-" if med is None else f"{med:.2f}x", f"{fmt(oc)}, {fmt(kc)}",
                    "-" if med is None else ("PASS" if med <= 2 else "MISS") if key == 1 else "report"])
    print_table(["benchmark", "ours, owned", "Kotlin", "ours/Kotlin per round", "median", "CPU: ours, Kotlin",
                 "target <= 2x"], out)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: report_sync_workers.py OUTPUT_DIR")
    main(sys.argv[1])
