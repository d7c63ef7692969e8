package dev.curio.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Task;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Port of Curio 1.6 {@code tests/test_sync.py} (the kernel-only parts): one nested class per Curio class. */
class SyncTest {

    static Duration secs(double s) {
        return Duration.ofNanos((long) (s * 1e9));
    }

    @Nested
    class TestEvent {

        @Test // test_event_get_wait
        void eventGetWait() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                Event evt = new Event();
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

        @Test // test_event_get_immediate
        void eventGetImmediate() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                Event evt = new Event();
                Task<?> t1 = Curio.spawn(() -> {
                    trail.add("sleep");
                    Curio.sleep(1);
                    trail.add("wait_start");
                    evt.await();
                    trail.add("wait_done");
                });
                Task<?> t2 = Curio.spawn(() -> {
                    trail.add("event_set");
                    evt.set();
                });
                t1.join();
                t2.join();
            });
            assertThat(trail.events()).containsExactly("sleep", "event_set", "wait_start", "wait_done");
        }

        @Test // test_event_wait_cancel
        void eventWaitCancel() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                Event evt = new Event();
                Task<?> task = Curio.spawn(() -> {
                    trail.add("event_wait");
                    try {
                        evt.await();
                    } catch (CancelledError e) {
                        trail.add("event_cancel");
                    }
                });
                trail.add("sleep");
                Curio.sleep(1);
                trail.add("cancel_start");
                task.cancel();
                trail.add("cancel_done");
                trail.add("waiting " + evt.waiting());
            });
            assertThat(trail.events()).containsExactly(
                    "sleep", "event_wait", "cancel_start", "event_cancel", "cancel_done", "waiting 0");
        }

        @Test // test_event_wait_timeout
        void eventWaitTimeout() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                Event evt = new Event();
                Task<?> task = Curio.spawn(() -> {
                    trail.add("event_wait");
                    try {
                        Curio.timeoutAfter(secs(0.5), evt::await);
                    } catch (TaskTimeout e) {
                        trail.add("event_timeout");
                    }
                });
                trail.add("sleep");
                Curio.sleep(1);
                trail.add("sleep_done");
                task.join();
            });
            assertThat(trail.events()).containsExactly("sleep", "event_wait", "event_timeout", "sleep_done");
        }

        @Test // test_event_wait_notimeout
        void eventWaitNoTimeout() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                Event evt = new Event();
                Task<?> task = Curio.spawn(() -> {
                    trail.add("event_wait");
                    try {
                        Curio.timeoutAfter(secs(1.0), evt::await);
                        trail.add("got event");
                    } catch (TaskTimeout e) {
                        trail.add("event_timeout");
                    }
                    evt.clear();
                    try {
                        evt.await();
                        trail.add("got event");
                    } catch (TaskTimeout e) {
                        trail.add("bad timeout");
                    }
                });
                trail.add("sleep");
                Curio.sleep(0.25);
                trail.add("event_set");
                evt.set();
                Curio.sleep(1.0);
                trail.add("event_set");
                evt.set();
                task.join();
            });
            assertThat(trail.events()).containsExactly(
                    "sleep", "event_wait", "event_set", "got event", "event_set", "got event");
        }
    }

    @Nested
    class TestLock {

        private void worker(Acquirable lck, String label, double seconds, Trail trail) {
            trail.add(label + " wait");
            trail.add(lck.locked());
            try (var held = lck.acquire()) {
                trail.add(label + " acquire");
                Curio.sleep(seconds);
            }
            trail.add(label + " release");
        }

        @Test // test_lock_sequence
        void lockSequence() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                Lock lck = new Lock();
                Task<?> t1 = Curio.spawn(() -> worker(lck, "work1", 0.25, trail));
                Task<?> t2 = Curio.spawn(() -> worker(lck, "work2", 0.25, trail));
                Task<?> t3 = Curio.spawn(() -> worker(lck, "work3", 0.25, trail));
                t1.join();
                t2.join();
                t3.join();
                trail.add("end " + lck.locked());
            });
            assertThat(trail.events()).containsExactly(
                    "work1 wait", "false", "work1 acquire",
                    "work2 wait", "true",
                    "work3 wait", "true",
                    "work1 release", "work2 acquire",
                    "work2 release", "work3 acquire",
                    "work3 release", "end false");
        }

        @Test // test_lock_acquire_cancel
        void lockAcquireCancel() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                Lock lck = new Lock();
                try (var held = lck.acquire()) {
                    Task<?> task = Curio.spawn(() -> {
                        trail.add("lock_wait");
                        try (var h = lck.acquire()) {
                            trail.add("never here");
                        } catch (CancelledError e) {
                            trail.add("lock_cancel");
                        }
                    });
                    trail.add("sleep");
                    Curio.sleep(1);
                    trail.add("cancel_start");
                    task.cancel();
                    trail.add("cancel_done");
                    trail.add("waiting " + lck.waiting());
                }
                trail.add("locked " + lck.locked());
            });
            assertThat(trail.events()).containsExactly(
                    "sleep", "lock_wait", "cancel_start", "lock_cancel", "cancel_done", "waiting 0", "locked false");
        }

        @Test // test_lock_acquire_timeout
        void lockAcquireTimeout() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                Lock lck = new Lock();
                try (var held = lck.acquire()) {
                    Task<?> w = Curio.spawn(() -> {
                        trail.add("lock_wait");
                        try {
                            Curio.timeoutAfter(secs(0.5), () -> lck.acquire());
                            trail.add("never here");
                            lck.release();
                        } catch (TaskTimeout e) {
                            trail.add("lock_timeout");
                        }
                    });
                    trail.add("sleep");
                    Curio.sleep(1);
                    trail.add("sleep_done");
                    w.join();
                    trail.add("waiting " + lck.waiting());
                }
                trail.add("locked " + lck.locked());
            });
            assertThat(trail.events()).containsExactly(
                    "sleep", "lock_wait", "lock_timeout", "sleep_done", "waiting 0", "locked false");
        }

        @Test // the sequence of test_lock_sequence, on a Semaphore, through the same worker
        void semaphoreAsLock() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                Semaphore sema = new Semaphore();
                Task<?> t1 = Curio.spawn(() -> worker(sema, "work1", 0.25, trail));
                Task<?> t2 = Curio.spawn(() -> worker(sema, "work2", 0.25, trail));
                t1.join();
                t2.join();
            });
            assertThat(trail.events()).containsExactly(
                    "work1 wait", "false", "work1 acquire", "work2 wait", "true",
                    "work1 release", "work2 acquire", "work2 release");
        }
    }

    @Nested
    class TestRLock {

        @Test // test_rlock_reenter
        void rlockReenter() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                RLock lck = new RLock();
                Task<?> t1 = Curio.spawn(() -> rworker(lck, "work1", trail));
                Task<?> t2 = Curio.spawn(() -> rworker(lck, "work2", trail));
                Task<?> t3 = Curio.spawn(() -> {
                    trail.add("simple wait");
                    try (var held = lck.acquire()) {
                        trail.add("simple acquired");
                        trail.add("simple releasing");
                    }
                });
                t1.join();
                t2.join();
                t3.join();
            });
            assertThat(trail.events()).containsExactly(
                    "false", "work1 wait", "work1 acquired",
                    "true", "work2 wait",
                    "simple wait",
                    "true", "work1 inner acquired", "work1 inner releasing", "work1 releasing",
                    "work2 acquired",
                    "true", "work2 inner acquired", "work2 inner releasing", "work2 releasing",
                    "simple acquired", "simple releasing");
        }

        private void rworker(RLock lck, String label, Trail trail) {
            trail.add(lck.locked());
            trail.add(label + " wait");
            try (var held = lck.acquire()) {
                trail.add(label + " acquired");
                Curio.sleep(0.25);
                trail.add(lck.locked());
                try (var again = lck.acquire()) {
                    trail.add(label + " inner acquired");
                    trail.add(label + " inner releasing");
                }
                trail.add(label + " releasing");
            }
        }

        @Test // test_rlock_notowner
        void rlockNotOwner() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                RLock lck = new RLock();
                assertThatThrownBy(lck::release).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("not locked");
                Task<?> t1 = Curio.spawn(() -> {
                    lck.acquire();
                    Curio.sleep(0.25);
                    lck.release();
                    trail.add("owner released");
                });
                Task<?> t2 = Curio.spawn(() -> {
                    Curio.sleep(0.1);
                    try {
                        lck.release();
                        trail.add("released by a stranger");
                    } catch (IllegalStateException e) {
                        trail.add("stranger refused, count " + lck.count());
                    }
                });
                t1.join();
                t2.join();
                trail.add("locked " + lck.locked());
            });
            assertThat(trail.events()).containsExactly("stranger refused, count 1", "owner released", "locked false");
        }
    }

    @Nested
    class TestSemaphore {

        @Test // test_sema_sequence
        void semaSequence() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                Semaphore sema = new Semaphore();
                Task<?>[] ts = new Task<?>[3];
                for (int i = 0; i < 3; i++) {
                    String label = "work" + (i + 1);
                    ts[i] = Curio.spawn(() -> {
                        trail.add(label + " wait");
                        trail.add(sema.locked());
                        try (var held = sema.acquire()) {
                            trail.add(label + " acquire, value " + sema.value());
                            Curio.sleep(0.25);
                        }
                        trail.add(label + " release");
                    });
                }
                for (Task<?> t : ts) {
                    t.join();
                }
                trail.add("value " + sema.value());
            });
            assertThat(trail.events()).containsExactly(
                    "work1 wait", "false", "work1 acquire, value 0",
                    "work2 wait", "true",
                    "work3 wait", "true",
                    "work1 release", "work2 acquire, value 0",
                    "work2 release", "work3 acquire, value 0",
                    "work3 release", "value 1");
        }

        @Test // test_sema_sequence2
        void semaSequence2() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                Semaphore sema = new Semaphore(2);
                double[] seconds = {0.25, 0.30, 0.35};
                Task<?>[] ts = new Task<?>[3];
                for (int i = 0; i < 3; i++) {
                    String label = "work" + (i + 1);
                    double s = seconds[i];
                    ts[i] = Curio.spawn(() -> {
                        trail.add(label + " wait");
                        trail.add(sema.locked());
                        try (var held = sema.acquire()) {
                            trail.add(label + " acquire");
                            Curio.sleep(s);
                        }
                        trail.add(label + " release");
                    });
                }
                for (Task<?> t : ts) {
                    t.join();
                }
            });
            assertThat(trail.events()).containsExactly(
                    "work1 wait", "false", "work1 acquire",
                    "work2 wait", "false", "work2 acquire",
                    "work3 wait", "true",
                    "work1 release", "work3 acquire",
                    "work2 release", "work3 release");
        }

        @Test // test_sema_acquire_cancel
        void semaAcquireCancel() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                Semaphore lck = new Semaphore();
                try (var held = lck.acquire()) {
                    Task<?> task = Curio.spawn(() -> {
                        trail.add("lock_wait");
                        try (var h = lck.acquire()) {
                            trail.add("never here");
                        } catch (CancelledError e) {
                            trail.add("lock_cancel");
                        }
                    });
                    trail.add("sleep");
                    Curio.sleep(1);
                    trail.add("cancel_start");
                    task.cancel();
                    trail.add("cancel_done");
                }
                trail.add("value " + lck.value() + ", waiting " + lck.waiting());
            });
            assertThat(trail.events()).containsExactly(
                    "sleep", "lock_wait", "cancel_start", "lock_cancel", "cancel_done", "value 1, waiting 0");
        }

        @Test // test_sema_acquire_timeout
        void semaAcquireTimeout() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                Semaphore lck = new Semaphore();
                try (var held = lck.acquire()) {
                    Task<?> w = Curio.spawn(() -> {
                        trail.add("lock_wait");
                        try {
                            Curio.timeoutAfter(secs(0.5), () -> lck.acquire());
                            trail.add("never here");
                            lck.release();
                        } catch (TaskTimeout e) {
                            trail.add("lock_timeout");
                        }
                    });
                    trail.add("sleep");
                    Curio.sleep(1);
                    trail.add("sleep_done");
                    w.join();
                }
                trail.add("value " + lck.value() + ", waiting " + lck.waiting());
            });
            assertThat(trail.events()).containsExactly(
                    "sleep", "lock_wait", "lock_timeout", "sleep_done", "value 1, waiting 0");
        }
    }

    @Nested
    class TestCondition {

        @Test // test_cond_sequence
        void condSequence() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                Condition cond = new Condition(new Lock());
                Deque<Integer> q = new ArrayDeque<>();
                final int none = -1;
                Task<?> t1 = Curio.spawn(() -> consumer(cond, q, "cons1", none, trail));
                Task<?> t2 = Curio.spawn(() -> consumer(cond, q, "cons2", none, trail));
                Task<?> t3 = Curio.spawn(() -> {
                    for (int n = 0; n < 4; n++) {
                        try (var held = cond.acquire()) {
                            q.add(n);
                            trail.add("producing " + n);
                            cond.notify(1);
                        }
                        Curio.sleep(0.1);
                    }
                    for (int n = 0; n < 2; n++) {
                        try (var held = cond.acquire()) {
                            q.add(none);
                            trail.add("ending " + n);
                            cond.notify(1);
                        }
                        Curio.sleep(0.1);
                    }
                });
                t1.join();
                t2.join();
                t3.join();
            });
            assertThat(trail.events()).containsExactly(
                    "cons1 wait", "cons2 wait",
                    "producing 0", "cons1 0", "cons1 wait",
                    "producing 1", "cons2 1", "cons2 wait",
                    "producing 2", "cons1 2", "cons1 wait",
                    "producing 3", "cons2 3", "cons2 wait",
                    "ending 0", "cons1 done",
                    "ending 1", "cons2 done");
        }

        private void consumer(Condition cond, Deque<Integer> q, String label, int none, Trail trail) {
            while (true) {
                try (var held = cond.acquire()) {
                    if (q.isEmpty()) {
                        trail.add(label + " wait");
                        cond.await();
                    }
                    int item = q.removeFirst();
                    if (item == none) {
                        break;
                    }
                    trail.add(label + " " + item);
                }
            }
            trail.add(label + " done");
        }

        @Test // test_cond_wait_cancel
        void condWaitCancel() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                Condition cond = new Condition();
                Task<?> task = Curio.spawn(() -> {
                    try (var held = cond.acquire()) {
                        trail.add("cond_wait");
                        cond.await();
                        trail.add("never here");
                    } catch (CancelledError e) {
                        trail.add("worker_cancel");
                    }
                });
                trail.add("sleep");
                Curio.sleep(1);
                trail.add("cancel_start");
                task.cancel();
                trail.add("cancel_done");
                trail.add("locked " + cond.locked() + ", waiting " + cond.waiting());
            });
            assertThat(trail.events()).containsExactly(
                    "sleep", "cond_wait", "cancel_start", "worker_cancel", "cancel_done", "locked false, waiting 0");
        }

        @Test // test_cond_wait_timeout
        void condWaitTimeout() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                Condition cond = new Condition();
                Task<?> task = Curio.spawn(() -> {
                    try (var held = cond.acquire()) {
                        trail.add("cond_wait");
                        Curio.timeoutAfter(secs(0.25), cond::await);
                        trail.add("never here");
                    } catch (TaskTimeout e) {
                        trail.add("worker_timeout");
                    }
                });
                trail.add("sleep");
                Curio.sleep(1);
                trail.add("done");
                task.join();
                trail.add("locked " + cond.locked() + ", waiting " + cond.waiting());
            });
            assertThat(trail.events()).containsExactly(
                    "sleep", "cond_wait", "worker_timeout", "done", "locked false, waiting 0");
        }

        @Test // test_cond_notify_all
        void condNotifyAll() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                Condition cond = new Condition();
                Task<?>[] ts = new Task<?>[3];
                for (int i = 0; i < 3; i++) {
                    int id = i + 1;
                    ts[i] = Curio.spawn(() -> {
                        try (var held = cond.acquire()) {
                            trail.add("cond_wait " + id);
                            cond.await();
                            trail.add("wait_done " + id);
                        }
                    });
                }
                trail.add("sleep");
                Curio.sleep(1);
                try (var held = cond.acquire()) {
                    trail.add("notify");
                    cond.notifyAllWaiters();
                }
                trail.add("done");
                for (Task<?> t : ts) {
                    t.join();
                }
            });
            // Curio's list without the ids; the ids show the FIFO wake order.
            assertThat(trail.events()).containsExactly(
                    "sleep", "cond_wait 1", "cond_wait 2", "cond_wait 3", "notify", "done",
                    "wait_done 1", "wait_done 2", "wait_done 3");
        }

        @Test // test_cond_waitfor
        void condWaitFor() {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                Condition cond = new Condition();
                Deque<Integer> q = new ArrayDeque<>();
                Task<?> t1 = Curio.spawn(() -> waitForConsumer(cond, q, "cons1", trail));
                Task<?> t2 = Curio.spawn(() -> waitForConsumer(cond, q, "cons2", trail));
                Task<?> t3 = Curio.spawn(() -> {
                    for (int n = 0; n < 4; n++) {
                        try (var held = cond.acquire()) {
                            q.add(n);
                            trail.add("producing " + n);
                            cond.notify(1);
                        }
                        Curio.sleep(0.1);
                    }
                });
                t1.join();
                t2.join();
                t3.join();
            });
            assertThat(trail.events()).containsExactly(
                    "cons1 waitfor", "cons2 waitfor",
                    "producing 0", "producing 1", "producing 2",
                    "cons1 3", "cons1 done",
                    "producing 3", "cons2 4", "cons2 done");
        }

        private void waitForConsumer(Condition cond, Deque<Integer> q, String label, Trail trail) {
            try (var held = cond.acquire()) {
                trail.add(label + " waitfor");
                cond.waitFor(() -> q.size() > 2);
                trail.add(label + " " + q.size());
            }
            trail.add(label + " done");
        }

        @Test // test_condition_error
        void conditionError() {
            TestKernels.run(() -> {
                Condition c = new Condition();
                assertThatThrownBy(() -> c.notify(1)).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(c::await).isInstanceOf(IllegalStateException.class);
                assertThat(c.locked()).isFalse();
            });
        }
    }

    @Nested
    class TestResult {

        @Test // test_value
        void value() {
            int r = TestKernels.run(() -> {
                Result<Integer> res = new Result<>();
                Curio.spawn(() -> res.setValue(2 + 3));
                return res.unwrap();
            });
            assertThat(r).isEqualTo(5);
        }

        @Test // test_error
        void error() {
            TestKernels.run(() -> {
                Result<Integer> res = new Result<>();
                Curio.spawn(() -> {
                    try {
                        res.setValue(Integer.parseInt("3x") + 2);
                    } catch (NumberFormatException e) {
                        res.setException(e);
                    }
                });
                assertThatThrownBy(res::unwrap).isInstanceOf(NumberFormatException.class);
            });
        }
    }

    @Test // test_repr
    void toStrings() {
        assertThat(new Lock().toString()).isEqualTo("Lock[unlocked, waiting=0]");
        assertThat(new RLock().toString()).startsWith("RLock[unlocked, recursion=0");
        assertThat(new Semaphore(3).toString()).isEqualTo("Semaphore[unlocked, value=3, waiting=0]");
        assertThat(new BoundedSemaphore(0).toString()).isEqualTo("BoundedSemaphore[locked, value=0, waiting=0]");
        assertThat(new Condition().toString()).startsWith("Condition[unlocked, waiting=0");
        assertThat(new Result<>().toString()).isEqualTo("Result[not set, waiting=0]");
    }
}
