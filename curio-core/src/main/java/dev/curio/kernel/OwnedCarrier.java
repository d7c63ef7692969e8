package dev.curio.kernel;

import java.lang.reflect.Constructor;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * One platform thread carries all of a kernel's virtual threads: the thread running
 * {@code Kernel.run}. It runs the continuations the JDK hands to {@link #execute}, and when there
 * are none and the loop holds the kernel, it runs the kernel's loop (I/O and deadlines), exactly
 * like Curio's single-threaded loop.
 *
 * <p>The JDK has no public API for a virtual-thread scheduler; this uses the package-private
 * {@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)} constructor, reachable only with
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}. {@link #available()} says whether it is.
 *
 * <p>Thread-safety: {@link #execute} may be called from any thread; everything else runs on the
 * carrier thread.
 */
final class OwnedCarrier implements Carrier, Executor {

    private static final Constructor<?> BUILDER;
    private static final String UNAVAILABLE_REASON;

    static {
        Constructor<?> c = null;
        String reason = null;
        try {
            Class<?> cls = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            c = cls.getDeclaredConstructor(Executor.class);
            c.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            c = null;
            reason = e.toString();
        }
        BUILDER = c;
        UNAVAILABLE_REASON = reason;
    }

    /** Whether this JVM lets a kernel own the carrier of its virtual threads. */
    static boolean available() {
        return BUILDER != null;
    }

    static String unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    private final Kernel kernel;
    private final Thread.Builder.OfVirtual builder;
    /** Continuations submitted from other threads (the JDK's timers, I/O pollers, monitors). */
    private final ConcurrentLinkedQueue<Runnable> runq = new ConcurrentLinkedQueue<>();
    /** Continuations submitted on the carrier itself (the kernel's hand-offs): carrier thread only. */
    private final java.util.ArrayDeque<Runnable> local = new java.util.ArrayDeque<>();
    private volatile Thread carrier;
    private volatile boolean parked;

    OwnedCarrier(Kernel kernel) {
        if (BUILDER == null) {
            throw new IllegalStateException("the kernel-owned carrier needs "
                    + "--add-opens java.base/java.lang=ALL-UNNAMED on the java command line ("
                    + UNAVAILABLE_REASON + ")");
        }
        this.kernel = kernel;
        try {
            this.builder = (Thread.Builder.OfVirtual) BUILDER.newInstance(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build the kernel-owned carrier", e);
        }
    }

    @Override
    public Thread newThread(String name, Runnable body) {
        return builder.name(name).unstarted(body);
    }

    @Override
    public void execute(Runnable continuation) {
        // The kernel's own hand-offs happen on the carrier (a task of this kernel unparking the
        // next one, or the loop resuming one): no queue node, no CAS.
        Thread me = Thread.currentThread();
        Task<?> t;
        if (me == carrier || (me.isVirtual() && (t = Kernel.CURRENT.get()) != null && t.kernel() == kernel)) {
            local.addLast(continuation);
            return;
        }
        runq.add(continuation);
        if (parked) {
            Thread c = carrier;
            if (c != null) {
                LockSupport.unpark(c);
            }
        }
        kernel.wakeup();
    }

    @Override
    public void runLoop(Kernel k) {
        carrier = Thread.currentThread();
        try {
            if (!k.loopTurn()) {
                return;
            }
            while (true) {
                Runnable r;
                while ((r = local.pollFirst()) != null || (r = runq.poll()) != null) {
                    r.run();
                }
                if (k.takeLoopBaton()) {
                    if (!k.loopTurn()) {
                        return;
                    }
                    continue;
                }
                // A task holds the kernel but is parked outside it (a JDK blocking call):
                // wait for its continuation.
                parked = true;
                if (local.isEmpty() && runq.isEmpty() && !k.loopBatonWaiting()) {
                    LockSupport.park(this);
                }
                parked = false;
            }
        } finally {
            carrier = null;
        }
    }

    @Override
    public void wakeLoop() {
        // Tasks run on the carrier itself, so the loop sees the baton once the task parks. From
        // elsewhere (never in practice), unpark the carrier.
        Thread t = carrier;
        if (t != null && Thread.currentThread() != t && parked) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public CarrierKind kind() {
        return CarrierKind.OWNED;
    }

    @Override
    public String toString() {
        return "kernel-owned carrier of " + kernel.name();
    }
}
