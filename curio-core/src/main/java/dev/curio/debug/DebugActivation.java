package dev.curio.debug;

import dev.curio.kernel.Activation;
import dev.curio.kernel.Task;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * Base of the debugging activations (Curio's {@code curio.debug}): where they log, at which
 * level, and for which task names. They log through {@link System.Logger}, which the JDK routes to
 * {@code java.util.logging} and Spring Boot bridges to SLF4J, so the output lands wherever the
 * application's logs go. Logging is synchronous: it runs while the kernel is held.
 *
 * <p>Configuration methods return {@code this} and are meant to be called before the kernel runs;
 * afterwards only the kernel's thread uses the object.
 */
public abstract class DebugActivation<S extends DebugActivation<S>> implements Activation {

    private Logger log = System.getLogger("dev.curio.debug");
    private Level level;
    private Set<String> filter;

    protected DebugActivation(Level defaultLevel) {
        this.level = defaultLevel;
    }

    /** Reports only tasks with one of these names. */
    public S filter(String... names) {
        if (names == null || names.length == 0) {
            throw new IllegalArgumentException("filter needs at least one task name");
        }
        this.filter = Set.copyOf(Arrays.asList(names));
        return self();
    }

    public S level(Level level) {
        this.level = Objects.requireNonNull(level, "level");
        return self();
    }

    public S logger(Logger log) {
        this.log = Objects.requireNonNull(log, "logger");
        return self();
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    protected boolean accepts(Task<?> task) {
        return filter == null || filter.contains(task.name());
    }

    protected void log(String message) {
        log.log(level, message);
    }

    protected void log(String message, Throwable thrown) {
        log.log(level, message, thrown);
    }

    protected Level level() {
        return level;
    }
}
