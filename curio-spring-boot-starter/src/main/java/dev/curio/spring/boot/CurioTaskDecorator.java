package dev.curio.spring.boot;

import java.util.concurrent.Callable;

/**
 * Wraps the body of every task submitted through {@link CurioTasks}. {@link #decorate} runs on the
 * submitting thread and the returned callable on the task's own thread, so a decorator captures
 * thread-bound context in the first and restores it in the second (see
 * {@code ContextPropagatingTaskDecorator}).
 */
@FunctionalInterface
public interface CurioTaskDecorator {

    <T> Callable<T> decorate(Callable<T> body);
}
