package dev.curio;

/** A task body without a result; may throw any exception, which becomes the task's exception. */
@FunctionalInterface
public interface CheckedRunnable {
    void run() throws Exception;
}
