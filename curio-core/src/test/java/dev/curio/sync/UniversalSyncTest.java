package dev.curio.sync;

import dev.curio.Threads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskCancelled;
import dev.curio.TaskTimeout;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Port of the universal part of Curio 1.6 {@code tests/test_sync.py} (TestUniversalEvent without
 * asyncio, TestUniversalResult), plus waiting on futures as a trap and the future view of a result.
 */
class UniversalSyncTest {

    @Test // test_uevent_get_wait
    void eventTaskWaiter() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            UniversalEvent evt = new UniversalEvent();
            Task<?> t1 = Curio.spawn(() -> {
                trail.add("wait_start");
                trail.add(evt.isSet());
                evt.await();
                trail.add("wait_done");
                trail.add(evt.isSet());
                evt.clear();
                trail.add(evt.isSet());
            });
            Task<?> t2 = Curio.spawn(() -> {
                trail.add("sleep");
                Curio.sleep(1);
                trail.add("event_set");
                evt.set();
            });
            t1.join();
            t2.join();
        });
        assertThat(trail.events()).containsExactly(
                "wait_start", "false", "sleep", "event_set", "wait_done", "true", "false");
    }

    @Test // test_uevent_get_twait: a thread waits, a task sets
    void eventThreadWaiter() throws Exception {
        Trail trail = new Trail();
        UniversalEvent evt = new UniversalEvent();
        UniversalEvent threadWaiting = new UniversalEvent();
        Threads t1 = Threads.start("waiter", () -> {
            trail.add("wait_start");
            trail.add(evt.isSet());
            threadWaiting.set();
            evt.await();
            trail.add("wait_done");
            trail.add(evt.isSet());
            evt.clear();
            trail.add(evt.isSet());
        });
        TestKernels.run(() -> {
            threadWaiting.await();
            Task<?> t2 = Curio.spawn(() -> {
                trail.add("sleep");
                Curio.sleep(1);
                trail.add("event_set");
                evt.set();
            });
            t2.join();
        });
        t1.join();
        assertThat(trail.events()).containsExactly(
                "wait_start", "false", "sleep", "event_set", "wait_done", "true", "false");
    }

    @Test // test_uevent_get_wait_timeout
    void eventWaitTimeout() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            UniversalEvent evt = new UniversalEvent();
            Task<?> t1 = Curio.spawn(() -> {
                try {
                    trail.add("wait_start");
                    Curio.timeoutAfter(Duration.ofSeconds(1), () -> evt.await());
                    trail.add("wait_done");
                } catch (TaskTimeout e) {
                    trail.add("wait_timeout");
                    trail.add(evt.isSet());
                }
            });
            Task<?> t2 = Curio.spawn(() -> {
                trail.add("sleep");
                Curio.sleep(2);
                trail.add("event_set");
                evt.set();
            });
            t1.join();
            t2.join();
            trail.add("waiting " + evt.waiting());
        });
        assertThat(trail.events()).containsExactly(
                "wait_start", "sleep", "wait_timeout", "false", "event_set", "waiting 0");
    }

    @Test // the timed wait, in a thread and in a task
    void eventTimedWait() throws Exception {
        UniversalEvent evt = new UniversalEvent();
        assertThat(evt.await(Duration.ofMillis(1))).isFalse();
        assertThat(evt.waiting()).isZero();
        Trail trail = new Trail();
        TestKernels.run(() -> {
            trail.add("timed " + evt.await(Duration.ofSeconds(3)));
            Curio.spawn(() -> {
                Curio.sleep(1);
                evt.set();
            });
            trail.add("timed " + evt.await(Duration.ofSeconds(3)));
        });
        assertThat(trail.events()).containsExactly("timed false", "timed true");
        assertThat(evt.await(Duration.ZERO)).isTrue();
    }

    @Test // test_universal_value: thread -> kernel A -> kernel B -> thread
    void resultChain() throws Exception {
        UniversalResult<Integer> r1 = new UniversalResult<>();
        UniversalResult<Integer> r2 = new UniversalResult<>();
        UniversalResult<Integer> r3 = new UniversalResult<>();
        Threads work = Threads.start("work", () -> r1.setValue(2 + 3));
        Threads kernelA = Threads.start("kernel-a", () -> TestKernels.run(() -> r2.setValue(r1.unwrap())));
        TestKernels.run(() -> r3.setValue(r2.unwrap()));
        assertThat(r3.unwrap()).isEqualTo(5);
        work.join();
        kernelA.join();
    }

    @Test // test_universal_error
    void resultErrorChain() throws Exception {
        UniversalResult<Integer> r1 = new UniversalResult<>();
        UniversalResult<Integer> r2 = new UniversalResult<>();
        UniversalResult<Integer> r3 = new UniversalResult<>();
        Threads work = Threads.start("work", () -> {
            try {
                r1.setValue(Integer.parseInt("3x") + 2);
            } catch (NumberFormatException e) {
                r1.setException(e);
            }
        });
        dev.curio.CheckedRunnable relay1 = () -> {
            try {
                r2.setValue(r1.unwrap());
            } catch (RuntimeException e) {
                r2.setException(e);
            }
        };
        Threads kernelA = Threads.start("kernel-a", () -> TestKernels.run(relay1));
        TestKernels.run(() -> {
            try {
                r3.setValue(r2.unwrap());
            } catch (RuntimeException e) {
                r3.setException(e);
            }
        });
        assertThatThrownBy(r3::unwrap).isInstanceOf(NumberFormatException.class);
        work.join();
        kernelA.join();
    }

    @Test
    void resultMisuseAndFutureView() throws Exception {
        UniversalResult<String> r = new UniversalResult<>();
        assertThat(r.toString()).isEqualTo("UniversalResult[not set]");
        assertThatThrownBy(() -> r.unwrap(Duration.ofMillis(1))).isInstanceOf(TimeoutException.class);
        CompletableFuture<String> view = r.toCompletableFuture();
        view.cancel(false); // the view is a copy: cancelling it leaves the result alone
        CompletableFuture<String> view2 = r.toCompletableFuture();
        r.setValue("v");
        assertThat(view2.get(1, TimeUnit.MINUTES)).isEqualTo("v");
        assertThat(r.unwrap()).isEqualTo("v");
        assertThatThrownBy(() -> r.setValue("w")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> r.setException(new IOException())).isInstanceOf(IllegalStateException.class);
        UniversalResult<String> checked = new UniversalResult<>();
        checked.setException(new IOException("disk"));
        assertThatThrownBy(checked::unwrap).isInstanceOf(CompletionException.class).hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(() -> checked.toCompletableFuture().get()).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
    }

    @Test // a task cancelled while waiting for a result does not cancel the result for others
    void cancelledResultWaiterLeavesResultIntact() {
        Trail trail = new Trail();
        UniversalResult<String> r = new UniversalResult<>();
        TestKernels.run(() -> {
            Task<?> w = Curio.spawn(() -> {
                try {
                    r.unwrap();
                } catch (CancelledError e) {
                    trail.add("waiter cancelled");
                }
            });
            Task<?> other = Curio.spawn(() -> trail.add("other got " + r.unwrap()));
            Curio.sleep(0);
            w.cancel();
            Threads.start("setter", () -> r.setValue("v")).join();
            other.join();
        });
        assertThat(trail.events()).containsExactly("waiter cancelled", "other got v");
    }

    @Test // a task waits on a CompletableFuture as a trap; other tasks run meanwhile
    void futureAwaitIsATrap() throws Exception {
        Trail trail = new Trail();
        CompletableFuture<String> f = new CompletableFuture<>();
        TestKernels.run(() -> {
            Task<?> ticker = Curio.spawn(() -> {
                trail.add("ticker runs while main waits");
                Threads.start("completer", () -> f.complete("done")).join();
            });
            trail.add("main got " + Futures.await(f));
            ticker.join();
        });
        assertThat(trail.events()).containsExactly("ticker runs while main waits", "main got done");
    }

    @Test // as in Curio, cancelling a task waiting on a future cancels that future
    void cancelledFutureWaitCancelsTheFuture() {
        Trail trail = new Trail();
        CompletableFuture<String> f = new CompletableFuture<>();
        TestKernels.run(() -> {
            Task<?> w = Curio.spawn(() -> {
                try {
                    Futures.await(f);
                } catch (TaskCancelled e) {
                    trail.add("cancelled");
                }
            });
            Curio.sleep(0);
            w.cancel();
            trail.add("future cancelled " + f.isCancelled());
            CompletableFuture<Integer> failed = CompletableFuture.failedFuture(new IOException("x"));
            assertThatThrownBy(() -> Futures.await(failed)).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(IOException.class);
        });
        assertThat(trail.events()).containsExactly("cancelled", "future cancelled true");
    }
}
