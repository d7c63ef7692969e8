package dev.curio.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TaskCancelled;
import dev.curio.TaskTimeout;
import dev.curio.Trail;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * A task the JDK blocks outside a trap steps out of the kernel (BlockingCalls.RELEASE, on the
 * owned carrier): the kernel runs its other tasks meanwhile, and the task resumes in its turn.
 * Each scenario makes another task run during the blocking call; under Curio's strict rule the
 * same scenario would freeze the kernel.
 */
class StepOutTest {

    private static Kernel.Builder owned() {
        return Kernel.builder().carrier(CarrierKind.OWNED).blockingCalls(BlockingCalls.RELEASE);
    }

    /** Waits, at traps, until {@code t} is out of the kernel. */
    private static void awaitOut(Task<?> t) {
        while (!t.steppedOut()) {
            Curio.sleep(0.001);
        }
    }

    @Test
    void threadSleepLetsTheOtherTasksRun() {
        Trail trail = new Trail();
        AtomicBoolean otherRan = new AtomicBoolean();
        Curio.run(owned(), () -> {
            Task<?> sleeper = Curio.spawn("sleeper", () -> {
                trail.add("sleeper sleeps in Thread.sleep until the other task ran");
                int naps = 0;
                while (!otherRan.get()) {
                    Thread.sleep(1);
                    naps++;
                }
                trail.add("sleeper back after at least one nap: " + (naps > 0));
            });
            Task<?> other = Curio.spawn("other", () -> {
                awaitOut(sleeper);
                trail.add("other runs while the sleeper is " + sleeper.state() + " in " + sleeper.blockedIn().split(" ")[0]);
                otherRan.set(true);
            });
            sleeper.join();
            other.join();
            trail.add("out now: " + Curio.currentTask().kernel().steppedOutCount() + ", sleeper stepped out: " + (sleeper.stepOuts() > 0));
            return null;
        });
        assertThat(trail.events()).containsExactly(
                "sleeper sleeps in Thread.sleep until the other task ran",
                "other runs while the sleeper is BLOCKED in Thread.sleep",
                "sleeper back after at least one nap: true",
                "out now: 0, sleeper stepped out: true");
    }

    @Test
    void aBlockingSocketReadLetsTheOtherTasksRun() throws Exception {
        Trail trail = new Trail();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Curio.run(owned(), () -> {
                AtomicReference<Socket> accepted = new AtomicReference<>();
                Task<?> reader = Curio.spawn("reader", () -> {
                    try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort())) {
                        InputStream in = s.getInputStream();
                        trail.add("reader reads");
                        trail.add("reader got " + in.read());
                    }
                });
                Task<?> writer = Curio.spawn("writer", () -> {
                    Socket peer = server.accept(); // blocks in the JDK too: it steps out as well
                    accepted.set(peer);
                    while (!(reader.steppedOut() && trail.events().contains("reader reads"))) {
                        Curio.sleep(0.001); // the connect steps out too: wait for the read
                    }
                    trail.add("writer sees the reader blocked in " + reader.blockedIn().split(" ")[0]);
                    OutputStream out = peer.getOutputStream();
                    out.write(42);
                    out.flush();
                });
                writer.join();
                reader.join();
                accepted.get().close();
                return null;
            });
        }
        assertThat(trail.events()).containsExactly(
                "reader reads",
                "writer sees the reader blocked in Socket$SocketInputStream.read",
                "reader got 42");
    }

    @Test
    void aReentrantLockHeldAcrossATrapDoesNotDeadlockTheKernel() {
        Trail trail = new Trail();
        ReentrantLock lock = new ReentrantLock();
        Curio.run(owned(), () -> {
            Task<?> a = Curio.spawn("a", () -> {
                lock.lock();
                try {
                    trail.add("a locked");
                    Curio.sleep(0.05);
                    trail.add("a unlocks");
                } finally {
                    lock.unlock();
                }
            });
            Task<?> b = Curio.spawn("b", () -> {
                trail.add("b wants the lock");
                lock.lock();
                try {
                    trail.add("b locked");
                } finally {
                    lock.unlock();
                }
            });
            a.join();
            b.join();
            return null;
        });
        assertThat(trail.events()).containsExactly("a locked", "b wants the lock", "a unlocks", "b locked");
    }

    @Test
    void blockingQueueTakeWaitsForAnotherTaskOfTheSameKernel() {
        Trail trail = new Trail();
        LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
        Curio.run(owned(), () -> {
            Task<?> consumer = Curio.spawn("consumer", () -> {
                trail.add("consumer takes");
                trail.add("consumer took " + q.take());
            });
            Curio.spawn("producer", () -> {
                awaitOut(consumer);
                trail.add("producer puts while the consumer is " + consumer.state());
                q.put("x");
            }).join();
            consumer.join();
            return null;
        });
        assertThat(trail.events()).containsExactly(
                "consumer takes", "producer puts while the consumer is BLOCKED", "consumer took x");
    }

    @Test
    void aContendedSynchronizedLetsTheOtherTasksRun() throws Exception {
        Trail trail = new Trail();
        Object monitor = new Object();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread owner = Thread.ofPlatform().name("monitor-owner").start(() -> {
            synchronized (monitor) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        held.await();
        Curio.run(owned(), () -> {
            Task<?> entering = Curio.spawn("entering", () -> {
                trail.add("entering waits for the monitor");
                synchronized (monitor) {
                    trail.add("entered");
                }
            });
            Curio.spawn("releaser", () -> {
                awaitOut(entering);
                trail.add("releaser runs while the other waits in " + entering.blockedIn().split(" ")[0]);
                release.countDown();
            }).join();
            entering.join();
            return null;
        });
        owner.join();
        assertThat(trail.events()).containsExactly(
                "entering waits for the monitor", "releaser runs while the other waits in synchronized", "entered");
    }

    @Test
    void aTimeoutThatFallsDueWhileOutIsDeliveredAtTheNextTrap() {
        Trail trail = new Trail();
        LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
        Curio.run(owned(), () -> {
            Task<?> blocked = Curio.spawn("blocked", () -> {
                try {
                    Curio.timeoutAfter(Duration.ofMillis(20), () -> {
                        trail.add("blocked takes under a 20 ms timeout");
                        trail.add("took " + q.take() + ", the timeout pending: " + (Curio.currentTask().cancelPending() != null));
                        Curio.sleep(0);
                        trail.add("never: the next trap delivers the timeout");
                    });
                } catch (TaskTimeout e) {
                    trail.add("blocked got TaskTimeout at its next trap");
                }
            });
            Curio.spawn("feeder", () -> {
                while (blocked.cancelPending() == null) {
                    Curio.sleep(0.005);
                }
                trail.add("feeder sees the timeout pending on the " + blocked.state() + " task");
                q.put("x");
            }).join();
            blocked.join();
            return null;
        });
        assertThat(trail.events()).containsExactly(
                "blocked takes under a 20 ms timeout",
                "feeder sees the timeout pending on the BLOCKED task",
                "took x, the timeout pending: true",
                "blocked got TaskTimeout at its next trap");
    }

    @Test
    void aCancelWhileOutIsPendingUntilTheNextTrap() {
        Trail trail = new Trail();
        LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
        Curio.run(owned(), () -> {
            Task<?> blocked = Curio.spawn("blocked", () -> {
                trail.add("took " + q.take());
                try {
                    Curio.sleep(0);
                } catch (TaskCancelled e) {
                    trail.add("cancel delivered at the next trap");
                    throw e;
                }
            });
            awaitOut(blocked);
            blocked.cancel(false);
            trail.add("cancel requested; pending: " + (blocked.cancelPending() != null) + ", state " + blocked.state());
            q.put("x");
            blocked.waitDone();
            trail.add("cancelled: " + blocked.cancelled());
            return null;
        });
        assertThat(trail.events()).containsExactly(
                "cancel requested; pending: true, state BLOCKED",
                "took x",
                "cancel delivered at the next trap",
                "cancelled: true");
    }

    @Test
    void underTheStrictRuleABlockingCallHoldsTheKernel() {
        Trail trail = new Trail();
        Curio.run(Kernel.builder().carrier(CarrierKind.OWNED).blockingCalls(BlockingCalls.HOLD), () -> {
            assertThat(Curio.currentTask().kernel().blockingCalls()).isEqualTo(BlockingCalls.HOLD);
            Task<?> a = Curio.spawn("a", () -> {
                trail.add("a sleeps in Thread.sleep");
                Thread.sleep(20);
                trail.add("a wakes");
            });
            Task<?> b = Curio.spawn("b", () -> trail.add("b runs"));
            a.join();
            b.join();
            trail.add("a stepped out " + a.stepOuts() + " times");
            return null;
        });
        assertThat(trail.events()).containsExactly("a sleeps in Thread.sleep", "a wakes", "b runs", "a stepped out 0 times");
    }

    @Test
    void aTaskSteppingOutThousandsOfTimesLeavesTheOthersTheirTurn() throws Exception {
        Object monitor = new Object();
        AtomicBoolean done = new AtomicBoolean();
        Thread contender = Thread.ofPlatform().name("contender").start(() -> {
            while (!done.get()) {
                synchronized (monitor) {
                    Thread.onSpinWait();
                }
            }
        });
        long[] counts = new long[3];
        try {
            Curio.run(owned(), () -> {
                Task<?> hot = Curio.spawn("hot", () -> {
                    for (int i = 0; i < 5_000; i++) {
                        synchronized (monitor) {
                            counts[0]++;
                        }
                        if (i % 100 == 0) {
                            Curio.sleep(0);
                        }
                    }
                });
                Task<?> polite = Curio.spawn("polite", () -> {
                    while (!hot.terminated()) {
                        counts[1]++;
                        Curio.sleep(0);
                    }
                });
                hot.join();
                polite.join();
                counts[2] = Curio.currentTask().kernel().steppedOutCount();
                return null;
            });
        } finally {
            done.set(true);
            contender.join();
        }
        assertThat(counts[0]).isEqualTo(5_000);
        assertThat(counts[1]).isPositive();
        assertThat(counts[2]).isZero();
    }

    @Test
    void aParkInTheKernelsOwnCodeDoesNotStepOut() throws Exception {
        Trail trail = new Trail();
        ReentrantLock lock = new ReentrantLock();
        AtomicReference<Thread> parkedIn = new AtomicReference<>();
        Activation slowHook = new Activation() {
            @Override
            public void suspended(Task<?> task, Trap trap) {
                if (task.name().equals("a") && trap instanceof Trap.Sleep) {
                    parkedIn.set(Thread.currentThread());
                    lock.lock(); // a metrics hook that contends with a scraping thread
                    lock.unlock();
                }
            }
        };
        CountDownLatch locked = new CountDownLatch(1);
        Thread releaser = Thread.ofPlatform().name("releaser").start(() -> {
            lock.lock();
            locked.countDown();
            Thread t;
            while ((t = parkedIn.get()) == null || t.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            trail.add("the hook waits for the lock inside a trap of a");
            lock.unlock();
        });
        locked.await();
        Curio.run(owned().activations(slowHook), () -> {
            Task<?> a = Curio.spawn("a", () -> {
                Curio.sleep(0.001);
                trail.add("a back");
            });
            Task<?> b = Curio.spawn("b", () -> trail.add("b runs after the hook returned"));
            a.join();
            b.join();
            trail.add("a stepped out " + a.stepOuts() + " times");
            return null;
        });
        releaser.join();
        assertThat(trail.events()).containsExactly(
                "the hook waits for the lock inside a trap of a",
                "b runs after the hook returned",
                "a back",
                "a stepped out 0 times");
    }

    @Test
    void anAutojumpClockDoesNotJumpWhileATaskIsOut() throws Exception {
        Trail trail = new Trail();
        LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
        AtomicReference<Task<?>> taker = new AtomicReference<>();
        Thread putter = Thread.ofPlatform().name("putter").start(() -> {
            Task<?> t;
            while ((t = taker.get()) == null || !t.steppedOut()) {
                Thread.onSpinWait();
            }
            q.add("x");
        });
        Curio.run(owned().clock(ManualClock.autojump()), () -> {
            taker.set(Curio.spawn("taker", () -> {
                String x = q.take();
                trail.add("taker got " + x + " at clock " + Curio.clock() / 1_000_000_000L + " s");
            }));
            Curio.sleep(10); // the kernel has nothing ready while the taker is out: the clock must wait
            trail.add("main woke at clock " + Curio.clock() / 1_000_000_000L + " s");
            return null;
        });
        putter.join();
        assertThat(trail.events()).containsExactly("taker got x at clock 0 s", "main woke at clock 10 s");
    }

    @Test
    void theDefaultCarrierKeepsTheStrictRuleAndSaysWhy() {
        Trail trail = new Trail();
        Curio.run(Kernel.builder().carrier(CarrierKind.DEFAULT), () -> {
            trail.add("rule: " + Curio.currentTask().kernel().blockingCalls());
            Task<?> a = Curio.spawn("a", () -> {
                Thread.sleep(20);
                trail.add("a woke");
            });
            Task<?> b = Curio.spawn("b", () -> trail.add("b runs"));
            a.join();
            b.join();
            return null;
        });
        assertThat(trail.events()).containsExactly("rule: HOLD", "a woke", "b runs");
        assertThat(Kernel.holdWarning()).contains("default virtual-thread scheduler")
                .contains("--add-opens java.base/java.lang=ALL-UNNAMED").contains("curio.blocking-calls=hold");
    }
}
