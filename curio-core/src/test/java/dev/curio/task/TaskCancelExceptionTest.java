package dev.curio.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Task;
import dev.curio.sync.Event;
import org.junit.jupiter.api.Test;

/**
 * {@code Task.cancel} with an exception class or a supplier (Curio's {@code cancel(exc=MyError)}),
 * from Curio 1.6's {@code tests/test_task.py} and {@code tests/test_kernel.py}. Curio makes the
 * exception as {@code exc(exc.__name__)}: ours carries the class's simple name as its message.
 */
class TaskCancelExceptionTest {

    /** Curio's MyException(Exception): not a cancellation at all. */
    static class MyException extends RuntimeException {
        MyException(String message) {
            super(message);
        }
    }

    /** Curio's CustomCancelled(CancelledError). */
    static class CustomCancelled extends CancelledError {
        CustomCancelled(String message) {
            super(message);
        }
    }

    /** Made only through a supplier: its constructor takes a code. */
    static class Coded extends RuntimeException {
        final int code;

        Coded(int code) {
            super("code " + code);
            this.code = code;
        }
    }

    /** Has no constructor cancel can call. */
    static class Unmakeable extends RuntimeException {
        Unmakeable(int a, int b) {
            super(a + "/" + b);
        }
    }

    // Curio: test_task.py test_cancel_custom_exception (by class)
    @Test
    void cancelWithAnExceptionClass() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<String> t = Curio.spawn(() -> {
                try {
                    Curio.sleep(10);
                } catch (MyException e) {
                    trail.add("child caught " + e.getClass().getSimpleName() + "('" + e.getMessage() + "')");
                    return "child_exit";
                }
                return "slept";
            });
            Curio.sleep(0);
            t.cancel(MyException.class);
            trail.add("main: terminated=" + t.terminated() + " result=" + t.result());
        });
        assertThat(trail.events()).containsExactly(
                "child caught MyException('MyException')", "main: terminated=true result=child_exit");
    }

    // Curio: test_kernel.py test_custom_cancel (a CancelledError subclass, the task waiting on an Event)
    @Test
    void cancelWithACancelledErrorSubclass() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Event evt = new Event();
            Task<Void> t = Curio.spawn(() -> {
                try {
                    evt.await();
                    trail.add("not here");
                } catch (CustomCancelled e) {
                    trail.add("child caught CustomCancelled");
                }
            });
            Curio.sleep(0);
            t.cancel(CustomCancelled.class, true);
            trail.add("main: cancelled=" + t.cancelled() + " exception=" + t.exception());
        });
        assertThat(trail.events()).containsExactly("child caught CustomCancelled", "main: cancelled=true exception=null");
    }

    // Not in Curio: a supplier makes an exception whose constructor takes arguments; it is called
    // once, only for a task that has not terminated.
    @Test
    void cancelWithASupplier() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Integer> t = Curio.spawn(() -> {
                try {
                    Curio.sleep(10);
                    return 0;
                } catch (Coded e) {
                    trail.add("child caught " + e.getMessage());
                    return e.code;
                }
            });
            Curio.sleep(0);
            t.cancel(() -> {
                trail.add("supplier called");
                return new Coded(42);
            }, false);
            trail.add("main: cancel returned");
            trail.add("main: joined " + t.join());
            t.cancel(() -> {
                trail.add("supplier called again");
                return new Coded(43);
            }, true);
            trail.add("main: terminated task, nothing made");
        });
        assertThat(trail.events()).containsExactly(
                "supplier called", "main: cancel returned", "child caught code 42", "main: joined 42",
                "main: terminated task, nothing made");
    }

    // Not in Curio: a class cancel cannot make, and a supplier of null, are refused by name and
    // leave the task running.
    @Test
    void unmakeableExceptionsAreRefused() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<String> t = Curio.spawn(() -> {
                Curio.sleep(1);
                return "finished";
            });
            try {
                t.cancel(Unmakeable.class);
            } catch (IllegalArgumentException e) {
                trail.add("refused: " + e.getMessage());
            }
            try {
                t.cancel(() -> null, true);
            } catch (IllegalArgumentException e) {
                trail.add("refused: " + e.getMessage());
            }
            trail.add("task " + t.join() + ", cancelled=" + t.cancelled());
        });
        assertThat(trail.events()).containsExactly(
                "refused: cancel: " + Unmakeable.class.getName()
                        + " has neither a (String) nor a no-argument constructor; pass an instance or a supplier",
                "refused: cancel: the exc supplier returned null",
                "task finished, cancelled=false");
    }
}
