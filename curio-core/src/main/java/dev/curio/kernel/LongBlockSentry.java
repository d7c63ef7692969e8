package dev.curio.kernel;

import java.util.Arrays;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sees a task that holds its kernel too long (CPU work, a call pinned in native code, a file read
 * through {@code java.io}, or any blocking call under {@link BlockingCalls#HOLD}) while it holds
 * it, and says so: a WARN naming the task, how long it has held the kernel and where it is, taken
 * from its stack at that moment, with what to do; {@link Task#lastLongBlock()} and
 * {@link Kernel#longBlocks()} keep it for monitoring.
 *
 * <p>It costs the trap path nothing: one daemon thread for all kernels reads, racily, each watched
 * kernel's holder and that task's cycle count, which the kernel writes anyway; the same task in
 * the same cycle seen for longer than the threshold is a long block, reported once.
 *
 * <p>Threads: {@link #watch} and {@link Watch#stop} from the thread that runs a kernel; everything
 * else on the sentry thread, the only writer of a watch's fields.
 */
final class LongBlockSentry {

    private static final System.Logger LOG = System.getLogger(LongBlock.class.getName());
    /** At most one WARN per kernel in this time; the ones left out are counted in the next. */
    static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int FRAMES = 8;
    private static final CopyOnWriteArrayList<Watch> WATCHES = new CopyOnWriteArrayList<>();
    private static volatile Thread sentry;

    private LongBlockSentry() {}

    /** Starts watching {@code kernel} (while it runs) for holds longer than {@code thresholdNanos}. */
    static Watch watch(Kernel kernel, long thresholdNanos) {
        Watch w = new Watch(kernel, thresholdNanos);
        WATCHES.add(w);
        Thread t = sentry;
        if (t == null) {
            startSentry();
        } else {
            LockSupport.unpark(t); // its period may have to shrink
        }
        return w;
    }

    private static synchronized void startSentry() {
        if (sentry == null) {
            sentry = Thread.ofPlatform().name("curio-long-block-sentry").daemon(true).start(LongBlockSentry::loop);
        }
    }

    private static void loop() {
        while (true) {
            long period = TimeUnit.SECONDS.toNanos(1);
            for (Watch w : WATCHES) {
                w.check(System.nanoTime());
                period = Math.min(period, Math.max(TimeUnit.MILLISECONDS.toNanos(1), w.thresholdNanos / 4));
            }
            LockSupport.parkNanos(LongBlockSentry.class, period);
        }
    }

    /** One kernel's watch: what the sentry saw last. */
    static final class Watch {
        private final Kernel kernel;
        private final long thresholdNanos;
        private Task<?> seenTask;
        private long seenCycle;
        private long seenSince;
        private LongBlock reported;
        private long lastWarn;
        private int unwarned;

        private Watch(Kernel kernel, long thresholdNanos) {
            this.kernel = kernel;
            this.thresholdNanos = thresholdNanos;
        }

        void stop() {
            WATCHES.remove(this);
        }

        private void check(long now) {
            Task<?> t = kernel.holderSnapshot();
            long cycle = t == null ? -1 : t.cycles;
            if (t != seenTask || cycle != seenCycle || t == null || t.steppedOut()) {
                if (reported != null) {
                    // The block ended: keep its whole length.
                    reported.task().lastLongBlock = reported.ended(now - seenSince);
                    reported = null;
                }
                seenTask = t != null && !t.steppedOut() ? t : null;
                seenCycle = cycle;
                seenSince = now;
                return;
            }
            if (reported == null && now - seenSince > thresholdNanos) {
                StackTraceElement[] stack = t.stack();
                StackTraceElement[] top = Arrays.copyOf(stack, Math.min(FRAMES, stack.length));
                Thread.State parked = t.thread.getState();
                reported = new LongBlock(t, now - seenSince, top, parked == Thread.State.WAITING
                        || parked == Thread.State.TIMED_WAITING, false);
                t.lastLongBlock = reported;
                kernel.longBlockSeen();
                if (lastWarn == 0 || now - lastWarn >= WARN_EVERY_NANOS) {
                    warn(reported, unwarned);
                    lastWarn = now;
                    unwarned = 0;
                } else {
                    unwarned++;
                }
            }
        }

        private void warn(LongBlock b, int unwarned) {
            StringBuilder sb = new StringBuilder();
            sb.append(b.task()).append(" has held kernel '").append(kernel.name()).append("' for ")
                    .append(TimeUnit.NANOSECONDS.toMillis(b.heldNanos())).append(" ms without reaching a trap (long-block threshold ")
                    .append(TimeUnit.NANOSECONDS.toMillis(thresholdNanos)).append(" ms): every other task, timeout and socket of the kernel waits");
            if (unwarned > 0) {
                sb.append(" (").append(unwarned).append(" more long blocks of this kernel since the last warning)");
            }
            sb.append(". It is at:");
            for (StackTraceElement e : b.frames()) {
                sb.append("\n\tat ").append(e);
            }
            if (b.parkedInJdk()) {
                sb.append("\nIt is blocked in a JDK call, and blocking calls hold this kernel (")
                        .append(kernel.carrierKind().equals("owned") ? "blocking calls set to 'hold'"
                                : "tasks run on the default carrier, which cannot let a task step out")
                        .append("): bound the call (a query or read timeout) or run it with Workers.runInThread.");
            } else {
                sb.append("\nCPU work, calls pinned in native code and file reads through java.io hold the kernel:"
                        + " run them with Workers.runInThread (or Workers.runInProcess for long CPU-bound work).");
            }
            try {
                LOG.log(System.Logger.Level.WARNING, sb.toString());
            } catch (Throwable ignored) {
                // a failing logger must not stop the sentry
            }
        }
    }
}
