package dev.curio.kernel;

import java.util.concurrent.Callable;

/**
 * Wraps the body of every task a task spawns, called on the spawning task's thread: the place to
 * capture the parent's thread-bound context (logging MDC, tracing) and restore it around the
 * child's body on the child's own thread. Set with {@link Kernel.Builder#taskDecorator}.
 */
@FunctionalInterface
public interface TaskDecorator {
    <T> Callable<T> decorate(Callable<T> body);
}
