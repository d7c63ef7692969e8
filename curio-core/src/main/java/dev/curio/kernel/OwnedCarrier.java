package dev.curio.kernel;

import java.lang.reflect.Constructor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>It also lets a task that the JDK blocks outside a trap step out of the kernel (ADR 7): when
 * the continuation of the task holding the kernel yields while the task runs its own code, the
 * loop takes the kernel and goes on; the JDK's next submission of that continuation is not run
 * but handed to the kernel, which resumes the task in its turn. A continuation is the same
 * object on every submission ({@code VirtualThread.runContinuation}), so it names its task.
 *
 * <p>Thread-safety: {@link #execute} may be called from any thread; everything else runs on the
 * carrier thread. {@link #out} is written by the carrier (a task steps out) and by whichever
 * thread first sees the task's continuation come back (removal decides who hands it back).
 */
final class OwnedCarrier implements Carrier, Executor {

    private static final Constructor<?> BUILDER;
    private static final String UNAVAILABLE_REASON;
    /** {@code VirtualThread.runContinuation}, or null if this JVM hides it (then nothing steps out). */
    private static final VarHandle RUN_CONTINUATION;
    /**
     * Where virtual threads that are not tasks run: the JDK's own scheduler, or a pool of platform
     * threads if this JVM hides it. A virtual thread created inside a task (by user code, or by
     * the JDK itself: its socket pollers) inherits its creator's scheduler, this carrier; it is
     * not a task and must not wait for the kernel's turn, nor run on the kernel's thread.
     */
    private static final Executor ESCAPED;

    static {
        Constructor<?> c = null;
        String reason = null;
        VarHandle rc = null;
        try {
            Class<?> cls = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            c = cls.getDeclaredConstructor(Executor.class);
            c.setAccessible(true);
            Class<?> vt = Class.forName("java.lang.VirtualThread");
            try {
                rc = MethodHandles.privateLookupIn(vt, MethodHandles.lookup())
                        .findVarHandle(vt, "runContinuation", Runnable.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                rc = null; // the carrier works; tasks hold the kernel through blocking calls
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            c = null;
            reason = e.toString();
        }
        BUILDER = c;
        UNAVAILABLE_REASON = reason;
        RUN_CONTINUATION = rc;
        Executor escaped;
        try {
            Class<?> vt = Class.forName("java.lang.VirtualThread");
            escaped = (Executor) MethodHandles.privateLookupIn(vt, MethodHandles.lookup())
                    .findStaticVarHandle(vt, "DEFAULT_SCHEDULER", java.util.concurrent.ForkJoinPool.class).get();
        } catch (ReflectiveOperationException | RuntimeException e) {
            escaped = java.util.concurrent.Executors.newCachedThreadPool(
                    Thread.ofPlatform().name("curio-escaped-virtual-threads-", 0).daemon(true).factory());
        }
        ESCAPED = escaped;
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
    /** Continuations of the tasks out of the kernel now, and their tasks. */
    private final ConcurrentHashMap<Runnable, Task<?>> out = new ConcurrentHashMap<>();
    /** Continuations of this kernel's live tasks (unused if this JVM hides them: then all are taken for tasks). */
    private final java.util.Set<Runnable> tasks = ConcurrentHashMap.newKeySet();
    /** The continuation the kernel is handing the kernel to right now (the holder's, on the carrier). */
    private Runnable handingTo;

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
    public Runnable adopt(Thread taskThread) {
        if (RUN_CONTINUATION == null) {
            return null;
        }
        Runnable c = (Runnable) RUN_CONTINUATION.get(taskThread);
        tasks.add(c);
        return c;
    }

    @Override
    public void forget(Runnable continuation) {
        if (continuation != null) {
            tasks.remove(continuation);
        }
    }

    @Override
    public void resume(Thread thread, Runnable continuation, boolean first) {
        handingTo = continuation;
        try {
            if (first) {
                thread.start();
            } else {
                LockSupport.unpark(thread);
            }
        } finally {
            handingTo = null;
        }
    }

    @Override
    public void execute(Runnable continuation) {
        // The kernel's own hand-offs happen on the carrier (a task of this kernel unparking the
        // next one, or the loop resuming one): no queue node, no CAS, no lookup.
        Thread me = Thread.currentThread();
        Task<?> t;
        boolean here = me == carrier || (me.isVirtual() && (t = Kernel.CURRENT.get()) != null && t.kernel() == kernel);
        if (here && continuation == handingTo) {
            local.addLast(continuation);
            return;
        }
        if (!out.isEmpty() && handBack(continuation)) {
            return;
        }
        if (RUN_CONTINUATION != null && !tasks.contains(continuation)) {
            ESCAPED.execute(continuation);
            return;
        }
        if (here) {
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
                    if (!out.isEmpty() && handBack(r)) {
                        continue;
                    }
                    r.run();
                    if (k.parkedHolder(r) != null && !stepOut(k, r)) {
                        return;
                    }
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

    /**
     * The task holding the kernel parked in the JDK in its own code: unless the JDK has woken it
     * already (a permit, {@code Thread.yield}), in which case it runs on holding the kernel, it
     * steps out and this loop takes the kernel. Returns false when the loop must return.
     */
    private boolean stepOut(Kernel k, Runnable r) {
        Task<?> h;
        while ((h = k.parkedHolder(r)) != null) {
            out.put(r, h);
            if (local.remove(r) || runq.remove(r)) {
                out.remove(r);
                r.run();
                continue;
            }
            k.stepOut(h);
            return k.loopTurn();
        }
        return true;
    }

    /** If {@code r} is a stepped-out task's, has the kernel put the task back in its ready queue. */
    private boolean handBack(Runnable r) {
        Task<?> t = out.remove(r);
        if (t == null) {
            return false;
        }
        kernel.post(() -> kernel.stepBackIn(t, r));
        return true;
    }

    @Override
    public boolean takeStepIns(Kernel k) {
        boolean any = false;
        for (var it = runq.iterator(); it.hasNext();) {
            Runnable r = it.next();
            Task<?> t = out.remove(r);
            if (t != null) {
                it.remove();
                k.stepBackIn(t, r);
                any = true;
            }
        }
        return any;
    }

    @Override
    public boolean canStepOut() {
        return RUN_CONTINUATION != null;
    }


    @Override
    public void resumeHeld(Runnable continuation) {
        local.addLast(continuation);
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
