package dev.curio.kernel;

/**
 * Where a kernel's virtual threads run, and where its loop waits for I/O and deadlines when no
 * task is ready (ARCHITECTURE.md §1). Two strategies:
 * <ul>
 *   <li>{@link OwnedCarrier}: one platform thread of the kernel's own carries all of its virtual
 *       threads and runs the loop when they are all parked (needs
 *       {@code --add-opens java.base/java.lang=ALL-UNNAMED});</li>
 *   <li>{@link DefaultCarrier}: the JDK's default scheduler carries the tasks; the loop runs on the
 *       thread that called {@code Kernel.run}.</li>
 * </ul>
 */
sealed interface Carrier permits OwnedCarrier, DefaultCarrier {


    /** An unstarted virtual thread that will run {@code body} on this carrier. */
    Thread newThread(String name, Runnable body);

    /**
     * Runs the kernel's loop on the calling platform thread until the loop says to stop. The
     * caller holds the kernel on entry and on return.
     */
    void runLoop(Kernel kernel);

    /** The kernel was handed back to the loop by a task: let the loop thread see it. */
    void wakeLoop();

    CarrierKind kind();

    /** Whether a task the JDK blocks can step out of the kernel on this carrier. */
    default boolean canStepOut() {
        return false;
    }

    /**
     * Takes {@code taskThread} (made by {@link #newThread}) as a task of the kernel; returns the
     * JDK's continuation of it, which it submits on every wake-up, or null where there is none to see.
     */
    default Runnable adopt(Thread taskThread) {
        return null;
    }

    /** The task whose continuation this is has ended. */
    default void forget(Runnable continuation) {}

    /** Hands the kernel to a task's thread: starts it the first time, unparks it after. */
    default void resume(Thread thread, Runnable continuation, boolean first) {
        if (first) {
            thread.start();
        } else {
            java.util.concurrent.locks.LockSupport.unpark(thread);
        }
    }

    /** Runs the continuation of a task back from a step out: it holds the kernel from now on (holder only). */
    default void resumeHeld(Runnable continuation) {
        throw new UnsupportedOperationException(this + " cannot step tasks out");
    }

    /**
     * Holder only: moves stepped-out tasks whose continuation the JDK submitted into the ready
     * queue; returns whether it found any.
     */
    default boolean takeStepIns(Kernel kernel) {
        return false;
    }
}
