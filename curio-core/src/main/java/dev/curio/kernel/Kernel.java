package dev.curio.kernel;

import dev.curio.AsyncOnlyError;
import dev.curio.CancelledError;
import dev.curio.TaskCancelled;
import dev.curio.TaskError;
import dev.curio.TaskTimeout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Curio kernel: a cooperative scheduler of tasks that are virtual threads.
 *
 * <p>Design (after Curio's kernel.py):
 * <ul>
 *   <li><b>One holder.</b> At any instant exactly one thread "holds" the kernel: the running task,
 *       or the kernel's loop when no task is ready. Only the holder touches kernel state (ready
 *       queue, task table, time queue, tasks' kernel fields), so none of it needs locks.</li>
 *   <li><b>Traps are the only switch points.</b> A task gives the kernel up only inside
 *       {@link #trap}. The trapping task itself picks the next ready task and hands the kernel to
 *       it (virtual thread to virtual thread), then parks until handed the kernel again.</li>
 *   <li><b>Cycles as in Curio.</b> Ready tasks run in batches; between batches the holder polls
 *       the inbox, the selector (without blocking) and the time queue. When nothing is ready, the
 *       loop blocks in the selector until the next deadline.</li>
 *   <li><b>One door from outside.</b> Other threads reach the kernel only through {@link #post}
 *       (a thread-safe inbox) and {@link #wakeup}.</li>
 *   <li><b>Microkernel.</b> The kernel knows traps and scheduler primitives; events, locks,
 *       queues, timeouts and task groups are built outside it.</li>
 * </ul>
 */
public final class Kernel implements AutoCloseable {

    /** "No deadline" on the kernel clock. */
    public static final long NO_DEADLINE = Long.MIN_VALUE;

    static final ThreadLocal<Task<?>> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<Kernel> RUNNING_HERE = new ThreadLocal<>();
    private static final AtomicLong TASK_IDS = new AtomicLong();
    private static final AtomicLong KERNEL_IDS = new AtomicLong();
    private static final System.Logger LOG = System.getLogger(Kernel.class.getName());

    private final String name;
    private final KernelClock clock;
    private final List<Activation> activations;
    private final Activation[] acts;
    private final Carrier carrier;
    private final IoWaits io;
    private final TaskDecorator decorator;
    private final BlockingCalls blockingCalls;
    private static final AtomicBoolean WARNED_HOLD = new AtomicBoolean();

    // ---- kernel state: the holder only ----
    private final ArrayDeque<Task<?>> ready = new ArrayDeque<>();
    /** The task table; written only by the holder, readable from any thread for monitoring. */
    private final java.util.concurrent.ConcurrentHashMap<Long, Task<?>> tasks = new java.util.concurrent.ConcurrentHashMap<>();
    private final TimeQueue sleepq = new TimeQueue();
    private Task<?> current;
    private Task<?> mainTask;
    private boolean singleCycle;
    private boolean cycleStarted;
    private int batchRemaining;
    private boolean justPolled;
    private boolean activated;
    /** The next top-level task is the kernel's own (shutdown, serving main): see {@link Task#system()}. */
    private boolean systemMain;
    /** Objects that live as long as the kernel (worker pools...), by key; any thread. */
    private final java.util.concurrent.ConcurrentHashMap<Object, Object> attachments = new java.util.concurrent.ConcurrentHashMap<>();
    /** Actions run once the kernel has shut down, in reverse order of registration. */
    private final java.util.concurrent.CopyOnWriteArrayList<Runnable> shutdownActions = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Tasks waiting in FUTURE_WAIT (for other threads): the idle loop spins briefly for them. */
    private int futureWaits;
    private static final long SPIN_NANOS = 20_000;
    /** Default of {@link Builder#ioSpin}: long enough for a loopback round trip under load. */
    public static final Duration DEFAULT_IO_SPIN = Duration.ofNanos(20_000);
    /** Default of {@link Builder#longBlockThreshold}. */
    public static final Duration DEFAULT_LONG_BLOCK_THRESHOLD = Duration.ofSeconds(1);
    /** Longest {@link Builder#ioSpin} accepted. */
    public static final Duration MAX_IO_SPIN = Duration.ofMillis(10);
    private final long ioSpinNanos;
    /** See {@link Builder#longBlockThreshold}; 0 for none. */
    private final long longBlockNanos;
    /** Long blocks seen; written by the long-block sentry's thread only. */
    private volatile long longBlocks;
    /** Tasks out of the kernel now (see {@link #stepOut}); written by the holder, read by any thread. */
    private volatile int outCount;
    /** True while a posted action runs (it holds the kernel on whichever thread polls). */
    private boolean inInbox;
    /**
     * A posted action that threw: the loop stops and {@code run} throws it (holder only). The
     * action ran on whichever thread held the kernel, often a task's own in a hand-off, so the
     * failure is carried to the loop instead of escaping into that task's code.
     */
    private Throwable fatal;
    /** Activations that threw once (logged then, not again): holder only. */
    private final java.util.Set<Activation> failedActivations =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** Calls of activations that threw; written by the holder, read from any thread. */
    private volatile long activationFailures;
    private final long startedAt;

    // ---- shared with other threads ----
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();

    private volatile boolean loopBaton;
    private volatile boolean selecting;
    /**
     * Set by {@link #wakeup} before it wakes the selector. The idle spin's non-blocking polls
     * consume a selector wake-up, so the kernel checks this flag before it blocks: a clock advance
     * or a foreign continuation during the spin must not leave it asleep.
     */
    private volatile boolean woken;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean shutDown;
    private volatile Thread runner;

    private Kernel(Builder b) {
        this.name = b.name != null ? b.name : "kernel-" + KERNEL_IDS.incrementAndGet();
        this.clock = b.clock;
        this.activations = List.copyOf(b.activations);
        this.acts = activations.toArray(new Activation[0]);
        CarrierKind kind = b.carrier;
        if (kind == CarrierKind.AUTO) {
            kind = OwnedCarrier.available() ? CarrierKind.OWNED : CarrierKind.DEFAULT;
        }
        this.carrier = kind == CarrierKind.OWNED ? new OwnedCarrier(this) : new DefaultCarrier(this);
        this.io = new IoWaits(this.name);
        this.startedAt = clock.nanos();
        this.decorator = b.decorator;
        this.ioSpinNanos = b.ioSpin.toNanos();
        this.blockingCalls = carrier.canStepOut() ? b.blockingCalls : BlockingCalls.HOLD;
        this.longBlockNanos = b.longBlockThreshold == null ? 0 : b.longBlockThreshold.toNanos();
        if (b.blockingCalls == BlockingCalls.RELEASE && this.blockingCalls == BlockingCalls.HOLD) {
            warnHoldOnce();
        }
        clock.attach(this);
    }

    /** A kernel with default settings. */
    public Kernel() {
        this(builder());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options for a kernel; every setter validates its argument. */
    public static final class Builder {
        private String name;
        private KernelClock clock = KernelClock.SYSTEM;
        private final List<Activation> activations = new ArrayList<>();
        private CarrierKind carrier = defaultCarrier();
        private TaskDecorator decorator;
        private Duration ioSpin = DEFAULT_IO_SPIN;
        private BlockingCalls blockingCalls = defaultBlockingCalls();
        private Duration longBlockThreshold = DEFAULT_LONG_BLOCK_THRESHOLD;

        private Builder() {}

        /**
         * How long a task may hold the kernel in one go (without reaching a trap or stepping out)
         * before the kernel warns, while it holds it, naming the task and where it is (1 s unless
         * set; null turns the warning off). See {@link Task#lastLongBlock()}.
         */
        public Builder longBlockThreshold(Duration threshold) {
            if (threshold != null && (threshold.isNegative() || threshold.isZero())) {
                throw new IllegalArgumentException("longBlockThreshold must be positive (or null for none), was " + threshold);
            }
            this.longBlockThreshold = threshold;
            return this;
        }

        /**
         * What a task blocked by the JDK outside a trap does with the kernel: {@code RELEASE}
         * (default, or the system property {@code curio.blocking-calls} = {@code release|hold}):
         * it steps out and the kernel runs its other tasks; {@code HOLD}: Curio's strict rule, the
         * kernel waits for it. See {@link BlockingCalls}.
         */
        public Builder blockingCalls(BlockingCalls policy) {
            this.blockingCalls = Objects.requireNonNull(policy, "blockingCalls");
            return this;
        }

        /** Kernel name, shown in thread names, logs and metrics. */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        public Builder clock(KernelClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Adds scheduler activations (debuggers, metrics) in the order they are called. */
        public Builder activations(Activation... activations) {
            for (Activation a : activations) {
                this.activations.add(Objects.requireNonNull(a, "activation"));
            }
            return this;
        }

        public Builder activations(Collection<? extends Activation> activations) {
            activations.forEach(a -> this.activations.add(Objects.requireNonNull(a, "activation")));
            return this;
        }

        /**
         * The carrier of the kernel's virtual threads: {@code AUTO} (default, or the system property
         * {@code curio.carrier} = {@code auto|owned|default}), {@code OWNED} or {@code DEFAULT}.
         */
        public Builder carrier(CarrierKind kind) {
            this.carrier = Objects.requireNonNull(kind, "carrier");
            return this;
        }

        /** Wraps the body of every task spawned by a task (context propagation); see {@link TaskDecorator}. */
        public Builder taskDecorator(TaskDecorator decorator) {
            this.decorator = Objects.requireNonNull(decorator, "decorator");
            return this;
        }

        /**
         * How long the idle kernel polls its sockets before sleeping in the selector, while sockets
         * are waited on (20 µs unless set; zero never polls). Being woken from the selector costs a
         * server tens of microseconds per message when messages come one at a time; polling costs
         * CPU only while the kernel has nothing else to do.
         */
        public Builder ioSpin(Duration spin) {
            Objects.requireNonNull(spin, "ioSpin");
            if (spin.isNegative() || spin.compareTo(MAX_IO_SPIN) > 0) {
                throw new IllegalArgumentException("ioSpin must be between 0 and 10 ms, was " + spin);
            }
            this.ioSpin = spin;
            return this;
        }

        public Kernel build() {
            return new Kernel(this);
        }

        private static BlockingCalls defaultBlockingCalls() {
            String p = System.getProperty("curio.blocking-calls", "release");
            try {
                return BlockingCalls.valueOf(p.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "system property curio.blocking-calls must be release or hold, was '" + p + "'");
            }
        }

        private static CarrierKind defaultCarrier() {
            String p = System.getProperty("curio.carrier", "auto");
            try {
                return CarrierKind.valueOf(p.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "system property curio.carrier must be auto, owned or default, was '" + p + "'");
            }
        }
    }

    // =====================================================================================
    // Running
    // =====================================================================================

    /**
     * Runs {@code main} as a task until it terminates and returns its result; other tasks keep
     * running meanwhile and stay in the kernel afterwards. A failure of {@code main} is rethrown
     * (unchecked as is, checked wrapped in {@link TaskError}).
     *
     * @throws IllegalStateException if the kernel is running, shut down, or if called from a task
     */
    public <T> T run(Callable<T> main) {
        return run(null, requireMain(main), false);
    }

    /** Runs {@code main} as a task of the kernel's own machinery (marked {@link Task#system()}). */
    <T> T runSystem(String mainName, Callable<T> main) {
        return run(mainName, requireMain(main), false, true);
    }

    /** {@link #run(Callable)} with a name for the main task. */
    public <T> T run(String mainName, Callable<T> main) {
        return run(mainName, requireMain(main), false);
    }

    /** Runs one scheduling cycle of the tasks already in the kernel and returns. */
    public void runOnce() {
        run(null, null, false);
    }

    private static <T> Callable<T> requireMain(Callable<T> main) {
        if (main == null) {
            throw new IllegalArgumentException("main must not be null (runOnce() runs one scheduling cycle)");
        }
        return main;
    }

    /** Refuses to run a kernel from inside a task (it would block its own kernel). */
    public static void checkNotInTask() {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("Kernel.run() called from inside a task (" + CURRENT.get()
                    + "): a task cannot run a kernel; spawn a task instead");
        }
    }

    private <T> T run(String mainName, Callable<T> main, boolean shutdown) {
        return run(mainName, main, shutdown, false);
    }

    @SuppressWarnings("unchecked")
    private <T> T run(String mainName, Callable<T> main, boolean shutdown, boolean system) {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("Kernel.run() called from inside a task (" + CURRENT.get()
                    + "): a task cannot run a kernel; spawn a task instead");
        }
        if (RUNNING_HERE.get() != null) {
            throw new IllegalStateException("Kernel.run() called while kernel '" + RUNNING_HERE.get().name
                    + "' runs in this thread");
        }
        if (shutDown) {
            throw new IllegalStateException("kernel '" + name + "' has been shut down; create a new kernel");
        }
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("kernel '" + name + "' is already running");
        }
        try {
            systemMain = system;
            if (Thread.currentThread().isVirtual()) {
                return runOnPlatformThread(mainName, main, shutdown);
            }
            return (T) runHere(mainName, main, shutdown);
        } finally {
            running.set(false);
        }
    }

    private <T> T runOnPlatformThread(String mainName, Callable<T> main, boolean shutdown) {
        Object[] out = new Object[2];
        Thread t = Thread.ofPlatform().name("curio-" + name + "-loop").start(() -> {
            try {
                out[0] = runHere(mainName, main, shutdown);
            } catch (Throwable e) {
                out[1] = e;
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (out[1] != null) {
            throw Task.rethrow((Throwable) out[1]);
        }
        @SuppressWarnings("unchecked")
        T r = (T) out[0];
        return r;
    }

    private Object runHere(String mainName, Callable<?> main, boolean shutdown) {
        RUNNING_HERE.set(this);
        runner = Thread.currentThread();
        LongBlockSentry.Watch watch = longBlockNanos > 0 ? LongBlockSentry.watch(this, longBlockNanos) : null;
        try {
            if (!activated) {
                activated = true;
                for (Activation a : acts) {
                    try {
                        a.activate(this);
                    } catch (Throwable e) {
                        activationFailed(a, "activate", null, e);
                    }
                }
            }
            Task<?> task = null;
            if (main != null) {
                task = newTask(mainName, main, false);
            }
            if (main != null || !shutdown) {
                runLoop(task);
                Throwable died = takeFatal();
                if (died != null) {
                    throw new IllegalStateException("kernel '" + name + "' stopped: an action posted to its inbox"
                            + " threw (" + died + "); its tasks are left as they were, close() cancels them", died);
                }
            }
            if (shutdown) {
                List<Task<?>> remaining = new ArrayList<>(tasks.values());
                remaining.sort(Comparator.comparingLong((Task<?> t) -> t.id()).reversed());
                systemMain = true;
                runLoop(newTask("kernel-shutdown", () -> {
                    for (Task<?> t : remaining) {
                        t.cancel();
                    }
                    return null;
                }, true));
                Throwable died = takeFatal();
                if (died != null) {
                    LOG.log(System.Logger.Level.ERROR, "kernel " + name
                            + ": an action posted during shutdown threw; shutting down anyway", died);
                }
                shutDown = true;
                clock.detach(this);
                for (int i = shutdownActions.size() - 1; i >= 0; i--) {
                    try {
                        shutdownActions.get(i).run();
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "shutdown action of kernel " + name + " failed", e);
                    }
                }
                try {
                    io.close();
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "closing the selector of kernel " + name, e);
                }
            }
            if (task == null) {
                return null;
            }
            task.joined = true;
            Throwable exc = task.exception();
            if (exc != null) {
                throw Task.rethrow(exc);
            }
            return task.result();
        } finally {
            if (watch != null) {
                watch.stop();
            }
            runner = null;
            RUNNING_HERE.remove();
        }
    }

    private Throwable takeFatal() {
        Throwable f = fatal;
        fatal = null;
        return f;
    }

    private void runLoop(Task<?> main) {
        mainTask = main;
        singleCycle = main == null;
        cycleStarted = false;
        batchRemaining = 0;
        carrier.runLoop(this);
        mainTask = null;
    }

    /**
     * Cancels every remaining task (newest first), waits for them, and releases the kernel's
     * resources. Idempotent. The kernel cannot run again afterwards.
     */
    @Override
    public void close() {
        if (shutDown) {
            return;
        }
        run(null, null, true);
    }

    // =====================================================================================
    // The loop: runs on the loop thread while it holds the kernel
    // =====================================================================================

    /**
     * One turn of the loop, on the loop thread, which holds the kernel: hands the kernel to the next
     * ready task (returns true), or finds that {@code run} must return (returns false), blocking
     * for I/O and deadlines while nothing is ready.
     */
    boolean loopTurn() {
        while (true) {
            Task<?> next = pickNext();
            if (next != null) {
                resume(next);
                return true;
            }
            if (stopRequested()) {
                return false;
            }
            blockingPoll();
        }
    }

    boolean takeLoopBaton() {
        if (loopBaton) {
            loopBaton = false;
            return true;
        }
        return false;
    }

    boolean loopBatonWaiting() {
        return loopBaton;
    }

    private boolean stopRequested() {
        return fatal != null || singleCycle ? cycleStarted : mainTask != null && mainTask.terminated;
    }

    /**
     * Chooses the task to run next, or null when the loop must take over (nothing ready, or run()
     * must return). Between batches, polls for events without blocking, as Curio's loop does.
     */
    private Task<?> pickNext() {
        if (batchRemaining == 0) {
            if (stopRequested()) {
                return null;
            }
            cycleStarted = true;
            if (justPolled) {
                justPolled = false;
            } else {
                pollEvents();
            }
            batchRemaining = fatal == null ? ready.size() : 0;
            if (batchRemaining == 0) {
                return null;
            }
        }
        batchRemaining--;
        Task<?> t = ready.pollFirst();
        for (Activation a : acts) {
            try {
                a.running(t);
            } catch (Throwable e) {
                activationFailed(a, "running", t, e);
            }
        }
        t.state = "RUNNING";
        t.cycles++;
        t.lastTrap = null;
        current = t;
        return t;
    }

    private void resume(Task<?> t) {
        Runnable held = t.heldContinuation;
        if (held != null) {
            // Back from a step out: the JDK woke it, the kernel kept its continuation until now.
            t.heldContinuation = null;
            carrier.resumeHeld(held);
            return;
        }
        t.scheduled = true;
        boolean first = !t.started;
        t.started = true;
        carrier.resume(t.thread, t.continuation, first);
    }

    // =====================================================================================
    // Stepping out: a task the JDK blocks outside a trap (owned carrier; see BlockingCalls)
    // =====================================================================================

    /**
     * On the owned carrier, right after {@code continuation} yielded: the task holding the kernel
     * if the continuation was its own and it parked in its own code (neither at a trap nor in the
     * kernel's code) under {@link BlockingCalls#RELEASE}, else null. Two field reads on a hand-off.
     */
    Task<?> parkedHolder(Runnable continuation) {
        Task<?> h = current;
        if (h == null || !h.inUserCode || blockingCalls != BlockingCalls.RELEASE) {
            return null;
        }
        return h.continuation == continuation ? h : null;
    }

    /** The holder {@code h} stepped out: the calling carrier's loop holds the kernel from now on. */
    void stepOut(Task<?> h) {
        current = null;
        h.state = "BLOCKED";
        h.stepOuts++;
        h.outSince = Math.max(1, System.nanoTime()); // 0 means "in"
        outCount++;
        for (Activation a : acts) {
            try {
                a.steppedOut(h);
            } catch (Throwable e) {
                activationFailed(a, "steppedOut", h, e);
            }
        }
    }

    /**
     * The holder's part of a step back in: the JDK woke {@code h}, which was out; it waits in the
     * ready queue for its turn and resumes with {@code continuation}. What fell due meanwhile
     * (a cancel, a timeout) is pending and delivered at its next trap.
     */
    void stepBackIn(Task<?> h, Runnable continuation) {
        h.heldContinuation = continuation;
        h.outSince = 0;
        outCount--;
        reschedule(h);
        for (Activation a : acts) {
            try {
                a.steppedIn(h);
            } catch (Throwable e) {
                activationFailed(a, "steppedIn", h, e);
            }
        }
    }

    /** The task holding the kernel, read racily by the long-block sentry; null while the loop holds it. */
    Task<?> holderSnapshot() {
        return current;
    }

    void longBlockSeen() {
        longBlocks = longBlocks + 1; // the sentry's thread is the only writer
    }

    /**
     * How many times a task held this kernel longer than {@link Builder#longBlockThreshold}
     * (counted while they last). Any thread.
     */
    public long longBlocks() {
        return longBlocks;
    }

    /** See {@link Builder#longBlockThreshold}; empty when there is none. */
    public java.util.Optional<Duration> longBlockThreshold() {
        return longBlockNanos == 0 ? java.util.Optional.empty() : java.util.Optional.of(Duration.ofNanos(longBlockNanos));
    }

    /** How many of this kernel's tasks are out (the JDK blocks them outside a trap). Any thread, racy. */
    public int steppedOutCount() {
        return outCount;
    }

    /**
     * The effective rule for blocking JDK calls in this kernel's tasks: {@code RELEASE} only on the
     * owned carrier (the default carrier cannot hold a woken task back until its turn).
     */
    public BlockingCalls blockingCalls() {
        return blockingCalls;
    }

    private static void warnHoldOnce() {
        if (WARNED_HOLD.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, holdWarning());
        }
    }

    /** The one WARN of a JVM whose kernels cannot let a task step out (see {@link BlockingCalls}). */
    static String holdWarning() {
        return "Curio kernels run their tasks on the JDK's default virtual-thread scheduler here ("
                + (OwnedCarrier.available() ? "asked for" : OwnedCarrier.unavailableReason())
                + "): a task blocked in a JDK call (Thread.sleep, JDBC, java.io, a contended lock) holds its kernel"
                + " and every other task of it waits. To let such a task step out of the kernel, run the JVM with"
                + " --add-opens java.base/java.lang=ALL-UNNAMED (the kernel-owned carrier); to keep Curio's strict"
                + " rule and silence this, set blocking calls to 'hold' (curio.blocking-calls=hold)";
    }

    private void handToLoop() {
        loopBaton = true;
        carrier.wakeLoop();
    }

    private void blockingPoll() {
        // Announce the wait before reading the clock and the inbox, so that a concurrent post()
        // or clock advance either is seen here or wakes the selector.
        woken = false;
        selecting = true;
        try {
            // A stepped-out task's continuation may have reached the carrier before it was known
            // to be out: then it sits in the carrier's queue, which the selector does not see.
            boolean stepIns = outCount > 0 && carrier.takeStepIns(this);
            long wait = stepIns ? 0 : outCount > 0 ? clock.busy(sleepq.nextDeadline()) : clock.idle(sleepq.nextDeadline());
            if (wait == 0 || !spinForIo(wait)) {
                io.select(inbox.isEmpty() && !woken ? wait : 0);
            }
        } finally {
            selecting = false;
        }
        processEvents();
        justPolled = true;
    }

    /**
     * Polls briefly before the kernel sleeps in the selector: the inbox while a task waits for
     * another thread (a worker's answer often comes within microseconds), and the sockets while
     * any are waited on (up to {@link Builder#ioSpin}, and not past {@code wait}, the time the
     * kernel may sleep). Sleeping and being woken costs more than such a poll. Returns whether the
     * sockets' poll found ready channels (then the selector has them already); an inbox that
     * filled up ends the spin with false.
     */
    private boolean spinForIo(long wait) {
        boolean sockets = ioSpinNanos > 0 && io.any();
        long ioSpin = sockets ? (wait > 0 ? Math.min(wait, ioSpinNanos) : ioSpinNanos) : 0;
        long spin = Math.max(futureWaits > 0 ? SPIN_NANOS : 0, ioSpin);
        if (spin == 0) {
            return false;
        }
        long until = System.nanoTime() + spin;
        do {
            if (!inbox.isEmpty() || woken) {
                return false;
            }
            if (sockets && io.select(0)) {
                return true;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() < until);
        return false;
    }

    /** Between batches: looks for events without blocking. */
    private void pollEvents() {
        if (io.any()) {
            io.select(0);
        }
        processEvents();
    }

    private void processEvents() {
        if (outCount > 0) {
            carrier.takeStepIns(this);
        }
        if (io.any()) {
            io.dispatch(this::reschedule);
        }
        Runnable r;
        while ((r = inbox.poll()) != null) {
            inInbox = true;
            try {
                r.run();
            } catch (Throwable e) {
                died(e);
                return;
            } finally {
                inInbox = false;
            }
        }
        expireTimers();
    }

    private void expireTimers() {
        if (sleepq.size() == 0) {
            return;
        }
        long now = clock.nanos();
        TimeQueue.Entry e;
        while ((e = sleepq.pollExpired(now)) != null) {
            Task<?> task = e.task;
            if (e.kind == TimeQueue.SLEEP) {
                task.sleepEntry = null;
                task.trapResult = now;
                reschedule(task);
            } else {
                task.timeoutEntry = null;
                task.timeout = NO_DEADLINE;
                if (task.allowCancel && task.cancelFunc != null) {
                    task.cancelFunc.run();
                    task.trapException = new TaskTimeout(now);
                    reschedule(task);
                } else if (task.cancelPending == null) {
                    // Not while another cancellation is pending: the scope would discard the
                    // timeout on exit and the cancellation would be lost with it.
                    task.cancelPending = new TaskTimeout(now);
                }
            }
        }
    }

    /** A posted action threw: the loop stops at its next turn (see {@link #fatal}). */
    private void died(Throwable e) {
        if (fatal == null) {
            fatal = e;
        } else {
            fatal.addSuppressed(e);
        }
        batchRemaining = 0;
    }

    /**
     * An activation threw: it is a monitoring hook, so the kernel carries on (the task it was told
     * about runs as if nothing happened) and logs the first failure of each activation, counting
     * the rest. Letting it escape would strand the kernel on whichever thread held it.
     */
    private void activationFailed(Activation a, String hook, Task<?> t, Throwable e) {
        activationFailures++;
        if (failedActivations.add(a)) {
            logSafely(System.Logger.Level.ERROR, "activation " + a + " of kernel " + name + " threw in " + hook
                    + (t == null ? "" : "(" + t + ")") + "; the kernel carries on and keeps calling it,"
                    + " its further failures are counted (activationFailures()), not logged", e);
        }
    }

    /**
     * Logs from inside a hand-off, where an exception would strand the kernel: a logger can fail
     * (out of file descriptors, it cannot open what it formats with), and then the line is lost.
     */
    private static void logSafely(System.Logger.Level level, String msg, Throwable thrown) {
        try {
            LOG.log(level, msg, thrown);
        } catch (Throwable ignored) {
            // nothing better to do with it: the kernel must carry on
        }
    }

    // =====================================================================================
    // Traps: run by the current task's thread while it holds the kernel
    // =====================================================================================

    /**
     * Executes a trap for the calling task: the only way for a task to block, and the only point
     * where another task of this kernel may run. Returns the trap's value or throws what the kernel
     * delivered (a cancellation, a timeout, an error of the trap).
     */
    public static Object trap(Trap trap) {
        Task<?> me = CURRENT.get();
        if (me == null) {
            throw new AsyncOnlyError(describe(trap) + " must be called from a Curio task");
        }
        Kernel k = me.kernel();
        me.inUserCode = false;
        // The switch happens here, after handle's frame is gone: a suspended task's stack is copied
        // out and back in on every switch, and the dispatch frame need not be part of it.
        if (k.handle(me, trap)) {
            k.switchAway(me);
        }
        me.inUserCode = true;
        Throwable exc = me.trapException;
        if (exc != null) {
            me.trapException = null;
            // Delivered exactly as given, checked or not: cancel(exc) may pass any exception.
            throw Task.<RuntimeException>sneakyThrow(exc);
        }
        return me.trapResult;
    }

    /** Runs {@code trap} for {@code me}; returns whether {@code me} suspended (then the caller switches away). */
    private boolean handle(Task<?> me, Trap trap) {
        if (current != me) {
            throw new IllegalStateException("trap from " + me + " which does not hold kernel " + name);
        }
        me.trapResult = null;
        me.trapException = null;
        me.lastTrap = trap;
        switch (trap) {
            case Trap.Sleep s -> trapSleep(me, s);
            case Trap.SchedWait w -> trapSchedWait(me, w);
            case Trap.SchedWake w -> {
                for (Task<?> t : w.sched().kernelWake(w.n())) {
                    reschedule(t);
                }
            }
            case Trap.Spawn s -> {
                spawnTask(s.task());
                me.trapResult = s.task();
            }
            case Trap.CancelTask c -> trapCancel(c.task(), c.exc());
            case Trap.FutureWait f -> trapFutureWait(me, f.future());
            case Trap.ReadWait r -> trapIo(me, r.channel(), true);
            case Trap.WriteWait w -> trapIo(me, w.channel(), false);
            case Trap.IoRelease r -> io.release(r.channel());
            case Trap.SetTimeout s -> me.trapResult = trapSetTimeout(me, s.deadline());
            case Trap.UnsetTimeout u -> me.trapResult = trapUnsetTimeout(me, u.previous());
        }
        if (current != null) {
            return false;
        }
        for (Activation a : acts) {
            try {
                a.suspended(me, trap);
            } catch (Throwable e) {
                activationFailed(a, "suspended", me, e);
            }
        }
        return true;
    }

    private static String describe(Trap trap) {
        String n = trap.getClass().getSimpleName();
        return switch (trap) {
            case Trap.Sleep s -> "sleep";
            case Trap.SchedWait w -> "waiting (" + w.state() + ")";
            default -> n;
        };
    }

    /** After {@code me} suspended: hands the kernel on and parks until it is handed back. */
    private void switchAway(Task<?> me) {
        Task<?> next = pickNext();
        if (next == me) {
            return;
        }
        if (next == null) {
            handToLoop();
        } else {
            resume(next);
        }
        me.awaitKernel();
    }

    /** Whether a pending cancellation must be delivered instead of blocking; if so, arranges it. */
    private boolean deliverPending(Task<?> me) {
        if (me.allowCancel && me.cancelPending != null) {
            me.trapException = me.cancelPending;
            me.cancelPending = null;
            return true;
        }
        return false;
    }

    private void suspend(Task<?> me, String state, Runnable cancelFunc) {
        me.state = state;
        me.cancelFunc = cancelFunc;
        current = null;
    }

    private void reschedule(Task<?> t) {
        ready.addLast(t);
        t.state = "READY";
        t.cancelFunc = null;
        t.waitingOn = null;
    }

    private void trapSleep(Task<?> me, Trap.Sleep s) {
        if (deliverPending(me)) {
            return;
        }
        long now = clock.nanos();
        long until = s.absolute() ? s.clock() : (s.clock() <= 0 ? now : now + s.clock());
        if (!s.absolute() && s.clock() <= 0) {
            reschedule(me);
            me.trapResult = now;
            current = null;
            return;
        }
        me.sleepEntry = sleepq.push(me, until, TimeQueue.SLEEP);
        suspend(me, "TIME_SLEEP", () -> {
            sleepq.remove(me.sleepEntry);
            me.sleepEntry = null;
        });
    }

    private void trapSchedWait(Task<?> me, Trap.SchedWait w) {
        if (deliverPending(me)) {
            return;
        }
        me.waitingOn = w.sched();
        suspend(me, w.state(), w.sched().kernelSuspend(me));
    }

    private void trapCancel(Task<?> task, Throwable exc) {
        if (task.cancelled || task.terminated) {
            return;
        }
        task.cancelled = true;
        setTaskTimeout(task, NO_DEADLINE);
        task.cancelPending = exc;
        if (!task.allowCancel || task.cancelFunc == null) {
            return;
        }
        task.cancelFunc.run();
        task.trapException = task.cancelPending;
        task.cancelPending = null;
        reschedule(task);
    }

    private void trapFutureWait(Task<?> me, CompletionStage<?> future) {
        if (deliverPending(me)) {
            return;
        }
        var cf = future.toCompletableFuture();
        if (cf.isDone()) {
            me.trapResult = cf;
            return;
        }
        me.waitingOn = cf;
        futureWaits++;
        cf.whenComplete((v, e) -> post(() -> {
            if (me.waitingOn == cf) {
                futureWaits--;
                me.trapResult = cf;
                reschedule(me);
            }
        }));
        suspend(me, "FUTURE_WAIT", () -> {
            futureWaits--;
            me.waitingOn = null;
            cf.cancel(false);
        });
    }

    private void trapIo(Task<?> me, SelectableChannel ch, boolean read) {
        if (deliverPending(me)) {
            return;
        }
        Runnable undo;
        try {
            undo = io.await(me, ch, read);
        } catch (RuntimeException e) {
            me.trapException = e;
            return;
        }
        suspend(me, read ? "READ_WAIT" : "WRITE_WAIT", undo);
    }

    private long trapSetTimeout(Task<?> me, long deadline) {
        long old = me.timeout;
        setTaskTimeout(me, deadline);
        if (old != NO_DEADLINE && me.timeout > old) {
            setTaskTimeout(me, old);
        }
        return old;
    }

    private long trapUnsetTimeout(Task<?> me, long previous) {
        setTaskTimeout(me, NO_DEADLINE);
        long now = clock.nanos();
        setTaskTimeout(me, previous);
        if (!(previous != NO_DEADLINE && previous < now) && me.cancelPending instanceof TaskTimeout) {
            me.cancelPending = null;
        }
        return now;
    }

    private void setTaskTimeout(Task<?> t, long deadline) {
        if (t.timeoutEntry != null) {
            sleepq.remove(t.timeoutEntry);
            t.timeoutEntry = null;
        }
        t.timeout = deadline;
        if (deadline != NO_DEADLINE) {
            t.timeoutEntry = sleepq.push(t, deadline, TimeQueue.TIMEOUT);
        }
    }

    // =====================================================================================
    // Task life cycle
    // =====================================================================================

    /** Creates a task as a child of the calling task and makes it ready. Called from a task. */
    public <T> Task<T> spawn(String taskName, Callable<T> body, boolean daemon) {
        Objects.requireNonNull(body, "body");
        Task<?> me = CURRENT.get();
        if (me == null || me.kernel() != this) {
            throw new AsyncOnlyError("spawn must be called from a task of kernel " + name);
        }
        Callable<T> b = decorator == null ? body : Objects.requireNonNull(decorator.decorate(body), "decorated body");
        Task<T> t = new Task<>(TASK_IDS.incrementAndGet(), me, taskName, this, b, daemon, clock.nanos());
        trap(new Trap.Spawn(t));
        return t;
    }

    private <T> Task<T> newTask(String taskName, Callable<T> body, boolean daemon) {
        Task<T> t = new Task<>(TASK_IDS.incrementAndGet(), null, taskName, this, body, daemon, clock.nanos());
        t.system = systemMain;
        systemMain = false;
        spawnTask(t);
        return t;
    }

    private void spawnTask(Task<?> t) {
        tasks.put(t.id(), t);
        reschedule(t);
        for (Activation a : acts) {
            try {
                a.created(t);
            } catch (Throwable e) {
                activationFailed(a, "created", t, e);
            }
        }
    }

    /** The finishing task's last act, on its own thread: record the outcome and hand the kernel on. */
    <T> void taskFinished(Task<T> t, T value, Throwable failure) {
        current = null;
        t.complete(value, failure);
        if (t.joining != null) {
            for (Task<?> w : t.joining.kernelWake(t.joining.size())) {
                reschedule(w);
            }
        }
        tasks.remove(t.id());
        carrier.forget(t.continuation);
        setTaskTimeout(t, NO_DEADLINE);
        if (t.sleepEntry != null) {
            sleepq.remove(t.sleepEntry);
            t.sleepEntry = null;
        }
        if (failure != null && t != mainTask && t.reportCrash && !(failure instanceof CancelledError)) {
            logSafely(System.Logger.Level.ERROR, "Task Crash: " + t, failure);
        }
        for (Activation a : acts) {
            try {
                a.suspended(t, t.lastTrap);
            } catch (Throwable e) {
                activationFailed(a, "suspended", t, e);
            }
            try {
                a.terminated(t);
            } catch (Throwable e) {
                activationFailed(a, "terminated", t, e);
            }
        }
        Task<?> next = pickNext();
        if (next == null) {
            handToLoop();
        } else {
            resume(next);
        }
    }

    // =====================================================================================
    // Cross-thread door
    // =====================================================================================

    /**
     * Runs {@code action} inside the kernel, on the thread holding it, at the next poll. Safe from
     * any thread; the only way for other threads to change kernel state. An action that throws is
     * a bug in kernel-level code that may have left kernel state half changed: the loop stops and
     * {@code run} throws it (a {@link KernelThread} logs it and closes the kernel).
     */
    public void post(Runnable action) {
        inbox.add(Objects.requireNonNull(action, "action"));
        wakeup();
    }

    /**
     * Submits {@code body} as a new top-level task from any thread. The future completes with the
     * task's result or exception (on another thread, never the kernel's); cancelling the future
     * cancels the task. The kernel must be running (see {@link KernelThread}) for it to start. A
     * failure is the future's to report: it is not logged as a task crash, as a failure of the
     * main task of {@link #run} is not (the caller gets it).
     *
     * @throws IllegalStateException if the kernel has been shut down
     */
    public <T> java.util.concurrent.CompletableFuture<T> submit(String taskName, Callable<T> body) {
        Objects.requireNonNull(body, "body");
        if (shutDown) {
            throw new IllegalStateException("kernel '" + name + "' has been shut down; it accepts no work");
        }
        var future = new java.util.concurrent.CompletableFuture<T>();
        post(() -> {
            if (future.isDone()) {
                return; // cancelled before it started
            }
            Task<T> t = newTask(taskName, () -> {
                try {
                    T v = body.call();
                    java.util.concurrent.ForkJoinPool.commonPool().execute(() -> future.complete(v));
                    return v;
                } catch (Throwable e) {
                    java.util.concurrent.ForkJoinPool.commonPool().execute(() -> future.completeExceptionally(e));
                    throw e;
                }
            }, false);
            t.reportCrash = false; // the future reports it
            future.whenComplete((v, e) -> {
                if (future.isCancelled()) {
                    post(() -> trapCancel(t, new TaskCancelled("submitted future was cancelled")));
                }
            });
        });
        return future;
    }

    /**
     * Requests, from any thread, the cancellation of the task with id {@code taskId} with
     * {@code exc}. The request goes through the inbox: only the kernel touches its tasks. The
     * future tells whether such a task was found alive; it fails with
     * {@link SystemTaskCancelRefused} when the task is a {@link Task#system()} task (the kernel's
     * own machinery, such as a {@link KernelThread}'s main task), which is left running.
     */
    public java.util.concurrent.CompletableFuture<Boolean> cancelTask(long taskId, Throwable exc) {
        Objects.requireNonNull(exc, "exc");
        return inKernel(k -> {
            Task<?> t = tasks.get(taskId);
            if (t == null || t.terminated) {
                return false;
            }
            if (t.system()) {
                throw new SystemTaskCancelRefused(t.cancelRefusal());
            }
            trapCancel(t, exc);
            return true;
        });
    }

    /**
     * Runs {@code query} inside the kernel at its next poll, from any thread, and gives its value.
     * Use it for consistent snapshots (the task table); it completes only while the kernel runs.
     */
    public <R> java.util.concurrent.CompletableFuture<R> inKernel(java.util.function.Function<Kernel, R> query) {
        Objects.requireNonNull(query, "query");
        var f = new java.util.concurrent.CompletableFuture<R>();
        post(() -> {
            try {
                R r = query.apply(this);
                java.util.concurrent.ForkJoinPool.commonPool().execute(() -> f.complete(r));
            } catch (Throwable e) {
                java.util.concurrent.ForkJoinPool.commonPool().execute(() -> f.completeExceptionally(e));
            }
        });
        return f;
    }

    /** Makes an idle kernel look at its inbox and deadlines. Safe from any thread. */
    public void wakeup() {
        if (selecting) {
            woken = true;
            io.wakeup();
        }
    }

    /** Reschedules {@code task}, parked on {@code sched}, from inside the kernel (used by posted actions). */
    public void wakeWaiter(Task<?> task, Object sched, Object value) {
        checkHeld("wakeWaiter");
        if (task.waitingOn == sched && task.cancelFunc != null) {
            task.cancelFunc.run();
            task.trapResult = value;
            reschedule(task);
        }
    }

    /**
     * The object attached to this kernel under {@code key}, created by {@code create} on first use
     * (Curio keeps its worker pools on the kernel this way). Safe from any thread.
     */
    @SuppressWarnings("unchecked")
    public <T> T attachment(Object key, java.util.function.Supplier<T> create) {
        Objects.requireNonNull(key, "key");
        return (T) attachments.computeIfAbsent(key, k -> Objects.requireNonNull(create.get(), "created attachment"));
    }

    /** The object attached under {@code key}, or null (never creates one). Safe from any thread. */
    @SuppressWarnings("unchecked")
    public <T> T attachmentIfPresent(Object key) {
        return (T) attachments.get(Objects.requireNonNull(key, "key"));
    }

    /** Attaches {@code value} under {@code key} unless something is attached already; returns what is attached. */
    @SuppressWarnings("unchecked")
    public <T> T attach(Object key, T value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Object prev = attachments.putIfAbsent(key, value);
        return prev == null ? value : (T) prev;
    }

    /** Registers an action to run after the kernel has shut down (Curio's {@code _call_at_shutdown}). */
    public void onShutdown(Runnable action) {
        shutdownActions.add(Objects.requireNonNull(action, "action"));
    }

    void checkHeld(String what) {
        Task<?> me = CURRENT.get();
        boolean held = inInbox || (me != null && current == me)
                || (runner == Thread.currentThread() && current == null);
        if (!held) {
            throw new IllegalStateException(what + " must run inside kernel " + name);
        }
    }

    // =====================================================================================
    // Introspection (snapshots; safe to call from the kernel, racy elsewhere)
    // =====================================================================================

    /** How many calls of this kernel's activations threw (each activation's first is logged). Any thread. */
    public long activationFailures() {
        return activationFailures;
    }

    /** How long the idle kernel polls its sockets before sleeping (see {@link Builder#ioSpin}). */
    public Duration ioSpin() {
        return Duration.ofNanos(ioSpinNanos);
    }

    public String name() {
        return name;
    }

    public KernelClock clock() {
        return clock;
    }

    Carrier carrier() {
        return carrier;
    }

    /** Which carrier runs this kernel's tasks: {@code "owned"} or {@code "default"}. */
    public String carrierKind() {
        return carrier.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    public List<Activation> activations() {
        return activations;
    }

    /** The calling task's kernel, or null outside a task. */
    public static Kernel current() {
        Task<?> t = CURRENT.get();
        return t == null ? null : t.kernel();
    }

    /** The calling task, or null outside a task. */
    public static Task<?> currentTask() {
        return CURRENT.get();
    }

    /** The tasks not yet terminated, by id. Call from inside the kernel (e.g. from a task). */
    public List<Task<?>> tasks() {
        List<Task<?>> l = new ArrayList<>(tasks.values());
        l.sort(Comparator.comparingLong(Task::id));
        return l;
    }

    /**
     * The tasks not yet terminated, read from any thread without stopping the kernel: a racy
     * snapshot (a task may finish while it is taken), by id.
     */
    public List<Task<?>> tasksSnapshot() {
        List<Task<?>> l = new ArrayList<>(tasks.values());
        l.sort(Comparator.comparingLong(Task::id));
        return l;
    }

    /** Number of tasks not yet terminated. */
    public int taskCount() {
        return tasks.size();
    }

    /** Number of pending deadlines (sleeps and timeouts). */
    public int pendingDeadlines() {
        return sleepq.size();
    }

    /** Number of ready tasks. */
    public int readyCount() {
        return ready.size();
    }

    public boolean isRunning() {
        return running.get();
    }

    public boolean isShutDown() {
        return shutDown;
    }

    /** Kernel clock when the kernel was created. */
    public long startedAt() {
        return startedAt;
    }

    @Override
    public String toString() {
        return "Kernel(name=" + name + ", carrier=" + carrierKind() + ", clock=" + clock + ")";
    }
}
