package dev.curio.spring.boot.workers;

import dev.curio.kernel.Kernel;
import dev.curio.workers.ProcessWorkers;
import dev.curio.workers.ThreadWorkers;
import dev.curio.workers.Workers;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Gives a kernel the application's worker pools, so that {@code Workers.runInThread} and
 * {@code Workers.runInProcess} in its tasks use the pools the auto-configuration sized, measures
 * and closes (after the kernel has stopped, since the kernel's beans depend on them).
 *
 * <p>Stateless; call it before the kernel first uses a pool (while it has not started).
 */
public final class CurioWorkerPools {

    private static final Log LOG = LogFactory.getLog(CurioWorkerPools.class);

    private CurioWorkerPools() {}

    /**
     * Attaches {@code threads} and {@code processes} (either may be null) to {@code kernel}. A
     * kernel that already has a pool of its own keeps it; that is logged, since the pool's
     * properties and metrics then describe a pool the kernel does not use.
     */
    public static void use(Kernel kernel, ThreadWorkers threads, ProcessWorkers processes) {
        if (kernel == null) {
            throw new IllegalArgumentException("kernel must not be null");
        }
        if (threads != null) {
            try {
                Workers.useThreadPool(kernel, threads);
            } catch (IllegalStateException e) {
                if (Workers.threadPool(kernel) != threads) {
                    LOG.warn("Curio kernel '" + kernel.name() + "' has its own worker thread pool; "
                            + "curio.workers.max-threads and the curio.workers metrics do not describe it");
                }
            }
        }
        if (processes != null) {
            try {
                Workers.useProcessPool(kernel, processes);
            } catch (IllegalStateException e) {
                if (Workers.processPool(kernel) != processes) {
                    LOG.warn("Curio kernel '" + kernel.name() + "' has its own worker process pool; "
                            + "curio.workers.max-processes and the curio.workers metrics do not describe it");
                }
            }
        }
    }
}
