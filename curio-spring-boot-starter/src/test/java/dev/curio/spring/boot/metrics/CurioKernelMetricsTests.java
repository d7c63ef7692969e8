package dev.curio.spring.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.Curio;
import dev.curio.kernel.BlockingCalls;
import dev.curio.kernel.CarrierKind;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.ManualClock;
import dev.curio.kernel.Task;
import dev.curio.kernel.WaitQueue;
import dev.curio.queue.TaskQueue;
import dev.curio.sync.Condition;
import dev.curio.sync.Event;
import dev.curio.sync.Lock;
import dev.curio.sync.Result;
import dev.curio.sync.Semaphore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The kernel metrics on a kernel run in the test's thread with a manual clock (autojump), read
 * from a {@link SimpleMeterRegistry}. Scenarios after Curio's test_activation / test_task:
 * tasks that return, raise, are cancelled, and time out.
 */
class CurioKernelMetricsTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static Kernel.Builder kernel(String name, CurioKernelMetrics metrics) {
        return Kernel.builder().name(name).clock(ManualClock.autojump()).activations(metrics);
    }

    /** A kernel whose tasks step out of it where the JDK blocks them (owned carrier, release). */
    private static Kernel.Builder steppingOut(String name, CurioKernelMetrics metrics) {
        return kernel(name, metrics).carrier(CarrierKind.OWNED).blockingCalls(BlockingCalls.RELEASE);
    }

    /** Waits, at traps, until {@code t} is out of the kernel. */
    private static void awaitOut(Task<?> t) {
        while (!t.steppedOut()) {
            Curio.sleep(0.001);
        }
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    private String states() {
        List<String> l = new ArrayList<>();
        for (String s : TaskStateCensus.STATES) {
            int n = (int) gauge("curio.tasks.state", "state", s);
            if (n > 0) {
                l.add(s + "=" + n);
            }
        }
        return String.join(" ", l);
    }

    @Test
    void countsTasksByOutcomeAndCensusesStates() {
        CurioKernelMetrics metrics = new CurioKernelMetrics("m", Duration.ofHours(1));
        metrics.bindTo(registry);
        List<String> trail = new ArrayList<>();
        Curio.run(kernel("m", metrics), () -> {
            Event go = new Event();
            Task<String> ok = Curio.spawn("ok", () -> "fine");
            Task<Void> bad = Curio.spawn("bad", () -> {
                throw new IllegalStateException("boom");
            });
            Task<Void> slow = Curio.spawn("slow", () -> {
                Curio.sleep(Duration.ofHours(1));
            });
            Task<Void> late = Curio.spawn("late", () -> {
                Curio.timeoutAfter(Duration.ofSeconds(1), () -> {
                    Curio.sleep(Duration.ofSeconds(5));
                });
            });
            Task<Void> waiter = Curio.spawn("waiter", () -> go.await());
            trail.add("spawned: active=" + (int) gauge("curio.tasks.active") + " ready=" + (int) gauge("curio.ready.queue")
                    + " " + states());
            Curio.sleep(0);
            trail.add("settled: active=" + (int) gauge("curio.tasks.active") + " ready=" + (int) gauge("curio.ready.queue")
                    + " " + states());
            slow.cancel();
            go.set();
            waiter.join();
            ok.join();
            bad.await();
            late.await();
            trail.add("joined: created=" + (int) counter("curio.tasks.created") + " " + states());
            return null;
        });
        assertThat(trail).containsExactly(
                "spawned: active=6 ready=5 READY=5 RUNNING=1",
                "settled: active=4 ready=0 RUNNING=1 TIME_SLEEP=2 EVENT_WAIT=1",
                "joined: created=6 RUNNING=1");
        // main, ok and waiter returned (the kernel's own shutdown task is a system task, not
        // counted); bad raised; slow was cancelled; late's timeout escaped it
        assertThat(counter("curio.tasks.created")).isEqualTo(6);
        assertThat(counter("curio.tasks.terminated", "outcome", "success")).isEqualTo(3);
        assertThat(counter("curio.tasks.terminated", "outcome", "error")).isEqualTo(1);
        assertThat(counter("curio.tasks.terminated", "outcome", "cancelled")).isEqualTo(1);
        assertThat(counter("curio.tasks.terminated", "outcome", "timeout")).isEqualTo(1);
        assertThat(gauge("curio.tasks.active")).isZero();
        // a sample of the cycles is timed: at least one of these, never more than all
        Timer hold = registry.get("curio.scheduler.hold").timer();
        assertThat((double) hold.count()).isBetween(1.0, counter("curio.scheduler.cycles"));
        assertThat(counter("curio.scheduler.cycles")).isGreaterThanOrEqualTo(6);
        assertThat(counter("curio.scheduler.long.blocks")).isZero();
    }

    @Test
    void withAStrideOfOneEveryCycleIsTimedOnce() {
        CurioKernelMetrics metrics = new CurioKernelMetrics("every", Duration.ofHours(1), 1);
        metrics.bindTo(registry);
        metrics.bindTo(registry); // bound twice to one registry: still timed once
        Curio.run(kernel("every", metrics), () -> {
            for (int i = 0; i < 10; i++) {
                Curio.spawn(() -> Curio.sleep(0)).join();
            }
            return null;
        });
        Timer hold = registry.get("curio.scheduler.hold").timer();
        assertThat((double) hold.count()).isEqualTo(counter("curio.scheduler.cycles")).isGreaterThanOrEqualTo(30);
    }

    @Test
    void theSampleStrideAveragesItsMean() {
        // strides are drawn in [16, 48): 3,200 cycles give between 3200/48 and 3200/16 samples
        CurioKernelMetrics metrics = new CurioKernelMetrics("sampled", Duration.ofHours(1));
        metrics.bindTo(registry);
        Curio.run(kernel("sampled", metrics), () -> {
            Task<Void> a = Curio.spawn(() -> yieldTimes(1600));
            Task<Void> b = Curio.spawn(() -> yieldTimes(1600));
            a.join();
            b.join();
            return null;
        });
        double cycles = counter("curio.scheduler.cycles");
        double samples = registry.get("curio.scheduler.hold").timer().count();
        assertThat(cycles).isGreaterThanOrEqualTo(3200);
        assertThat(samples).isBetween(Math.floor(cycles / 48), Math.ceil(cycles / 16) + 1); // the first cycle is sampled
    }

    private static void yieldTimes(int n) {
        for (int i = 0; i < n; i++) {
            Curio.sleep(0);
        }
    }

    @Test
    void everyMeterIsTaggedWithTheKernelAndNothingUnbounded() {
        CurioKernelMetrics metrics = new CurioKernelMetrics("tagged", Duration.ofMillis(50));
        metrics.bindTo(registry);
        Curio.run(kernel("tagged", metrics), () -> Curio.spawn("child-" + 1, () -> 1).join());
        List<Meter> meters = registry.getMeters();
        assertThat(meters).allSatisfy(m -> {
            assertThat(m.getId().getName()).startsWith("curio.");
            assertThat(m.getId().getTag("kernel")).isEqualTo("tagged");
            if (m.getId().getName().endsWith(".histogram")) {
                // the timers' buckets, which this registry shows as gauges of its own making
                assertThat(m.getId().getTags()).extracting(Tag::getKey).containsExactlyInAnyOrder("kernel", "le");
            } else {
                assertThat(m.getId().getTags()).extracting(Tag::getKey).isSubsetOf("kernel", "outcome", "state");
                assertThat(m.getId().getDescription()).isNotBlank();
            }
        });
        Set<String> names = meters.stream().map(m -> m.getId().getName()).collect(Collectors.toCollection(java.util.TreeSet::new));
        assertThat(names).containsExactly("curio.ready.queue", "curio.scheduler.cycles", "curio.scheduler.hold",
                "curio.scheduler.hold.histogram", "curio.scheduler.long.blocks", "curio.scheduler.step.out",
                "curio.scheduler.step.out.histogram", "curio.tasks.active", "curio.tasks.created",
                "curio.tasks.state", "curio.tasks.stepped.out", "curio.tasks.terminated");
        // the bounded tag sets: 4 outcomes, 23 states, 21 buckets each, whatever the tasks were called
        assertThat(registry.find("curio.tasks.terminated").meters()).hasSize(4);
        assertThat(registry.find("curio.scheduler.hold.histogram").meters()).hasSize(CurioKernelMetrics.HOLD_BUCKETS.size());
        assertThat(registry.find("curio.scheduler.step.out.histogram").meters())
                .hasSize(CurioKernelMetrics.STEP_OUT_BUCKETS.size());
        assertThat(registry.find("curio.tasks.state").meters()).hasSize(TaskStateCensus.STATES.size());
    }

    @Test
    void aCycleThatHoldsTheKernelPastTheThresholdIsALongBlock() {
        Duration threshold = Duration.ofMillis(20);
        CurioKernelMetrics metrics = new CurioKernelMetrics("blocky", threshold);
        metrics.bindTo(registry);
        metrics.bindTo(registry); // a second bind to the same registry must not double anything
        List<String> trail = new ArrayList<>();
        Curio.run(kernel("blocky", metrics), () -> {
            trail.add("long blocks before: " + (int) counter("curio.scheduler.long.blocks"));
            Curio.spawn("hog", () -> {
                // holds the kernel (no trap, so no other task runs) until the watchdog has counted
                // this very cycle: synchronised on the count, not on a guess at the time it takes
                long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // only turns a hang into a failure
                while (counter("curio.scheduler.long.blocks") == 0 && System.nanoTime() < bound) {
                    Thread.onSpinWait();
                }
                trail.add("hog saw long blocks: " + (int) counter("curio.scheduler.long.blocks"));
                return null;
            }).join();
            Curio.spawn("quick", () -> null).join();
            trail.add("long blocks after: " + (int) counter("curio.scheduler.long.blocks"));
            return null;
        });
        // counted once, not once per watchdog wake-up, and the quick task added none
        assertThat(trail).containsExactly("long blocks before: 0", "hog saw long blocks: 1", "long blocks after: 1");
    }

    @Test
    void gaugesReadZeroBeforeTheKernelRuns() {
        CurioKernelMetrics metrics = new CurioKernelMetrics("idle", Duration.ofMillis(50));
        MeterRegistry r = new SimpleMeterRegistry();
        metrics.bindTo(r);
        assertThat(r.get("curio.tasks.active").gauge().value()).isZero();
        assertThat(r.get("curio.ready.queue").gauge().value()).isZero();
        assertThat(r.get("curio.tasks.state").tag("state", "READY").gauge().value()).isZero();
        assertThat(r.get("curio.scheduler.long.blocks").functionCounter().count()).isZero();
        assertThat(r.get("curio.scheduler.hold").timer().max(TimeUnit.NANOSECONDS)).isZero();
        assertThat(r.get("curio.tasks.stepped.out").gauge().value()).isZero();
        assertThat(r.get("curio.scheduler.step.out").timer().count()).isZero();
    }

    @Test
    void holdBucketsRunFromAMicrosecondToSecondsInAFewSeries() {
        CurioKernelMetrics metrics = new CurioKernelMetrics("buckets", Duration.ofMillis(50), 1);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.bindTo(prometheus);
        Timer hold = prometheus.get("curio.scheduler.hold").timer();
        // one hold in each of three buckets, recorded as the kernel's holder records them
        hold.record(Duration.ofNanos(1_500)); // (1 µs, 2 µs]
        hold.record(Duration.ofMillis(3)); // (2 ms, 5 ms]
        hold.record(Duration.ofSeconds(7)); // (5 s, +Inf]
        List<String> series = Arrays.stream(prometheus.scrape().split("\n"))
                .filter(l -> l.startsWith("curio_scheduler_hold")).toList();
        assertThat(series).as("series of the hold timer").hasSize(25);
        assertThat(series).contains(
                "curio_scheduler_hold_seconds_bucket{kernel=\"buckets\",le=\"1.0E-6\"} 0",
                "curio_scheduler_hold_seconds_bucket{kernel=\"buckets\",le=\"2.0E-6\"} 1",
                "curio_scheduler_hold_seconds_bucket{kernel=\"buckets\",le=\"0.002\"} 1",
                "curio_scheduler_hold_seconds_bucket{kernel=\"buckets\",le=\"0.005\"} 2",
                "curio_scheduler_hold_seconds_bucket{kernel=\"buckets\",le=\"5.0\"} 2",
                "curio_scheduler_hold_seconds_bucket{kernel=\"buckets\",le=\"+Inf\"} 3",
                "curio_scheduler_hold_seconds_count{kernel=\"buckets\"} 3",
                "curio_scheduler_hold_seconds_max{kernel=\"buckets\"} 7.0");
        // one maximum: the timer's own (no second gauge under another name)
        assertThat(series).filteredOn(l -> l.contains("max")).hasSize(1);
        assertThat(CurioKernelMetrics.HOLD_BUCKETS).hasSize(21)
                .startsWith(Duration.ofNanos(1_000), Duration.ofNanos(2_000), Duration.ofNanos(5_000))
                .endsWith(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5));
        assertThat(prometheus.get("curio.scheduler.hold").timer().getId().getDescription())
                .contains("about 1 cycle in 1");
        new CurioKernelMetrics("default", Duration.ofMillis(50)).bindTo(registry);
        assertThat(registry.get("curio.scheduler.hold").timer().getId().getDescription()).contains("about 1 cycle in 32");
    }

    @Test
    void stepOutBucketsRunFromTenMicrosecondsToAMinuteInAFewSeries() {
        CurioKernelMetrics metrics = new CurioKernelMetrics("outs", Duration.ofMillis(50));
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.bindTo(prometheus);
        Timer out = prometheus.get("curio.scheduler.step.out").timer();
        out.record(Duration.ofNanos(15_000)); // (10 µs, 20 µs]: a contended lock
        out.record(Duration.ofMillis(300)); // (200 ms, 500 ms]: a slow query
        out.record(Duration.ofSeconds(70)); // (50 s, +Inf]: a queue nobody fed
        List<String> series = Arrays.stream(prometheus.scrape().split("\n"))
                .filter(l -> l.startsWith("curio_scheduler_step_out")).toList();
        assertThat(series).as("series of the step-out timer").hasSize(25);
        assertThat(series).contains(
                "curio_scheduler_step_out_seconds_bucket{kernel=\"outs\",le=\"1.0E-5\"} 0",
                "curio_scheduler_step_out_seconds_bucket{kernel=\"outs\",le=\"2.0E-5\"} 1",
                "curio_scheduler_step_out_seconds_bucket{kernel=\"outs\",le=\"0.5\"} 2",
                "curio_scheduler_step_out_seconds_bucket{kernel=\"outs\",le=\"50.0\"} 2",
                "curio_scheduler_step_out_seconds_bucket{kernel=\"outs\",le=\"+Inf\"} 3",
                "curio_scheduler_step_out_seconds_count{kernel=\"outs\"} 3",
                "curio_scheduler_step_out_seconds_max{kernel=\"outs\"} 70.0");
        assertThat(CurioKernelMetrics.STEP_OUT_BUCKETS).hasSize(21)
                .startsWith(Duration.ofNanos(10_000), Duration.ofNanos(20_000), Duration.ofNanos(50_000))
                .endsWith(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(50));
        assertThat(Arrays.stream(prometheus.scrape().split("\n")))
                .contains("curio_tasks_stepped_out_tasks{kernel=\"outs\"} 0.0");
    }

    @Test
    void aTaskBlockedInTheJdkIsOutOfTheKernelAndNeverHoldsIt() {
        // the consumer blocks in LinkedBlockingQueue.take(); the producer reads the meters while it
        // is out, then feeds it. Every cycle is timed (stride 1), so the hold timer shows whether
        // the cycle that ended in the step out was ended once, and not stretched over the time out.
        CurioKernelMetrics metrics = new CurioKernelMetrics("outs", Duration.ofHours(1), 1);
        metrics.bindTo(registry);
        List<String> trail = new ArrayList<>();
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Task<?>[] consumer = new Task<?>[1];
        Curio.run(steppingOut("outs", metrics), () -> {
            consumer[0] = Curio.spawn("consumer", () -> {
                trail.add("consumer takes");
                trail.add("consumer took " + queue.take());
            });
            Curio.spawn("producer", () -> {
                awaitOut(consumer[0]);
                trail.add("while out: stepped.out=" + (int) gauge("curio.tasks.stepped.out") + " " + states()
                        + " step outs timed=" + registry.get("curio.scheduler.step.out").timer().count());
                queue.put("x");
            }).join();
            consumer[0].join();
            trail.add("after: stepped.out=" + (int) gauge("curio.tasks.stepped.out") + " " + states());
            return null;
        });
        assertThat(trail).containsExactly(
                "consumer takes",
                "while out: stepped.out=1 RUNNING=1 BLOCKED=1 TASK_JOIN=1 step outs timed=0",
                "consumer took x",
                "after: stepped.out=0 RUNNING=1");
        Timer out = registry.get("curio.scheduler.step.out").timer();
        assertThat(consumer[0].stepOuts()).isPositive();
        assertThat(out.count()).as("every step out timed once, when the JDK woke the task").isEqualTo(consumer[0].stepOuts());
        assertThat(registry.get("curio.scheduler.hold").timer().count()).as("each cycle ended once")
                .isEqualTo((long) counter("curio.scheduler.cycles"));
        assertThat(counter("curio.scheduler.long.blocks")).isZero();
    }

    @Test
    void theStateGaugesNameEveryStateTheTaskTableShows() {
        CurioKernelMetrics metrics = new CurioKernelMetrics("states", Duration.ofHours(1));
        metrics.bindTo(registry);
        List<String> trail = new ArrayList<>();
        LinkedBlockingQueue<Integer> jdkQueue = new LinkedBlockingQueue<>();
        Curio.run(steppingOut("states", metrics), () -> {
            TaskQueue<Integer> empty = new TaskQueue<>();
            TaskQueue<Integer> full = new TaskQueue<>(1);
            full.put(0);
            TaskQueue<Integer> unfinished = new TaskQueue<>();
            unfinished.put(0);
            Lock lock = new Lock();
            lock.acquire();
            Semaphore none = new Semaphore(0);
            Condition condition = new Condition();
            Result<Integer> result = new Result<>();
            Event event = new Event();
            WaitQueue custom = new WaitQueue();
            Task<?> sleeper = Curio.spawn("sleeper", () -> Curio.sleep(Duration.ofHours(1)));
            List<Task<?>> tasks = new ArrayList<>(List.of(sleeper,
                    Curio.spawn("getter", empty::get),
                    Curio.spawn("putter", () -> full.put(1)),
                    Curio.spawn("joiner", unfinished::join),
                    Curio.spawn("locker", lock::acquire),
                    Curio.spawn("sema", none::acquire),
                    Curio.spawn("cond", () -> {
                        condition.acquire();
                        condition.await();
                    }),
                    Curio.spawn("result", result::unwrap),
                    Curio.spawn("event", event::await),
                    Curio.spawn("custom", () -> custom.suspend("MY_LIBRARY_WAIT")),
                    Curio.spawn("waiter", sleeper::join)));
            Task<?> blocked = Curio.spawn("blocked", jdkQueue::take); // out of the kernel, in the JDK
            Curio.sleep(0);
            Curio.sleep(0);
            awaitOut(blocked);
            // what the task table shows, state by state, against what the gauges say
            java.util.Map<String, Integer> table = new java.util.TreeMap<>();
            for (Task<?> t : Curio.currentTask().kernel().tasks()) {
                if (!t.system()) {
                    table.merge(TaskStateCensus.STATES.contains(t.state()) ? t.state() : "OTHER", 1, Integer::sum);
                }
            }
            trail.add("table " + table);
            trail.add("gauges " + states());
            for (Task<?> t : tasks) {
                t.cancel();
            }
            jdkQueue.put(1);
            blocked.join();
            return null;
        });
        assertThat(trail).containsExactly(
                "table {BLOCKED=1, COND_WAIT=1, EVENT_WAIT=1, LOCK_ACQUIRE=1, OTHER=1, QUEUE_GET=1, QUEUE_JOIN=1,"
                        + " QUEUE_PUT=1, RESULT_WAIT=1, RUNNING=1, SEMA_ACQUIRE=1, TASK_JOIN=1, TIME_SLEEP=1}",
                "gauges RUNNING=1 BLOCKED=1 TIME_SLEEP=1 TASK_JOIN=1 EVENT_WAIT=1 LOCK_ACQUIRE=1 SEMA_ACQUIRE=1"
                        + " COND_WAIT=1 RESULT_WAIT=1 QUEUE_GET=1 QUEUE_PUT=1 QUEUE_JOIN=1 OTHER=1");
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> new CurioKernelMetrics(" ", Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("kernelName must not be blank");
        assertThatThrownBy(() -> new CurioKernelMetrics("k", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("longBlockThreshold must be positive, was PT0S");
        assertThatThrownBy(() -> new CurioKernelMetrics("k", Duration.ofMillis(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sampleStride must be >= 1, was 0");
    }
}
