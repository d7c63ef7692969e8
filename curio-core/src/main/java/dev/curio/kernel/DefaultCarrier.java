package dev.curio.kernel;

import java.util.concurrent.locks.LockSupport;

/**
 * Tasks run on the JDK's default virtual-thread scheduler. The loop runs on the thread that called
 * {@code Kernel.run} and parks while a task holds the kernel; the task that suspends picks the next
 * task itself, so the loop thread is woken only when nothing is ready.
 */
final class DefaultCarrier implements Carrier {

    private final Kernel kernel;
    private volatile Thread loopThread;

    DefaultCarrier(Kernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public Thread newThread(String name, Runnable body) {
        return Thread.ofVirtual().name(name).unstarted(body);
    }

    @Override
    public void runLoop(Kernel k) {
        loopThread = Thread.currentThread();
        try {
            while (k.loopTurn()) {
                while (!k.takeLoopBaton()) {
                    LockSupport.park(k);
                }
            }
        } finally {
            loopThread = null;
        }
    }

    @Override
    public void wakeLoop() {
        Thread t = loopThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public CarrierKind kind() {
        return CarrierKind.DEFAULT;
    }

    @Override
    public String toString() {
        return "default-scheduler carrier of " + kernel.name();
    }
}
