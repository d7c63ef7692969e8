package dev.curio.bench;

/**
 * A platform thread that puts {@code count} items, started per invocation by the queue throughput
 * benchmarks (one thread start against a million items). {@link #finish()} joins it and rethrows
 * what it threw, so a broken producer fails the benchmark.
 *
 * <p>Thread-safety: {@link #failure} is written by the producer thread and read after the join,
 * which orders it.
 */
final class ThreadProducer {

    /** What the producer does with one item. */
    @FunctionalInterface
    interface Put {
        void put(Integer item) throws InterruptedException;
    }

    private final Thread thread;
    private Throwable failure;

    private ThreadProducer(Integer[] items, Put put) {
        thread = Thread.ofPlatform().name("bench-producer").unstarted(() -> {
            try {
                for (Integer item : items) {
                    put.put(item);
                }
            } catch (Throwable t) {
                failure = t;
            }
        });
    }

    static ThreadProducer start(Integer[] items, Put put) {
        ThreadProducer p = new ThreadProducer(items, put);
        p.thread.start();
        return p;
    }

    void finish() throws InterruptedException {
        thread.join();
        if (failure != null) {
            throw new IllegalStateException("the producer thread failed", failure);
        }
    }

    static Integer[] boxed(int n) {
        Integer[] items = new Integer[n];
        for (int i = 0; i < n; i++) {
            items[i] = i;
        }
        return items;
    }
}
