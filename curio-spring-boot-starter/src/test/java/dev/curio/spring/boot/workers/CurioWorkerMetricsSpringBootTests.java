package dev.curio.spring.boot.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.spring.boot.CurioTasks;
import dev.curio.workers.SerializableCallable;
import dev.curio.workers.Workers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The Boot-managed kernel's worker pools seen through the registry: a submitted task calls
 * {@code Workers.runInThread} and {@code Workers.runInProcess}; each call is caught in the middle
 * (the thread call reads the gauges itself; the process call waits on a loopback socket that the
 * test answers), and the counters have moved once it returns. (After Curio's test_workers
 * test_blocking and test_cpu.)
 */
@SpringBootTest(properties = {"curio.kernel-name=pools", "curio.workers.max-threads=3",
        "curio.workers.max-processes=1"})
@AutoConfigureMetrics
class CurioWorkerMetricsSpringBootTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}

    @Autowired
    CurioTasks tasks;

    @Autowired
    MeterRegistry registry;

    @Autowired
    PrometheusMeterRegistry prometheus;

    private double gauge(String name, String pool) {
        return registry.get(name).tag("kernel", "pools").tag("pool", pool).gauge().value();
    }

    private double counter(String name, String pool) {
        return registry.get(name).tag("kernel", "pools").tag("pool", pool).functionCounter().count();
    }

    private double timerCount(String pool) {
        return registry.get("curio.workers.call.duration").tag("kernel", "pools").tag("pool", pool)
                .functionTimer().count();
    }

    /** Connects to the test's socket and returns the byte it is sent: a call held open by the test. */
    record WaitForByte(int port) implements SerializableCallable<String> {
        @Override
        public String call() throws Exception {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return "worker got " + s.getInputStream().read();
            }
        }
    }

    @Test
    void aThreadCallMovesTheThreadPoolsMeters() throws Exception {
        double calls = counter("curio.workers.calls", "thread");
        double timed = timerCount("thread");
        List<String> trail = new ArrayList<>();
        trail.add("max=" + (int) gauge("curio.workers.max", "thread"));
        String result = tasks.submit("blocking", () -> Workers.runInThread(() -> {
            // a fixed-size pool starts a thread per call until it has max: live is 1..max here
            double live = gauge("curio.workers.live", "thread");
            trail.add("in call: busy=" + (int) gauge("curio.workers.busy", "thread")
                    + " live in 1..3: " + (live >= 1 && live <= 3)
                    + " queued=" + (int) gauge("curio.workers.queued", "thread"));
            return "done";
        })).get(30, TimeUnit.SECONDS);
        trail.add("after: busy=" + (int) gauge("curio.workers.busy", "thread")
                + " calls+" + (int) (counter("curio.workers.calls", "thread") - calls)
                + " timed+" + (int) (timerCount("thread") - timed));
        assertThat(result).isEqualTo("done");
        assertThat(trail).containsExactly("max=3", "in call: busy=1 live in 1..3: true queued=0", "after: busy=0 calls+1 timed+1");
    }

    @Test
    void aProcessCallMovesTheProcessPoolsMeters() throws Exception {
        double calls = counter("curio.workers.calls", "process");
        double started = counter("curio.workers.processes.started", "process");
        List<String> trail = new ArrayList<>();
        trail.add("max=" + (int) gauge("curio.workers.max", "process"));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(60_000); // a worker JVM starts in seconds; this only turns a hang into a failure
            CompletableFuture<String> result = tasks.submit("cpu",
                    () -> Workers.runInProcess(new WaitForByte(server.getLocalPort())));
            try (Socket conn = server.accept()) { // the work is running in the worker process now
                trail.add("in call: busy=" + (int) gauge("curio.workers.busy", "process")
                        + " live=" + (int) gauge("curio.workers.live", "process")
                        + " started+" + (int) (counter("curio.workers.processes.started", "process") - started));
                OutputStream out = conn.getOutputStream();
                out.write(7);
                out.flush();
                trail.add(result.get(60, TimeUnit.SECONDS));
            }
        }
        trail.add("after: busy=" + (int) gauge("curio.workers.busy", "process")
                + " live=" + (int) gauge("curio.workers.live", "process")
                + " calls+" + (int) (counter("curio.workers.calls", "process") - calls));
        assertThat(trail).containsExactly("max=1", "in call: busy=1 live=1 started+1", "worker got 7",
                "after: busy=0 live=1 calls+1");
        assertThat(registry.get("curio.workers.processes.start.time").tag("pool", "process").timeGauge()
                .value(TimeUnit.NANOSECONDS)).isPositive();
    }

    @Test
    void theScrapeNamesThePoolMetersAndTheKernelsCarrier() throws Exception {
        tasks.submit("blocking", () -> Workers.runInThread(() -> 1)).get(30, TimeUnit.SECONDS);
        List<String> lines = Arrays.stream(prometheus.scrape().split("\n")).filter(l -> l.startsWith("curio_")).toList();
        assertThat(lines).contains(
                "curio_workers_max{kernel=\"pools\",pool=\"thread\"} 3.0",
                "curio_workers_max{kernel=\"pools\",pool=\"process\"} 1.0",
                "curio_kernel_info{carrier=\"" + tasks.kernel().carrierKind() + "\",kernel=\"pools\"} 1"); // an info metric: no decimals
        for (String prefix : List.of("curio_workers_busy{", "curio_workers_live{", "curio_workers_queued{",
                "curio_workers_calls_total{", "curio_workers_call_duration_seconds_count{",
                "curio_workers_call_duration_seconds_sum{", "curio_workers_call_duration_max_seconds{",
                "curio_workers_processes_started_total{", "curio_workers_processes_start_time_seconds{")) {
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(prefix));
        }
    }
}
