package dev.curio.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.AsyncOnlyError;
import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskCancelled;
import dev.curio.TaskTimeout;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * What Curio's test_sync.py does not pin down but the issue asks for: hand-over fairness, no trace
 * left by cancelled or timed-out waiters, errors on misuse, and the re-acquisition guarantee of
 * {@link Condition#await()} (a deliberate divergence; Curio's own code fails that scenario).
 */
class SyncFairnessTest {

    @Test // a release hands the lock over: the releaser cannot barge back in ahead of the waiter
    void releaseHandsOverToWaiter() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Lock lck = new Lock();
            lck.acquire();
            Task<?> w = Curio.spawn(() -> {
                trail.add("w waits");
                try (var held = lck.acquire()) {
                    trail.add("w acquired");
                    Curio.sleep(0);
                    trail.add("w releases");
                }
            });
            Curio.sleep(0);
            lck.release();
            trail.add("main released, locked " + lck.locked());
            try (var held = lck.acquire()) {
                trail.add("main acquired again");
            }
            w.join();
        });
        assertThat(trail.events()).containsExactly(
                "w waits", "main released, locked true", "w acquired", "w releases", "main acquired again");
    }

    @Test // cancelling a waiter in the middle of the queue leaves the others in order
    void cancelledMiddleWaiterLeavesNoTrace() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Lock lck = new Lock();
            lck.acquire();
            List<Task<?>> ws = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                String name = "w" + i;
                ws.add(Curio.spawn(() -> {
                    try (var held = lck.acquire()) {
                        trail.add(name + " acquired");
                    } catch (CancelledError e) {
                        trail.add(name + " cancelled");
                    }
                }));
            }
            Curio.sleep(0);
            trail.add("waiting " + lck.waiting());
            ws.get(1).cancel();
            trail.add("waiting " + lck.waiting());
            lck.release();
            for (Task<?> t : ws) {
                t.join();
            }
            trail.add("locked " + lck.locked());
        });
        assertThat(trail.events()).containsExactly(
                "waiting 3", "w2 cancelled", "waiting 2", "w1 acquired", "w3 acquired", "locked false");
    }

    @Test // a waiter cancelled after the hand-over but before it ran keeps the lock and sees the cancel later
    void cancelAfterHandOverIsDeliveredAtNextBlockingCall() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Lock lck = new Lock();
            lck.acquire();
            Task<?> w = Curio.spawn(() -> {
                try (var held = lck.acquire()) {
                    trail.add("w acquired, locked " + lck.locked());
                    Curio.sleep(1);
                    trail.add("never here");
                } catch (TaskCancelled e) {
                    trail.add("w cancelled in sleep");
                }
            });
            Curio.sleep(0);
            lck.release();
            w.cancel();
            trail.add("locked " + lck.locked() + ", waiting " + lck.waiting());
        });
        assertThat(trail.events()).containsExactly(
                "w acquired, locked true", "w cancelled in sleep", "locked false, waiting 0");
    }

    @Test // a timed-out waiter is not handed the lock afterwards
    void timedOutWaiterIsNotAGhost() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Semaphore sema = new Semaphore(1);
            sema.acquire();
            Task<?> w = Curio.spawn(() -> {
                try {
                    Curio.timeoutAfter(Duration.ofSeconds(1), () -> sema.acquire());
                } catch (TaskTimeout e) {
                    trail.add("w timeout, waiting " + sema.waiting());
                }
            });
            Curio.sleep(2);
            sema.release();
            trail.add("value " + sema.value());
            w.join();
        });
        assertThat(trail.events()).containsExactly("w timeout, waiting 0", "value 1");
    }

    @Test
    void misuseErrorsNameTheProblem() {
        TestKernels.run(() -> {
            assertThatThrownBy(() -> new Lock().release()).isInstanceOf(IllegalStateException.class)
                    .hasMessage("Lock not acquired");
            BoundedSemaphore b = new BoundedSemaphore(2);
            b.acquire();
            b.release();
            assertThatThrownBy(b::release).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("released too many times");
            assertThat(b.value()).isEqualTo(2);
            Semaphore s = new Semaphore(2);
            s.release();
            assertThat(s.value()).isEqualTo(3);
            assertThatThrownBy(() -> new Condition().notify(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("n must be >= 0");
            Result<String> r = new Result<>();
            r.setValue("a");
            assertThatThrownBy(() -> r.setValue("b")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> r.setException(new IOException())).isInstanceOf(IllegalStateException.class);
            assertThat(r.unwrap()).isEqualTo("a");
            Result<String> checked = new Result<>();
            checked.setException(new IOException("disk"));
            assertThatThrownBy(checked::unwrap).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(IOException.class);
        });
        assertThatThrownBy(() -> new Semaphore(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value must be >= 0");
        assertThatThrownBy(() -> new Lock().acquire()).isInstanceOf(AsyncOnlyError.class)
                .hasMessageContaining("Lock.acquire");
        assertThatThrownBy(() -> new Condition(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("lock");
    }

    @Test // the try-with-resources idiom releases when the block throws
    void closeReleasesOnException() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            RLock lck = new RLock();
            try (var held = lck.acquire()) {
                try (var again = lck.acquire()) {
                    trail.add("count " + lck.count());
                    throw new IllegalArgumentException("boom");
                }
            } catch (IllegalArgumentException e) {
                trail.add("caught, locked " + lck.locked() + ", count " + lck.count());
            }
        });
        assertThat(trail.events()).containsExactly("count 2", "caught, locked false, count 0");
    }

    @Test // notify(n) wakes the n longest waiters, on a condition over a Semaphore
    void notifyNWakesInArrivalOrder() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Condition cond = new Condition(new Semaphore(1));
            List<Task<?>> ws = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int id = i;
                ws.add(Curio.spawn(() -> {
                    try (var held = cond.acquire()) {
                        cond.await();
                        trail.add("woke " + id);
                    }
                }));
            }
            Curio.sleep(0);
            try (var held = cond.acquire()) {
                cond.notify(2);
                trail.add("notified 2, waiting " + cond.waiting());
            }
            Curio.sleep(1);
            try (var held = cond.acquire()) {
                cond.notify(1);
            }
            for (Task<?> t : ws) {
                t.join();
            }
        });
        assertThat(trail.events()).containsExactly("notified 2, waiting 1", "woke 1", "woke 2", "woke 3");
    }

    @Test // a condition over an RLock: await releases the owner's hold and gives it back
    void conditionOverRLock() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            RLock lck = new RLock();
            Condition cond = new Condition(lck);
            boolean[] ready = {false};
            Task<?> w = Curio.spawn(() -> {
                try (var held = cond.acquire()) {
                    cond.waitFor(() -> ready[0]);
                    trail.add("w sees ready, count " + lck.count());
                }
            });
            Curio.sleep(0);
            try (var held = cond.acquire()) {
                ready[0] = true;
                cond.notifyAllWaiters();
                trail.add("main notified");
            }
            w.join();
            trail.add("locked " + lck.locked());
        });
        assertThat(trail.events()).containsExactly("main notified", "w sees ready, count 1", "locked false");
    }

    /**
     * Divergence from Curio 1.6: the waiter's timeout expires while it waits to re-acquire the
     * lock that main still holds. Curio raises TaskTimeout there without the lock, the waiter's
     * {@code async with} then releases main's lock, and main's own release fails with "Lock not
     * acquired". Here await() returns holding the lock, and the expired timeout (of a scope that
     * has ended) is dropped, as for any operation that completed late.
     */
    @Test
    void awaitReturnsHoldingTheLockEvenIfTimedOutWhileReacquiring() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Condition cond = new Condition();
            Task<?> w = Curio.spawn(() -> {
                try (var held = cond.acquire()) {
                    try {
                        Curio.timeoutAfter(Duration.ofSeconds(1), cond::await);
                        trail.add("w woke, locked " + cond.locked());
                    } catch (TaskTimeout e) {
                        trail.add("w timeout, locked " + cond.locked());
                    }
                }
            });
            Curio.sleep(0.1);
            try (var held = cond.acquire()) {
                cond.notify(1);
                Curio.sleep(2);
                trail.add("main still holds " + cond.locked());
            }
            w.join();
            trail.add("end locked " + cond.locked());
        });
        assertThat(trail.events()).containsExactly("main still holds true", "w woke, locked true", "end locked false");
    }

    @Test // and a cancellation arriving during the re-acquisition is raised at the next blocking call
    void cancelDuringReacquireIsKeptPending() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Condition cond = new Condition();
            Task<?> w = Curio.spawn(() -> {
                try (var held = cond.acquire()) {
                    cond.await();
                    trail.add("w back from await, locked " + cond.locked());
                    Curio.sleep(1);
                    trail.add("never here");
                } catch (TaskCancelled e) {
                    trail.add("w cancelled, locked " + cond.locked());
                }
            });
            Curio.sleep(0.1);
            try (var held = cond.acquire()) {
                cond.notify(1);
                w.cancel(false);
                Curio.sleep(1);
                trail.add("main releases");
            }
            w.join();
        });
        assertThat(trail.events()).containsExactly(
                "main releases", "w back from await, locked true", "w cancelled, locked false");
    }
}
