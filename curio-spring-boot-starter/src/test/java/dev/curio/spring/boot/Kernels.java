package dev.curio.spring.boot;

import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Test helpers for kernels running on their own thread. */
final class Kernels {
    private Kernels() {}

    /**
     * Returns once the terminated activations of every task whose submitted future has completed
     * have run: a task completes its future while it still holds the kernel, and keeps holding it
     * through its terminated activations, while this posted no-op runs only when a holder polls
     * the inbox. (The bound only turns a hang into a failure.)
     */
    static void settle(Kernel kernel) throws Exception {
        kernel.inKernel(k -> null).get(30, TimeUnit.SECONDS);
    }

    /**
     * The result of {@code work}, a task of {@code kernel}; if it is not done within 30 s (a hang,
     * which the bound turns into a failure), an AssertionError with the kernel's task table: each
     * task's state, what the JDK blocks it in, its pending cancel, and its stack.
     */
    static <T> T await(Kernel kernel, Future<T> work) throws Exception {
        try {
            return work.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("not done within 30 s; the tasks of kernel '" + kernel.name() + "':\n"
                    + taskTable(kernel), e);
        } catch (ExecutionException e) {
            throw new AssertionError("the task failed; the tasks of kernel '" + kernel.name() + "':\n"
                    + taskTable(kernel), e.getCause());
        }
    }

    static String taskTable(Kernel kernel) {
        StringBuilder sb = new StringBuilder();
        for (Task<?> t : kernel.tasksSnapshot()) {
            sb.append(t.id()).append(' ').append(t.name()).append(' ').append(t.state());
            if (t.steppedOut()) {
                sb.append(" in ").append(t.blockedIn());
            }
            if (t.cancelPending() != null) {
                sb.append(", pending ").append(t.cancelPending());
            }
            sb.append('\n').append(t.traceback()).append('\n');
        }
        return sb.toString();
    }

    /**
     * What the JDK blocks {@code t} in, without line numbers, e.g. "Socket$SocketInputStream.read
     * called from org.postgresql.core.VisibleBufferedInputStream"; "in" when it is not out.
     */
    static String blockedIn(Task<?> t) {
        String b = t.blockedIn();
        if (b == null) {
            return "in";
        }
        int from = b.indexOf(" (called from ");
        if (from < 0) {
            return b;
        }
        String frame = b.substring(from + " (called from ".length());
        String method = frame.substring(0, frame.indexOf('('));
        return b.substring(0, from) + " called from " + method.substring(0, method.lastIndexOf('.'));
    }
}
