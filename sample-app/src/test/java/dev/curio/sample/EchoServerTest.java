package dev.curio.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.io.Socket;
import dev.curio.net.Network;
import dev.curio.workers.Workers;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The echo server against input it refuses: a line over the stream's limit. */
@ExtendWith(OutputCaptureExtension.class)
class EchoServerTest {

    /** A 1 MiB line (the limit is 64 KiB) closes the connection with an INFO line, as the chat server does: no task crash. */
    @Test
    void aTooLongLineClosesTheConnectionWithAnInfoLineNotACrash(CapturedOutput output) throws Exception {
        List<String> trail = new ArrayList<>();
        Curio.run(() -> {
            Socket listener = Network.tcpServerSocket("127.0.0.1", 0);
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            var server = Curio.spawn("echo-server", () -> EchoServer.serve(listener));
            try (LineClient fine = Workers.runInThread(() -> new LineClient(port))) {
                trail.add("echoed " + Workers.runInThread(() -> { fine.send("ping"); return fine.readLine(); }));
            }
            java.net.Socket flooder = Workers.runInThread(() -> {
                java.net.Socket s = new java.net.Socket("127.0.0.1", port);
                s.setSoTimeout(60_000); // a hang guard
                return s;
            });
            Workers.runInThread(() -> {
                try {
                    flooder.getOutputStream().write("y".repeat(1 << 20).getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // the server closed the connection before taking it all
                }
                return null;
            });
            trail.add("the server closed the connection: " + Workers.runInThread(() -> ended(flooder.getInputStream())));
            flooder.close();
            server.cancel();
            return null;
        });
        assertThat(trail).containsExactly("echoed ping", "the server closed the connection: true");
        assertThat(output).contains("closed: line longer than the maximum of 65536 bytes");
        assertThat(output.getAll().lines().filter(l -> l.contains("ERROR") || l.contains("Task Crash")))
                .as("no crash logged").isEmpty();
    }

    /** Reads to the end: true once the stream ends or is reset (nothing is echoed). */
    private static boolean ended(InputStream in) {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true; // a reset: the server closed with unread input
        }
    }
}
