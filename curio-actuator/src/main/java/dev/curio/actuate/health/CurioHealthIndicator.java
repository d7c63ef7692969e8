package dev.curio.actuate.health;

import dev.curio.kernel.Kernel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the kernel ({@code /actuator/health/curio}). DOWN only when the kernel cannot serve:
 *
 * <ul>
 *   <li>it died while serving (its loop failed, or its main task ended without a stop): the cause
 *       is in the {@code failure} detail;</li>
 *   <li>it is not running (not started yet, or stopped);</li>
 *   <li>it is stalled: one task has held it, without giving it back, for longer than the stall
 *       threshold ({@code curio.health.stall-threshold}, 10 s by default), named in {@code heldBy}.</li>
 * </ul>
 *
 * A long block (a task holding the kernel past {@code curio.long-block-threshold}, 50 ms by
 * default) is not a failure: it shows in the details ({@code heldBy} while it lasts,
 * {@code longBlocks} and {@code lastLongBlock} afterwards) and in the metrics, and the status
 * stays UP, so probes do not flap on one slow task.
 *
 * <p>Threads: reads the kernel's racy counters, the {@link LongBlockWatch} and the failure
 * supplier from any thread; touches nothing.
 */
public class CurioHealthIndicator implements HealthIndicator {

    /** The stall threshold when none is given. */
    public static final Duration DEFAULT_STALL_THRESHOLD = Duration.ofSeconds(10);

    private final Kernel kernel;
    private final LongBlockWatch watch;
    private final Duration stallThreshold;
    private final Supplier<Optional<Throwable>> failure;

    /** With the default stall threshold and no served kernel's failure to report. */
    public CurioHealthIndicator(Kernel kernel, LongBlockWatch watch) {
        this(kernel, watch, DEFAULT_STALL_THRESHOLD, Optional::empty);
    }

    /**
     * @param stallThreshold how long one task may hold the kernel before the kernel counts as stalled
     * @param failure why the served kernel died, if it did (such as {@code KernelThread::failure})
     */
    public CurioHealthIndicator(Kernel kernel, LongBlockWatch watch, Duration stallThreshold,
            Supplier<Optional<Throwable>> failure) {
        if (kernel == null) {
            throw new IllegalArgumentException("kernel must not be null");
        }
        if (watch == null) {
            throw new IllegalArgumentException("watch must not be null");
        }
        if (stallThreshold == null || stallThreshold.isNegative() || stallThreshold.isZero()) {
            throw new IllegalArgumentException("stallThreshold must be positive, was " + stallThreshold);
        }
        if (failure == null) {
            throw new IllegalArgumentException("failure must not be null");
        }
        this.kernel = kernel;
        this.watch = watch;
        this.stallThreshold = stallThreshold;
        this.failure = failure;
    }

    @Override
    public Health health() {
        Health.Builder b = new Health.Builder().withDetail("kernel", kernel.name())
                .withDetail("running", kernel.isRunning())
                .withDetail("tasks", kernel.taskCount())
                .withDetail("longBlockThreshold", watch.threshold().toString())
                .withDetail("stallThreshold", stallThreshold.toString());
        Optional<Throwable> died = failure.get();
        if (died.isPresent()) {
            return b.down().withDetail("failure", describe(died.get())).build();
        }
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
        LongBlockWatch.Block now = watch.ongoing(watch.threshold().compareTo(stallThreshold) < 0
                ? watch.threshold() : stallThreshold);
        if (now == null) {
            return b.up().build();
        }
        b.withDetail("heldBy", describe(now));
        if (now.held().compareTo(stallThreshold) > 0) {
            return b.down().withDetail("stalled", "task " + now.taskId() + " (" + now.taskName()
                    + ") has held the kernel for " + now.held().toMillis() + " ms, over the stall threshold of "
                    + stallThreshold.toMillis() + " ms (curio.health.stall-threshold)").build();
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

    private static Map<String, Object> describe(Throwable cause) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("exception", cause.getClass().getName());
        m.put("message", String.valueOf(cause.getMessage()));
        return m;
    }
}
