package dev.curio.workers;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A bounded pool of worker platform threads for blocking calls (Curio's thread {@code WorkerPool}),
 * handing each call to the most recently idle thread.
 * At most {@link #maxThreads()} threads exist; further calls wait in line. A call whose caller was
 * cancelled before it started never runs; one that started runs to the end as a "zombie" and its
 * result is dropped. Idle threads end after a minute.
 *
 * <p>Thread-safe. Statistics are read from any thread (for metrics).
 */
public final class ThreadWorkers implements AutoCloseable {

    /** Curio's default maximum number of worker threads. */
    public static final int DEFAULT_MAX_THREADS = 64;

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final String name;
    private final LifoThreadPool executor;
    private final AtomicInteger busy = new AtomicInteger();
    private final LongAdder calls = new LongAdder();
    private final LongAdder callNanos = new LongAdder();
    private final AtomicLong maxCallNanos = new AtomicLong();

    public ThreadWorkers(int maxThreads) {
        this("curio-workers-" + POOLS.incrementAndGet(), maxThreads);
    }

    public ThreadWorkers(String name, int maxThreads) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("maxThreads must be >= 1, was " + maxThreads);
        }
        this.name = name;
        this.executor = new LifoThreadPool(maxThreads, 60, TimeUnit.SECONDS, n -> name + "-" + n);
    }

    /** Starts {@code call} on a worker thread; the future completes with its outcome. */
    public <T> CompletableFuture<T> submit(Supplier<T> call) {
        return CompletableFuture.supplyAsync(() -> {
            busy.incrementAndGet();
            long start = System.nanoTime();
            try {
                return call.get();
            } finally {
                long d = System.nanoTime() - start;
                busy.decrementAndGet();
                calls.increment();
                callNanos.add(d);
                maxCallNanos.accumulateAndGet(d, Math::max);
            }
        }, executor);
    }

    public String name() {
        return name;
    }

    public int maxThreads() {
        return executor.max();
    }

    /** Worker threads that exist now (busy or idle). */
    public int liveThreads() {
        return executor.live();
    }

    /** Calls running now (zombies of cancelled callers included). */
    public int busyThreads() {
        return busy.get();
    }

    /** Calls waiting for a free thread. */
    public int queuedCalls() {
        return executor.queued();
    }

    public long completedCalls() {
        return calls.sum();
    }

    /** Total time spent in completed calls. */
    public Duration totalCallTime() {
        return Duration.ofNanos(callNanos.sum());
    }

    public Duration maxCallTime() {
        return Duration.ofNanos(maxCallNanos.get());
    }

    /** Stops taking calls; running ones finish. */
    @Override
    public void close() {
        executor.shutdown();
    }

    /** Waits for the running calls to finish after {@link #close()}. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return executor.awaitTermination(timeout.toNanos());
    }

    public boolean isTerminated() {
        return executor.isTerminated();
    }

    @Override
    public String toString() {
        return "ThreadWorkers(" + name + ", busy=" + busyThreads() + "/" + maxThreads() + ")";
    }
}
