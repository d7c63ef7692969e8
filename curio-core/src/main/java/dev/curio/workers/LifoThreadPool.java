package dev.curio.workers;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * A bounded pool of platform threads that hands work to the most recently idle thread (its caches
 * are warm, and the others can time out), and queues work FIFO once every thread is busy. Idle
 * threads end after {@code keepAlive}. {@code ThreadPoolExecutor} wakes its threads in FIFO order
 * instead, a cold thread for every call of a sequential caller.
 *
 * <p>Thread-safe: {@code idle}, {@code queue}, {@code live} and {@code closed} are guarded by
 * {@code this}; a worker's {@code work} slot is written under the lock and read by its thread.
 */
final class LifoThreadPool implements Executor {

    private final class Worker implements Runnable {
        final Thread thread;
        volatile Runnable work;

        Worker(Runnable first, String name) {
            this.work = first;
            this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this);
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Runnable r = work;
                    work = null;
                    r.run();
                    if (!nextWork(this)) {
                        return;
                    }
                }
            } finally {
                synchronized (LifoThreadPool.this) {
                    live--;
                    LifoThreadPool.this.notifyAll();
                }
            }
        }
    }

    /** How long an idle thread spins for new work before it parks. */
    private static final long SPIN_NANOS = 20_000;

    private final int max;
    private final long keepAliveNanos;
    private final IntFunction<String> names;
    private final ArrayDeque<Worker> idle = new ArrayDeque<>();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private int live;
    private int started;
    private boolean closed;

    LifoThreadPool(int max, long keepAlive, TimeUnit unit, IntFunction<String> names) {
        this.max = max;
        this.keepAliveNanos = unit.toNanos(keepAlive);
        this.names = names;
    }

    @Override
    public void execute(Runnable r) {
        Worker w;
        synchronized (this) {
            if (closed) {
                throw new RejectedExecutionException("the worker thread pool is closed");
            }
            w = idle.pollLast();
            if (w == null) {
                if (live >= max) {
                    queue.addLast(r);
                    return;
                }
                live++;
                w = new Worker(r, names.apply(++started));
                w.thread.start();
                return;
            }
            w.work = r;
        }
        LockSupport.unpark(w.thread);
    }

    /** After a call: takes queued work, or waits idle for work; false when the thread must end. */
    private boolean nextWork(Worker me) {
        synchronized (this) {
            Runnable r = queue.pollFirst();
            if (r != null) {
                me.work = r;
                return true;
            }
            if (closed) {
                return false;
            }
            idle.addLast(me);
        }
        // A caller that just got a result often sends the next call at once: spin briefly before
        // parking, which saves the sleeping thread's wake-up on the round trip.
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (me.work == null && System.nanoTime() < spinUntil) {
            Thread.onSpinWait();
        }
        long deadline = System.nanoTime() + keepAliveNanos;
        while (me.work == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                synchronized (this) {
                    if (me.work == null) {
                        idle.remove(me); // timed out idle (or closed)
                        return false;
                    }
                }
                break;
            }
            LockSupport.parkNanos(this, left);
            synchronized (this) {
                if (closed && me.work == null) {
                    idle.remove(me);
                    return false;
                }
            }
        }
        return true;
    }

    synchronized int live() {
        return live;
    }

    synchronized int queued() {
        return queue.size();
    }

    int max() {
        return max;
    }

    /** Takes no more work; idle threads end, busy ones end after their call and the queue. */
    void shutdown() {
        Worker[] sleepers;
        synchronized (this) {
            closed = true;
            sleepers = idle.toArray(new Worker[0]);
        }
        for (Worker w : sleepers) {
            LockSupport.unpark(w.thread);
        }
    }

    synchronized boolean awaitTermination(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (live > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    synchronized boolean isTerminated() {
        return closed && live == 0;
    }
}
