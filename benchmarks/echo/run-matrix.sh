#!/usr/bin/env bash
# The echo figures in one go: run.sh (ours, CPython Curio 1.6, the virtual-thread baseline and
# Netty's epoll server with one event loop, alternating A B C D A B C D) once per pinning (PINS) and
# per carrier of our server (CARRIERS), one after another, then a summary with the targets
# (pinned: ours >= 1.5x Curio's requests/s, >= the virtual-thread server's (issue 5) and >= Netty's
# (issue 15); unpinned figures are reported against the same bars for information). The summary gives medians: on loopback a server's rate moves between two levels
# from one measurement to the next (about 170k and 350k req/s here at 100 connections, for the JDK
# server as for ours: TCP's own rhythm, not the server), so a mean of a few rounds says more about
# which level each round hit than about the servers; the median of the per-round ratios, each
# taken between measurements seconds apart, says more. Pinned runs on a machine where perf counts
# instructions also give each server's instructions per request on its processor (run.sh).
#
# Usage: benchmarks/echo/run-matrix.sh CURIO16_DIR
# Settings (environment), besides run.sh's FORM, SIZE, SECS, ROUNDS, JAVA, BENCH_DIR:
#   PINS="1 0"               pinned (server cpu 0, client cpu 1), then unpinned      ["1 0"]
#   CARRIERS="owned default" carriers of our server                                  ["owned default"]
#   CONNS="1 100 1000"       connection counts                                       ["1 100 1000"]
# Outputs go to benchmarks/target/echo-bench/<time>/: one file per run, and summary.txt.
set -euo pipefail

CURIO16=${1:?usage: $0 CURIO16_DIR (the directory holding the curio package)}
HERE=$(cd "$(dirname "$0")" && pwd)
PINS=${PINS:-1 0}
CARRIERS=${CARRIERS:-owned default}
export CONNS=${CONNS:-1 100 1000}
OUT=$HERE/../target/echo-bench/$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"

for pin in $PINS; do
    for carrier in $CARRIERS; do
        f=$OUT/pin-$pin-$carrier-${FORM:-socket}.txt
        echo "== pin=$pin carrier=$carrier form=${FORM:-socket} conns=$CONNS"
        PIN=$pin CARRIER=$carrier "$HERE/run.sh" "$CURIO16" | tee "$f"
    done
done

# Medians per (pin, carrier, conns) over the rounds, each round's figures in parentheses, and the
# median of the per-round ratios (ours and the others were measured seconds apart in each round).
awk '
    function median(list,    a, k, t, i, j) {
        k = split(list, a, "/")
        for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
        return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    function add(list, x) { return list (list == "" ? "" : "/") x }
    /^# .*form=/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "pin") pin = kv[2]; if (kv[1] == "carrier") car = kv[2]; if (kv[1] == "form") form = kv[2] } }
    /^conns=/ {
        for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        k = pin SUBSEP car SUBSEP form SUBSEP v["conns"]
        if (!(k in ro)) order[++m] = k
        ro[k] = add(ro[k], v["ours"]); rc[k] = add(rc[k], v["curio16"]); rt[k] = add(rt[k], v["vt"]); rn[k] = add(rn[k], v["netty"])
        qc[k] = add(qc[k], sprintf("%.2f", v["ours"] / v["curio16"])); qt[k] = add(qt[k], sprintf("%.2f", v["ours"] / v["vt"]))
        qn[k] = add(qn[k], sprintf("%.2f", v["ours"] / v["netty"]))
        if ("instr" in v) { split(v["instr"], w, "/"); io[k] = add(io[k], w[1]); ic[k] = add(ic[k], w[2]); iv[k] = add(iv[k], w[3]); in_[k] = add(in_[k], w[4]) }
        if ("cpu" in v) { split(v["cpu"], w, "/"); co[k] = add(co[k], w[1]); cc[k] = add(cc[k], w[2]); cv[k] = add(cv[k], w[3]); cn[k] = add(cn[k], w[4]) }
        delete v
    }
    END {
        printf "| pinned | carrier | form | conns | ours req/s | Curio 1.6 req/s | virtual threads req/s | Netty 1 loop req/s | ours/Curio (>= 1.5) | ours/VT (>= 1.0) | ours/Netty (>= 1.0) | instructions/req ours, Curio, VT, Netty | server CPU ns/req ours, Curio, VT, Netty |\n"
        printf "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        for (j = 1; j <= m; j++) {
            k = order[j]; split(k, p, SUBSEP)
            a = median(qc[k]); b = median(qt[k]); n = median(qn[k])
            instr = (k in io) ? sprintf("%.0f, %.0f, %.0f, %.0f", median(io[k]), median(ic[k]), median(iv[k]), median(in_[k])) : "-"
            cpu = (k in co) ? sprintf("%.0f, %.0f, %.0f, %.0f", median(co[k]), median(cc[k]), median(cv[k]), median(cn[k])) : "-"
            printf "| %s | %s | %s | %s | %.0f (%s) | %.0f (%s) | %.0f (%s) | %.0f (%s) | %.2f (%s) %s | %.2f (%s) %s | %.2f (%s) %s | %s | %s |\n", (p[1] == 1 ? "yes" : "no"), p[2], p[3], p[4],
                median(ro[k]), ro[k], median(rc[k]), rc[k], median(rt[k]), rt[k], median(rn[k]), rn[k],
                a, qc[k], (a >= 1.5 ? "PASS" : "MISS"), b, qt[k], (b >= 1.0 ? "PASS" : "MISS"), n, qn[k], (n >= 1.0 ? "PASS" : "MISS"), instr, cpu
        }
    }' "$OUT"/pin-*.txt | tee "$OUT/summary.txt"
echo "(raw results in $OUT)"
