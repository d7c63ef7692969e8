package dev.curio.spring.boot.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Start-up failures a Curio user meets, each through a real {@code SpringApplication} run whose
 * output is captured: Boot's "APPLICATION FAILED TO START" report with a description and an action
 * that names the fix, and no stack trace. The owned carrier forced on a JVM that does not open
 * {@code java.lang} needs a JVM without the tests' {@code --add-opens}: a child JVM.
 */
@ExtendWith(OutputCaptureExtension.class)
class CurioStartupFailureTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @Test
    void busyMonitorPortReportsThePortAndTheProperty(CapturedOutput output) throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> run("--curio.monitor.enabled=true", "--curio.monitor.port=" + port))
                    .hasRootCauseInstanceOf(java.net.BindException.class);
            assertThat(output.getAll()).contains("APPLICATION FAILED TO START",
                    "Port " + port + " on 127.0.0.1 was already in use: the Curio console monitor of kernel 'main'"
                            + " could not listen on it",
                    "Identify and stop the process that is listening on port " + port
                            + ", or set curio.monitor.port to another port (0 picks a free one).");
            assertThat(output.getAll()).doesNotContain("\tat ");
        }
    }

    @Test
    void badDurationPropertyReportsThePropertyAndWhy(CapturedOutput output) {
        assertThatThrownBy(() -> run("--curio.shutdown-timeout=-1s")).isInstanceOf(RuntimeException.class);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START",
                "curio.shutdown-timeout must be zero or positive, was PT-1S", "Action:");
        assertThat(output.getAll()).doesNotContain("\tat ");
    }

    @Test
    void unknownCarrierReportsThePropertyAndTheValues(CapturedOutput output) {
        assertThatThrownBy(() -> run("--curio.carrier=fast")).isInstanceOf(RuntimeException.class);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START",
                "Failed to bind properties under 'curio.carrier'", "The following values are valid:", "AUTO", "DEFAULT", "OWNED");
        assertThat(output.getAll()).doesNotContain("\tat ");
    }

    @Test
    void unknownBlockingCallsRuleReportsThePropertyAndTheValues(CapturedOutput output) {
        assertThatThrownBy(() -> run("--curio.blocking-calls=sometimes")).isInstanceOf(RuntimeException.class);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START",
                "Failed to bind properties under 'curio.blocking-calls'", "The following values are valid:", "HOLD",
                "RELEASE");
        assertThat(output.getAll()).doesNotContain("\tat ");
    }

    @Test
    void ownedCarrierForcedWithoutOpensReportsBothWaysToOpenJavaLang() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OwnedCarrierApp.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("APPLICATION FAILED TO START",
                "Curio kernel 'main' is configured with curio.carrier=owned, but this JVM does not permit the"
                        + " kernel-owned carrier",
                "--add-opens java.base/java.lang=ALL-UNNAMED", "Add-Opens: java.base/java.lang",
                "or set curio.carrier=auto");
        assertThat(out).doesNotContain("\tat ");
    }

    /** Started in a child JVM without --add-opens. */
    public static final class OwnedCarrierApp {
        public static void main(String[] args) {
            try {
                run("--curio.carrier=owned");
            } catch (RuntimeException e) {
                System.exit(1);
            }
            System.exit(0);
        }
    }

    private static void run(String... args) {
        new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run(args).close();
    }
}
