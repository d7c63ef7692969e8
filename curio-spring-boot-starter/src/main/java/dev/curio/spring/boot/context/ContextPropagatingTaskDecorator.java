package dev.curio.spring.boot.context;

import dev.curio.spring.boot.CurioTaskDecorator;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.ThreadLocalAccessor;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import java.util.concurrent.Callable;

/**
 * Carries the submitting thread's context into a submitted task, and a parent task's context into
 * the tasks it spawns (installed as the kernel's task decorator too), through Micrometer's
 * context-propagation library: the logging MDC, the current Observation (and so the tracing
 * span), and every other {@link ThreadLocalAccessor} the application registers (Spring
 * Security's, for one). Captured when the task is submitted or spawned, on that thread, and
 * restored on the new task's own virtual thread for the whole of its body.
 *
 * <p>It uses a private registry (the global registry's accessors, which include those found by
 * {@code ServiceLoader}, plus the MDC's) so that adding the MDC accessor changes nothing for other
 * users of the global registry. Accessors registered globally after start-up are not seen. Thread-safety: immutable after construction.
 */
public final class ContextPropagatingTaskDecorator implements CurioTaskDecorator {

    private final ContextSnapshotFactory snapshots;

    public ContextPropagatingTaskDecorator() {
        ContextRegistry registry = new ContextRegistry();
        for (ThreadLocalAccessor<?> a : ContextRegistry.getInstance().getThreadLocalAccessors()) {
            registry.registerThreadLocalAccessor(a);
        }
        if (registry.getThreadLocalAccessors().stream().noneMatch(a -> a.key().equals(Slf4jThreadLocalAccessor.KEY))) {
            registry.registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
        }
        this.snapshots = ContextSnapshotFactory.builder().contextRegistry(registry).build();
    }

    @Override
    public <T> Callable<T> decorate(Callable<T> body) {
        ContextSnapshot snapshot = snapshots.captureAll();
        return () -> {
            try (ContextSnapshot.Scope scope = snapshot.setThreadLocals()) {
                return body.call();
            }
        };
    }
}
