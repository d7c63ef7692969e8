package dev.curio.spring.boot.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.spring.boot.CurioAutoConfiguration;
import dev.curio.spring.boot.CurioTasks;
import dev.curio.workers.ProcessWorkers;
import dev.curio.workers.SerializableCallable;
import dev.curio.workers.ThreadWorkers;
import dev.curio.workers.Workers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The pools' place in the context's life: the kernel uses them, they outlive the kernel's stop
 * (a task cancelled by the shutdown still gets a worker thread for its clean-up), and they are
 * closed once the context is gone. (After Curio's test_workers: test_blocking, test_worker_cancel.)
 */
class CurioWorkerPoolsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CurioAutoConfiguration.class));

    @Test
    void theKernelUsesTheConfiguredPoolsAndTheyCloseAfterItStops() throws Exception {
        List<String> trail = java.util.Collections.synchronizedList(new ArrayList<>());
        ThreadWorkers[] threads = new ThreadWorkers[1];
        ProcessWorkers[] processes = new ProcessWorkers[1];
        runner.withPropertyValues("curio.kernel-name=pooled", "curio.workers.max-threads=2",
                "curio.workers.max-processes=1").run(ctx -> {
            threads[0] = ctx.getBean(ThreadWorkers.class);
            processes[0] = ctx.getBean(ProcessWorkers.class);
            assertThat(threads[0].maxThreads()).isEqualTo(2);
            assertThat(processes[0].maxProcesses()).isEqualTo(1);
            CurioTasks tasks = ctx.getBean(CurioTasks.class);
            trail.add(tasks.submit("blocking", () -> Workers.runInThread(
                    () -> "ran on " + Thread.currentThread().getName())).get(30, TimeUnit.SECONDS));
            CompletableFuture<Void> asleep = new CompletableFuture<>();
            tasks.submit("holdout", () -> {
                try {
                    asleep.complete(null);
                    return Curio.sleep(Duration.ofHours(1));
                } catch (CancelledError e) {
                    // the shutdown's cancellation: the pool must still take work
                    trail.add("clean-up " + Workers.runInThread(() -> "ran on a "
                            + Thread.currentThread().getName().replaceAll("-[0-9]+$", "")));
                    throw e;
                }
            });
            asleep.get(30, TimeUnit.SECONDS);
            trail.add("context closes");
        });
        assertThat(trail).containsExactly("ran on curio-pooled-worker-1", "context closes",
                "clean-up ran on a curio-pooled-worker");
        assertThat(threads[0].awaitTermination(Duration.ofSeconds(30))).isTrue();
        SerializableCallable<Integer> one = () -> 1;
        assertThatThrownBy(() -> Curio.run(() -> Workers.runInProcess(processes[0], one)))
                .isInstanceOf(IllegalStateException.class).hasMessage("the worker process pool is closed");
    }

    @Test
    void aUserKernelGetsTheConfiguredPoolsToo() {
        runner.withBean("myKernel", dev.curio.kernel.Kernel.class, () -> dev.curio.kernel.Kernel.builder().name("mine").build())
                .run(ctx -> {
                    ThreadWorkers pool = ctx.getBean(ThreadWorkers.class);
                    assertThat(Workers.threadPool(ctx.getBean(dev.curio.kernel.Kernel.class))).isSameAs(pool);
                    assertThat(ctx.getBean(CurioTasks.class).submit(() -> Workers.runInThread(
                            () -> Thread.currentThread().getName())).get(30, TimeUnit.SECONDS)).isEqualTo("curio-main-worker-1");
                });
    }

    @Test
    void backsOffFromUserPools() {
        ThreadWorkers mine = new ThreadWorkers("mine", 1);
        ProcessWorkers myProcesses = new ProcessWorkers(1);
        runner.withBean(ThreadWorkers.class, () -> mine).withBean(ProcessWorkers.class, () -> myProcesses).run(ctx -> {
            assertThat(ctx).hasSingleBean(ThreadWorkers.class).hasSingleBean(ProcessWorkers.class);
            dev.curio.kernel.Kernel kernel = ctx.getBean(dev.curio.kernel.Kernel.class);
            assertThat(Workers.threadPool(kernel)).isSameAs(mine);
            assertThat(Workers.processPool(kernel)).isSameAs(myProcesses);
        });
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> CurioWorkerPools.use(null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("kernel must not be null");
    }
}
