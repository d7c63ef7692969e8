package dev.curio.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Task;
import dev.curio.queue.TaskQueue;
import dev.curio.sync.Event;
import dev.curio.workers.Workers;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Unix signals sent to this very JVM with {@code kill}, caught by signal queues and events
 * (Curio 1.6 has no test module for them; these follow its {@code SignalQueue}/{@code SignalEvent}
 * and the tutorial's uses). Every signal is sent only while something in this JVM catches it, and
 * each test waits for its delivery (a queue get, an event wait), never for time to pass. HUP, INT
 * and TERM would otherwise shut the JVM down, and USR1 would kill it.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SignalTest {

    /** Sends {@code s} to this JVM and waits for {@code kill} to have done it (blocking: call off the kernel). */
    static void kill(UnixSignal s) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + s.name(), Long.toString(ProcessHandle.current().pid()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(p.waitFor()).isZero();
    }

    /** {@link #kill} from a task, in a worker thread. */
    static void send(UnixSignal s) throws Exception {
        Workers.runInThread(() -> {
            kill(s);
            return null;
        });
    }

    /**
     * The identity of the handler now installed for {@code s}: sun.misc wraps the JVM's own
     * handlers afresh at each call, so its description (which names the wrapped handler) stands
     * for it.
     */
    static String installed(UnixSignal s) {
        return current(s).toString();
    }

    /**
     * The handler now installed for {@code s} (swapped out and straight back). The stand-in is a
     * Java handler: with SIG_IGN in place, HotSpot would refuse to put HUP, INT or TERM back.
     */
    static SignalHandler current(UnixSignal s) {
        SignalHandler h = Signal.handle(new Signal(s.name()), sig -> { });
        Signal.handle(new Signal(s.name()), h);
        return h;
    }

    // Each arrival is queued and taken in order; a task waiting in get() is woken from the JVM's
    // signal thread.
    @Test
    void queueReceivesEachSignal() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (SignalQueue q = new SignalQueue(UnixSignal.USR1, UnixSignal.USR2)) {
                TaskQueue<UnixSignal> taken = new TaskQueue<>();
                Task<?> waiter = Curio.spawn(() -> {
                    for (int i = 0; i < 3; i++) {
                        UnixSignal s = q.get();
                        trail.add("got " + s);
                        taken.put(s);
                    }
                });
                // One signal at a time: the operating system may merge two pending ones.
                for (UnixSignal s : new UnixSignal[] {UnixSignal.USR1, UnixSignal.USR2, UnixSignal.USR1}) {
                    trail.add("send " + s);
                    send(s);
                    taken.get();
                }
                waiter.join();
            }
        });
        assertThat(trail.events()).containsExactly("send USR1", "got USR1", "send USR2", "got USR2", "send USR1",
                "got USR1");
    }

    // Closing a queue restores the previous handling: a handler installed before it gets the
    // signals again, and none reaches the closed queue.
    @Test
    void closingRestoresThePreviousHandler() throws Exception {
        BlockingQueue<String> before = new LinkedBlockingQueue<>();
        SignalHandler baseline = sig -> before.add(sig.getName());
        SignalHandler original = Signal.handle(new Signal("USR2"), baseline);
        try {
            Trail trail = new Trail();
            TestKernels.run(() -> {
                SignalQueue q = new SignalQueue(UnixSignal.USR2);
                send(UnixSignal.USR2);
                trail.add("queue got " + q.get());
                q.close();
                trail.add("restored " + (current(UnixSignal.USR2) == baseline));
                send(UnixSignal.USR2);
                trail.add("baseline got " + Workers.runInThread(() -> before.poll(30, TimeUnit.SECONDS)));
                trail.add("queue has " + q.size());
                q.close(); // idempotent
            });
            assertThat(trail.events()).containsExactly("queue got USR2", "restored true", "baseline got USR2",
                    "queue has 0");
        } finally {
            Signal.handle(new Signal("USR2"), original);
        }
    }

    // The most recently opened watcher receives a signal; when it closes, the older one does again,
    // and closing watchers out of order still restores the original handler.
    @Test
    void nestedWatchers() {
        SignalHandler original = current(UnixSignal.USR1);
        Trail trail = new Trail();
        TestKernels.run(() -> {
            SignalEvent outer = new SignalEvent(UnixSignal.USR1);
            SignalQueue inner = new SignalQueue(UnixSignal.USR1);
            send(UnixSignal.USR1);
            trail.add("inner got " + inner.get() + ", outer set " + outer.isSet());
            inner.close();
            send(UnixSignal.USR1);
            outer.await();
            trail.add("outer set " + outer.isSet());
            SignalQueue third = new SignalQueue(UnixSignal.USR1);
            outer.close(); // out of order: third still watches
            send(UnixSignal.USR1);
            trail.add("third got " + third.get());
            third.close();
        });
        assertThat(trail.events()).containsExactly("inner got USR1, outer set false", "outer set true",
                "third got USR1");
        assertThat(current(UnixSignal.USR1)).isSameAs(original);
    }

    /** Whether this process started with {@code s} ignored (Linux: the SigIgn mask of /proc/self/status). */
    static boolean ignoredAtStartup(UnixSignal s) throws IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                return (mask & (1L << (s.number() - 1))) != 0;
            }
        }
        throw new IllegalStateException("no SigIgn in /proc/self/status");
    }

    // The tutorial's parent: a SignalEvent on Control-C (INT) and TERM wakes the parent, which
    // closes it so that a second Control-C would get the JVM's own handling (shutdown) again.
    // A JVM started with INT ignored (a shell's background job, as build tools often are) cannot
    // catch it: that is a clear error, and the tutorial then works with TERM alone.
    @Test
    void tutorialGoodbyeOnIntOrTerm() throws IOException {
        boolean intIgnored = ignoredAtStartup(UnixSignal.INT);
        if (intIgnored) {
            assertThatThrownBy(() -> new SignalEvent(UnixSignal.TERM, UnixSignal.INT))
                    .hasMessageContaining("SIGINT cannot be caught: this process ignores it");
        }
        UnixSignal[] watched = intIgnored ? new UnixSignal[] {UnixSignal.TERM}
                : new UnixSignal[] {UnixSignal.INT, UnixSignal.TERM};
        String jvmInt = installed(UnixSignal.INT);
        String jvmTerm = installed(UnixSignal.TERM);
        assertThat(jvmTerm).contains("java.lang.Terminator"); // the JVM's shutdown on TERM
        Trail trail = new Trail();
        TestKernels.run(() -> {
            for (UnixSignal s : watched) {
                try (SignalEvent goodbye = new SignalEvent(watched)) {
                    Event playing = new Event();
                    Task<?> parent = Curio.spawn(() -> {
                        playing.set();
                        goodbye.await();
                        trail.add("Let's go");
                    });
                    playing.await();
                    trail.add("sending " + s);
                    send(s);
                    parent.join();
                }
                trail.add("INT restored " + installed(UnixSignal.INT).equals(jvmInt)
                        + ", TERM restored " + installed(UnixSignal.TERM).equals(jvmTerm));
            }
        });
        List<String> expected = new java.util.ArrayList<>();
        for (UnixSignal s : watched) {
            expected.addAll(List.of("sending " + s, "Let's go", "INT restored true, TERM restored true"));
        }
        assertThat(trail.events()).isEqualTo(expected);
    }

    // The tutorial's restarting server: each SIGHUP cancels the server task and starts a new one.
    @Test
    void tutorialRestartOnHup() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (SignalQueue restart = new SignalQueue(UnixSignal.HUP)) {
                for (int i = 1; i <= 2; i++) {
                    trail.add("Starting the server");
                    Event up = new Event();
                    Task<?> server = Curio.spawn(() -> {
                        up.set();
                        new Event().await(); // serves until cancelled
                    });
                    up.await();
                    send(UnixSignal.HUP);
                    trail.add("got " + restart.get());
                    trail.add("Server shutting down");
                    server.cancel();
                }
            }
        });
        assertThat(trail.events()).containsExactly("Starting the server", "got HUP", "Server shutting down",
                "Starting the server", "got HUP", "Server shutting down");
    }

    // A plain thread waits on a signal event too.
    @Test
    void threadsWaitToo() throws Exception {
        try (SignalEvent e = new SignalEvent(UnixSignal.USR2)) {
            assertThat(e.isSet()).isFalse();
            kill(UnixSignal.USR2);
            e.await();
            assertThat(e.isSet()).isTrue();
            e.clear();
            assertThat(e.isSet()).isFalse();
        }
    }

    // Signals the JVM keeps for itself are a clear error, and a failed opening watches nothing.
    @Test
    void reservedSignalsAreAnError() {
        SignalHandler usr1 = current(UnixSignal.USR1);
        for (UnixSignal s : new UnixSignal[] {UnixSignal.QUIT, UnixSignal.KILL, UnixSignal.STOP, UnixSignal.SEGV}) {
            assertThatThrownBy(() -> new SignalQueue(s))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("SIG" + s.name() + " cannot be caught in this JVM");
        }
        assertThatThrownBy(() -> new SignalEvent(UnixSignal.USR1, UnixSignal.QUIT))
                .hasMessageContaining("SIGQUIT cannot be caught");
        assertThat(current(UnixSignal.USR1)).isSameAs(usr1);
        assertThatThrownBy(() -> new SignalQueue()).hasMessageContaining("at least one signal");
        assertThatThrownBy(() -> new SignalEvent((UnixSignal) null)).hasMessageContaining("null");
        assertThat(UnixSignal.USR1.number()).isPositive();
    }
}
