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
}
