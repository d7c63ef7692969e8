@file:JvmName("OneThreadCoroutines")

package dev.curio.bench.kotlin

// The Kotlin peer of the kernel and queue benchmarks (issue 15): the same shapes as SwitchBench,
// SpawnJoinBench and QueueHandoffBench, written with kotlinx.coroutines on one thread
// (`runBlocking`'s event loop, the calling thread only), as a Kotlin user would write them. The
// Java JMH classes (KotlinSwitchBench, ...) call these functions, so both sides are measured by
// the same harness in the same run. Each function returns what it counted, and the callers check
// it: a benchmark that did less work than it claims fails instead of scoring.
//
// Thread-safety: every coroutine of one call runs on the calling thread (runBlocking), so the
// counters captured by the lambdas need no synchronisation.

import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.launch
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield

/** Boxed once, as QueueHandoffBench's values, so that neither side allocates per item. */
private val VALUES: Array<Int> = Array(1_000_000) { it }

/**
 * Task switch: `tasks` coroutines (the runBlocking body and `tasks - 1` launched ones) each
 * `yield()` `rounds` times. Returns the number of runs between yields: `tasks * rounds`.
 */
fun yieldSwitches(tasks: Int, rounds: Int): Long {
    var runs = 0L
    runBlocking {
        repeat(tasks - 1) {
            launch {
                repeat(rounds) {
                    yield()
                    runs++
                }
            }
        }
        repeat(rounds) {
            yield()
            runs++
        }
    }
    return runs
}

/** Spawn + join: `launch {}.join()` of a trivial coroutine, `n` times. Returns how many ran. */
fun launchJoin(n: Int): Long {
    var ran = 0L
    runBlocking {
        repeat(n) {
            launch { ran++ }.join()
        }
    }
    return ran
}

/**
 * Hand-off through a `Channel(capacity)` between a producer and a consumer coroutine (capacity 0
 * here means unlimited, as a TaskQueue's maxsize 0). Returns the sum of the items received, after
 * checking that they arrived in order.
 */
fun channelHandOff(capacity: Int, items: Int): Long {
    require(items <= VALUES.size) { "items must be at most ${VALUES.size}, was $items" }
    return runBlocking {
        val ch = Channel<Int>(if (capacity == 0) Channel.UNLIMITED else capacity)
        val consumer = async {
            var sum = 0L
            for (i in 0 until items) {
                val v = ch.receive()
                check(v == i) { "item $i arrived as $v" }
                sum += v
            }
            sum
        }
        launch {
            for (i in 0 until items) {
                ch.send(VALUES[i])
            }
        }
        consumer.await()
    }
}
