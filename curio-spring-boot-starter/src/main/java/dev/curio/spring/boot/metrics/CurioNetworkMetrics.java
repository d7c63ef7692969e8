package dev.curio.spring.boot.metrics;

import dev.curio.kernel.Kernel;
import dev.curio.net.NetworkStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Micrometer meters over the {@link NetworkStatistics} of a kernel's servers, read at scrape time.
 * Tag: {@code kernel=<name>}.
 *
 * <p>Thread-safety: immutable; the statistics are safe to read from any thread.
 */
public final class CurioNetworkMetrics implements MeterBinder {

    private final Tags tags;
    private final NetworkStatistics statistics;

    public CurioNetworkMetrics(Kernel kernel) {
        Objects.requireNonNull(kernel, "kernel");
        this.tags = Tags.of("kernel", kernel.name());
        this.statistics = NetworkStatistics.of(kernel);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("curio.net.accept.errors", statistics, NetworkStatistics::acceptErrors)
                .description("Failed accepts of the kernel's servers (out of file descriptors, aborted"
                        + " connections), each retried after a back-off")
                .baseUnit("errors").tags(tags).register(registry);
    }
}
