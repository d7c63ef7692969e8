package dev.curio.spring.boot;

import dev.curio.kernel.TaskDecorator;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Wraps the body of every task submitted through {@link CurioTasks} and, as the kernel's
 * {@link TaskDecorator}, of every task a task spawns. {@link #decorate} runs on the submitting or
 * spawning thread and the returned callable on the new task's own thread, so a decorator captures
 * thread-bound context in the first and restores it in the second (see
 * {@code ContextPropagatingTaskDecorator}): children inherit their parent's context as they
 * inherit a {@code Local}.
 */
@FunctionalInterface
public interface CurioTaskDecorator extends TaskDecorator {

    /**
     * The decorators applied in order: the first wraps the body, the next wraps that, and so on
     * (the last is outermost, so it runs first on the task's thread). Null when there are none.
     */
    static TaskDecorator compose(List<? extends TaskDecorator> decorators) {
        if (decorators == null) {
            throw new IllegalArgumentException("decorators must not be null");
        }
        if (decorators.isEmpty()) {
            return null;
        }
        List<TaskDecorator> all = List.copyOf(decorators);
        return new TaskDecorator() {
            @Override
            public <T> Callable<T> decorate(Callable<T> body) {
                Callable<T> b = body;
                for (TaskDecorator d : all) {
                    b = d.decorate(b);
                }
                return b;
            }
        };
    }
}
