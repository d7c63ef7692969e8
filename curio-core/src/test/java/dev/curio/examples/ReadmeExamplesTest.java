package dev.curio.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.io.Socket;
import dev.curio.io.SocketStream;
import dev.curio.net.Network;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's code, as written there, does what the README says. */
class ReadmeExamplesTest {

    @Test
    void yourFirstTask() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            var kid = Curio.spawn("kid", () -> { Curio.sleep(1000); });
            try {
                Curio.timeoutAfter(java.time.Duration.ofSeconds(10), kid::join);
            } catch (dev.curio.TaskTimeout e) {
                trail.add("I warned you!");
                kid.cancel();
            }
            trail.add("kid cancelled: " + kid.cancelled());
        });
        assertThat(trail.events()).containsExactly("I warned you!", "kid cancelled: true");
    }

    @Test
    void theEchoServerOfTheSocketsSection() throws Exception {
        Trail trail = new Trail();
        Curio.run(() -> {
            Socket listener = Network.tcpServerSocket("127.0.0.1", 0);
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            var server = Curio.spawn("server", () -> Network.runServer(listener, (client, addr) -> {
                try (client) {
                    SocketStream s = client.asStream();
                    for (byte[] line : s) {
                        s.write(line);
                    }
                }
            }));
            String echoed = dev.curio.workers.Workers.runInThread(() -> {
                try (var c = new java.net.Socket("127.0.0.1", port);
                        var out = new PrintWriter(c.getOutputStream(), true, StandardCharsets.UTF_8);
                        var in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
                    out.println("hello");
                    return in.readLine();
                }
            });
            trail.add("echoed " + echoed);
            server.cancel();
        });
        assertThat(trail.events()).containsExactly("echoed hello");
    }
}
