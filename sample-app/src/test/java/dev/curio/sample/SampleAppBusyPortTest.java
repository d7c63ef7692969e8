package dev.curio.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The sample application started while its chat port is taken (another copy of it running, say):
 * Boot's "APPLICATION FAILED TO START" report naming the port and the property, not a stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class SampleAppBusyPortTest {

    @Test
    void aBusyChatPortEndsInTheFailureReportNamingTheProperty(CapturedOutput output) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> new SpringApplicationBuilder(SampleApplication.class).run(
                    "--server.port=0", "--sample.chat.port=" + port, "--sample.echo.port=0").close())
                    .hasRootCauseInstanceOf(java.net.BindException.class);
            assertThat(output.getAll()).contains("APPLICATION FAILED TO START",
                    "Port " + port + " on 127.0.0.1 was already in use: the sample's chat server could not listen on it",
                    "Identify and stop the process that is listening on port " + port
                            + ", or set sample.chat.port to another port (0 picks a free one).");
            assertThat(output.getAll()).doesNotContain("\tat ");
        }
    }
}
