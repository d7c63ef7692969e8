package dev.curio.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.KernelThread;
import dev.curio.kernel.ManualClock;
import dev.curio.kernel.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cancel} from the monitor: refused unless the monitor allows it, always refused for the
 * kernel's own (system) tasks while the kernel keeps serving, and one audit line per request on
 * {@link Monitor#AUDIT_LOGGER}, in the actuator endpoint's format, with the reason made one line.
 */
class MonitorCancelTest {

    private final Kernel kernel = Kernel.builder().name("mon").clock(ManualClock.manual()).build();
    private final KernelThread kt = KernelThread.start(kernel);
    private final List<String> audit = new ArrayList<>();
    private final Logger auditLogger = Logger.getLogger(Monitor.AUDIT_LOGGER); // held: JUL keeps loggers weakly
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (audit) {
                audit.add(r.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private final List<AutoCloseable> open = new ArrayList<>();

    MonitorCancelTest() {
        auditLogger.addHandler(capture);
    }

    @AfterEach
    void stop() throws Exception {
        auditLogger.removeHandler(capture);
        for (AutoCloseable c : open) {
            c.close();
        }
        kt.stop(Duration.ofSeconds(30));
    }

    private MonitorTest.Client connect(MonitorOptions options) throws IOException {
        Monitor m = Monitor.start(kernel, options.port(0));
        open.add(m);
        MonitorTest.Client c = new MonitorTest.Client(m.port());
        open.add(c.socket);
        c.read();
        return c;
    }

    private List<String> audit() {
        synchronized (audit) {
            return List.copyOf(audit);
        }
    }

    private String who(MonitorTest.Client c) {
        return "127.0.0.1:" + c.socket.getLocalPort();
    }

    /** A task sleeping for ever (the manual clock never moves); its id. */
    private long sleeper(CompletableFuture<Object>[] done) {
        CompletableFuture<Long> id = new CompletableFuture<>();
        done[0] = kernel.submit("sleeper", () -> {
            id.complete(Curio.currentTask().id());
            Curio.sleep(1000);
            return null;
        });
        return id.join();
    }

    @Test
    void aReadOnlyMonitorRefusesCancelAndAuditsIt() throws IOException {
        @SuppressWarnings("unchecked")
        CompletableFuture<Object>[] done = new CompletableFuture[1];
        long id = sleeper(done);
        MonitorTest.Client c = connect(MonitorOptions.defaults()); // cancel off unless enabled
        assertThat(c.command("cancel " + id)).isEqualTo("Cancel refused: this monitor is read-only (start it with"
                + " MonitorOptions.allowCancel(true); in Spring Boot, management.endpoint.curio.access=unrestricted)\n");
        assertThat(c.lines("ps")).anyMatch(l -> l.contains("sleeper")); // still there
        assertThat(done[0]).isNotDone();
        assertThat(c.command("cancel abc")).isEqualTo("Bad command. task id must be a number, was 'abc'\n");
        assertThat(audit()).containsExactly(
                "curio-cancel source=monitor kernel=mon task=" + id + " group=false by=" + who(c)
                        + " outcome=refused detail=\"cancelling from the monitor is not enabled\""
                        + " reason=\"cancelled from the monitor\"",
                "curio-cancel source=monitor kernel=mon task=abc group=false by=" + who(c)
                        + " outcome=bad-request detail=\"task id must be a number, was 'abc'\""
                        + " reason=\"cancelled from the monitor\"");
    }

    @Test
    void cancellingTheKernelsMainTaskIsRefusedAndTheKernelKeepsServing() throws Exception {
        // the attack: "cancel 1" stopped a served kernel; nothing was logged
        Task<?> main = kernel.tasksSnapshot().get(0);
        assertThat(main.system()).isTrue();
        MonitorTest.Client c = connect(MonitorOptions.defaults().allowCancel(true));
        assertThat(c.command("cancel " + main.id())).isEqualTo("Cancel refused: task " + main.id()
                + " is a system task of kernel 'mon' (cancelling it would stop the kernel)\n");
        assertThat(kernel.submit("after", () -> "served").get()).isEqualTo("served");
        assertThat(kernel.isRunning()).isTrue();
        assertThat(c.lines("ps")).anyMatch(l -> l.contains("kernel-main"));
        // the endpoint's line for the same refusal, but for source, by and status
        assertThat(audit()).containsExactly("curio-cancel source=monitor kernel=mon task=" + main.id()
                + " name=kernel-main group=false by=" + who(c) + " outcome=refused detail=\"task " + main.id()
                + " (kernel-main) is a system task of kernel 'mon', its own machinery: cancelling it would stop the"
                + " kernel, so it is refused\" reason=\"cancelled from the monitor\"");
    }

    @Test
    void anAllowedCancelCarriesItsReasonMadeOneLineAndEveryRequestIsAudited() throws Exception {
        @SuppressWarnings("unchecked")
        CompletableFuture<Object>[] done = new CompletableFuture[1];
        long id = sleeper(done);
        MonitorTest.Client c = connect(MonitorOptions.defaults().allowCancel(true));
        // a reason trying to forge log lines: NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR, an escape
        assertThat(c.command("cancel " + id + " stuck\u0085forged\u2028line\u2029two \u001b[31mred\u202eder"))
                .isEqualTo("Cancelling task " + id + "\n");
        Throwable why = done[0].handle((v, e) -> e).join();
        assertThat(why).isInstanceOf(dev.curio.TaskCancelled.class).hasMessage("stuck forged line two  [31mred der");
        assertThat(c.command("cancel " + id)).isEqualTo("No task " + id + "\n");
        assertThat(c.command("cancel 999999")).isEqualTo("No task 999999\n");
        assertThat(audit()).containsExactly(
                "curio-cancel source=monitor kernel=mon task=" + id + " name=sleeper group=false by=" + who(c)
                        + " outcome=cancelled tasks=[" + id + "] reason=\"stuck forged line two  [31mred der\"",
                "curio-cancel source=monitor kernel=mon task=" + id + " group=false by=" + who(c)
                        + " outcome=not-found reason=\"cancelled from the monitor\"",
                "curio-cancel source=monitor kernel=mon task=999999 group=false by=" + who(c)
                        + " outcome=not-found reason=\"cancelled from the monitor\"");
        assertThat(audit()).allMatch(l -> l.chars().noneMatch(ch -> Character.getType(ch) == Character.CONTROL
                || ch == '\u2028' || ch == '\u2029'));
    }

    @Test
    void cleanTurnsControlsAndUnicodeSeparatorsIntoSpacesAndCutsLongText() {
        assertThat(MonitorAudit.clean("a\nb\rc\u0000d\u007fe\u0085f\u009bg\u2028h\u2029i\u202ej\u2066k"))
                .isEqualTo("a b c d e f g h i j k");
        assertThat(MonitorAudit.clean("x".repeat(300))).isEqualTo("x".repeat(MonitorAudit.MAX_TEXT) + "...");
    }
}
