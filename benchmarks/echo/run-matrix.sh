#!/usr/bin/env bash
# Issue 5's echo figures in one go: run.sh (ours, CPython Curio 1.6 and the virtual-thread baseline,
# alternating A B C A B C) once per pinning (PINS) and per carrier of our server (CARRIERS), one
# after another, then a summary of the means with the issue's targets (pinned: ours >= 1.5x Curio's
# requests/s and >= the virtual-thread server's; unpinned figures are reported against the same
# bars for information).
#
# Usage: benchmarks/echo/run-matrix.sh CURIO16_DIR
# Settings (environment), besides run.sh's FORM, SIZE, SECS, ROUNDS, JAVA, BENCH_DIR:
#   PINS="1 0"               pinned (server cpu 0, client cpu 1), then unpinned      ["1 0"]
#   CARRIERS="owned default" carriers of our server                                  ["owned default"]
#   CONNS="1 100"            connection counts                                       ["1 100"]
# (At 1,000 connections our example server's listen backlog of 5, the tutorial's, makes the load
# client's sequential connects wait for SYN retransmissions: setting up takes minutes, so 1000 is
# not in the default list; the requests/s, measured once all are connected, are not affected.)
# Outputs go to benchmarks/target/echo-bench/<time>/: one file per run, and summary.txt.
set -euo pipefail

CURIO16=${1:?usage: $0 CURIO16_DIR (the directory holding the curio package)}
HERE=$(cd "$(dirname "$0")" && pwd)
PINS=${PINS:-1 0}
CARRIERS=${CARRIERS:-owned default}
export CONNS=${CONNS:-1 100}
OUT=$HERE/../target/echo-bench/$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"

for pin in $PINS; do
    for carrier in $CARRIERS; do
        f=$OUT/pin-$pin-$carrier-${FORM:-socket}.txt
        echo "== pin=$pin carrier=$carrier form=${FORM:-socket} conns=$CONNS"
        PIN=$pin CARRIER=$carrier "$HERE/run.sh" "$CURIO16" | tee "$f"
    done
done

# Means per (pin, carrier, conns) over the rounds; each round's figures in parentheses.
awk '
    /^# .*form=/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "pin") pin = kv[2]; if (kv[1] == "carrier") car = kv[2]; if (kv[1] == "form") form = kv[2] } }
    /^conns=/ {
        for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        k = pin SUBSEP car SUBSEP form SUBSEP v["conns"]
        if (!(k in n)) order[++m] = k
        n[k]++; o[k] += v["ours"]; c[k] += v["curio16"]; t[k] += v["vt"]
        ro[k] = ro[k] (n[k] > 1 ? "/" : "") v["ours"]; rc[k] = rc[k] (n[k] > 1 ? "/" : "") v["curio16"]; rt[k] = rt[k] (n[k] > 1 ? "/" : "") v["vt"]
    }
    END {
        printf "| pinned | carrier | form | conns | ours req/s | Curio 1.6 req/s | virtual threads req/s | ours/Curio (>= 1.5) | ours/VT (>= 1.0) |\n"
        printf "|---|---|---|---|---|---|---|---|---|\n"
        for (j = 1; j <= m; j++) {
            k = order[j]; split(k, p, SUBSEP)
            a = o[k] / n[k]; b = c[k] / n[k]; d = t[k] / n[k]
            printf "| %s | %s | %s | %s | %.0f (%s) | %.0f (%s) | %.0f (%s) | %.2f %s | %.2f %s |\n", (p[1] == 1 ? "yes" : "no"), p[2], p[3], p[4],
                a, ro[k], b, rc[k], d, rt[k], a / b, (a / b >= 1.5 ? "PASS" : "MISS"), a / d, (a / d >= 1.0 ? "PASS" : "MISS")
        }
    }' "$OUT"/pin-*.txt | tee "$OUT/summary.txt"
echo "(raw results in $OUT)"
