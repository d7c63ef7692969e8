package dev.curio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** Platform threads for cross-thread tests: a failure in the thread is rethrown by {@link #join()}. */
public final class Threads {

    public interface Body {
        void run() throws Exception;
    }

    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private Threads(String name, Body body) {
        thread = Thread.ofPlatform().name(name).unstarted(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
    }

    public static Threads start(String name, Body body) {
        Threads t = new Threads(name, body);
        t.thread.start();
        return t;
    }

    public Thread thread() {
        return thread;
    }

    /** Joins (a hang guard of one minute, not a timing assertion) and rethrows the thread's failure. */
    public void join() throws Exception {
        thread.join(Duration.ofMinutes(1));
        assertThat(thread.isAlive()).as("thread %s still running", thread.getName()).isFalse();
        Throwable t = failure.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }
}
