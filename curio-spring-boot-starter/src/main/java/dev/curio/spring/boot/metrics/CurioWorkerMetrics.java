package dev.curio.spring.boot.metrics;

import dev.curio.workers.ProcessWorkers;
import dev.curio.workers.ThreadWorkers;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters over the worker pools' own statistics, read at scrape time (nothing is
 * recorded per call here). Tags: {@code kernel=<name>} and {@code pool=thread|process}.
 *
 * <p>Thread-safety: immutable; the pools' statistics are safe to read from any thread. Either
 * pool may be null (not configured): its meters are then not registered.
 */
public final class CurioWorkerMetrics implements MeterBinder {

    private final Tags threadTags;
    private final Tags processTags;
    private final ThreadWorkers threads;
    private final ProcessWorkers processes;

    public CurioWorkerMetrics(String kernelName, ThreadWorkers threads, ProcessWorkers processes) {
        if (kernelName == null || kernelName.isBlank()) {
            throw new IllegalArgumentException("kernelName must not be blank");
        }
        this.threadTags = Tags.of("kernel", kernelName, "pool", "thread");
        this.processTags = Tags.of("kernel", kernelName, "pool", "process");
        this.threads = threads;
        this.processes = processes;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (threads != null) {
            common(registry, threadTags, threads, ThreadWorkers::busyThreads, ThreadWorkers::liveThreads,
                    ThreadWorkers::maxThreads, ThreadWorkers::completedCalls);
            Gauge.builder("curio.workers.queued", threads, ThreadWorkers::queuedCalls)
                    .description("Calls waiting for a free worker").tags(threadTags).strongReference(true)
                    .register(registry);
            FunctionTimer.builder("curio.workers.call.duration", threads, ThreadWorkers::completedCalls,
                            t -> t.totalCallTime().toNanos(), TimeUnit.NANOSECONDS)
                    .description("Time of the completed calls").tags(threadTags).register(registry);
            TimeGauge.builder("curio.workers.call.duration.max", threads, TimeUnit.NANOSECONDS,
                            t -> t.maxCallTime().toNanos())
                    .description("Longest completed call since the pool started").tags(threadTags)
                    .strongReference(true).register(registry);
        }
        if (processes != null) {
            common(registry, processTags, processes, ProcessWorkers::busyProcesses, ProcessWorkers::liveProcesses,
                    ProcessWorkers::maxProcesses, ProcessWorkers::completedCalls);
            FunctionCounter.builder("curio.workers.processes.started", processes, ProcessWorkers::startedProcesses)
                    .description("Worker processes started, replacements included")
                    .tags(processTags).register(registry);
            TimeGauge.builder("curio.workers.processes.start.time", processes, TimeUnit.NANOSECONDS,
                            p -> p.lastStartTime().toNanos())
                    .description("Time the last worker process took to start").tags(processTags)
                    .strongReference(true).register(registry);
        }
    }

    private static <P> void common(MeterRegistry registry, Tags tags, P pool, java.util.function.ToDoubleFunction<P> busy,
            java.util.function.ToDoubleFunction<P> live, java.util.function.ToDoubleFunction<P> max,
            java.util.function.ToDoubleFunction<P> calls) {
        Gauge.builder("curio.workers.busy", pool, busy).description("Workers running a call")
                .tags(tags).strongReference(true).register(registry);
        Gauge.builder("curio.workers.live", pool, live).description("Workers alive, busy or idle")
                .tags(tags).strongReference(true).register(registry);
        Gauge.builder("curio.workers.max", pool, max).description("Most workers the pool may have")
                .tags(tags).strongReference(true).register(registry);
        FunctionCounter.builder("curio.workers.calls", pool, calls).description("Calls completed by the pool's workers")
                .baseUnit("calls").tags(tags).register(registry);
    }
}
