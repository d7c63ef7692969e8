package dev.curio.actuate.health;

import dev.curio.kernel.Kernel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the kernel ({@code /actuator/health/curio}): DOWN when the kernel is not running, or
 * when a task has been holding it longer than {@code curio.long-block-threshold} (the task named
 * in the details, with where it is); UP otherwise, with the count of past long blocks and the
 * last one. A past long block does not make the kernel unhealthy: the metrics keep that history.
 *
 * <p>Threads: reads the kernel's racy counters and the {@link LongBlockWatch}; touches nothing.
 */
public class CurioHealthIndicator implements HealthIndicator {

    private final Kernel kernel;
    private final LongBlockWatch watch;

    public CurioHealthIndicator(Kernel kernel, LongBlockWatch watch) {
        if (kernel == null) {
            throw new IllegalArgumentException("kernel must not be null");
        }
        if (watch == null) {
            throw new IllegalArgumentException("watch must not be null");
        }
        this.kernel = kernel;
        this.watch = watch;
    }

    @Override
    public Health health() {
        Health.Builder b = new Health.Builder().withDetail("kernel", kernel.name())
                .withDetail("running", kernel.isRunning())
                .withDetail("tasks", kernel.taskCount())
                .withDetail("longBlockThreshold", watch.threshold().toString());
        if (!kernel.isRunning()) {
            return b.down().build();
        }
        if (watch.kernel() != kernel) {
            // The kernel was built without this activation (an application-defined Kernel bean).
            return b.up().withDetail("longBlocks", "not watched: LongBlockWatch is not an activation of this kernel").build();
        }
        b.withDetail("longBlocks", watch.count());
        LongBlockWatch.Block last = watch.last();
        if (last != null) {
            b.withDetail("lastLongBlock", describe(last));
        }
        LongBlockWatch.Block now = watch.ongoing();
        if (now != null) {
            return b.down().withDetail("heldBy", describe(now)).build();
        }
        return b.up().build();
    }

    private static Map<String, Object> describe(LongBlockWatch.Block block) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", block.taskId());
        m.put("name", block.taskName());
        m.put("heldMs", block.held().toMillis());
        if (block.where() != null) {
            m.put("where", block.where());
        }
        return m;
    }
}
