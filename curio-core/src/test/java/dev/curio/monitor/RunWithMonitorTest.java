package dev.curio.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.workers.Workers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Curio.run(..., withMonitor = true) serves the console monitor on Curio's port for the run. */
class RunWithMonitorTest {

    @Test
    void theMonitorAnswersDuringTheRun() {
        System.setProperty("curio.monitor.port", "0"); // any free port: other builds may hold 48802
        String banner = Curio.run(TestKernels.autojump().name("withmon"), () -> {
            Curio.spawnDaemon("kid", () -> Curio.sleep(1000));
            int port = Monitor.of(dev.curio.kernel.Kernel.current()).port();
            return Workers.runInThread(() -> {
                try (Socket s = new Socket("127.0.0.1", port);
                        var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                    in.readLine(); // the banner starts with an empty line
                    return in.readLine();
                }
            });
        }, true);
        System.clearProperty("curio.monitor.port");
        assertThat(banner).startsWith("Curio Monitor:").endsWith("tasks running");
    }
}
