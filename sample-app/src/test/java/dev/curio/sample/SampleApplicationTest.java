package dev.curio.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The sample application in one JVM: chat between two clients, echo, demo jobs over HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sample.chat.port=0", "sample.echo.port=0"})
class SampleApplicationTest {

    @Autowired
    Servers servers;

    @LocalServerPort
    int httpPort;

    @Test
    void twoChatClientsTalk() throws Exception {
        try (LineClient alice = new LineClient(servers.chatPort())) {
            join(alice, "alice");
            try (LineClient bob = new LineClient(servers.chatPort())) {
                assertThat(bob.read(11)).isEqualTo("Your name: ");
                bob.send("bob");
                assertThat(alice.readLine()).isEqualTo("bob:joined");
                bob.send("hello");
                assertThat(bob.readLine()).isEqualTo("bob:hello");
                assertThat(alice.readLine()).isEqualTo("bob:hello");
                bob.send("hi alice");
                assertThat(alice.readLine()).isEqualTo("bob:hi alice");
                assertThat(bob.readLine()).isEqualTo("bob:hi alice");
            }
            assertThat(alice.readLine()).isEqualTo("bob:has gone away");
        }
    }

    /**
     * Joins the chat and waits until the client is subscribed: a client's outgoing task subscribes
     * before its incoming task reads, so seeing its own first message back proves it.
     */
    static void join(LineClient c, String name) throws Exception {
        assertThat(c.read(11)).isEqualTo("Your name: ");
        c.send(name);
        c.send("hello");
        assertThat(c.readLine()).isEqualTo(name + ":hello");
    }

    @Autowired
    org.springframework.core.env.Environment environment;

    @Test
    void everythingListensOnLoopbackAndSilentClientsAreClosedAfterTheIdleTimeout() {
        // the HTTP port carries the actuator: loopback unless opened deliberately (README, Security)
        assertThat(environment.getProperty("server.address")).isEqualTo("127.0.0.1");
        assertThat(environment.getProperty("sample.host")).isEqualTo("127.0.0.1");
        assertThat(servers.options().idleTimeout()).isEqualTo(java.time.Duration.ofMinutes(5));
    }

    @Test
    void echoServerEchoes() throws Exception {
        try (LineClient c = new LineClient(servers.echoPort())) {
            c.send("ping");
            assertThat(c.readLine()).isEqualTo("ping");
        }
    }

    @Test
    void demoJobsStartTasksAndRefuseBadInput() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/demo/countdown?from=2"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"name\":\"countdown\"").containsPattern("\"id\":\\d+");
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/demo/fib?n=99"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("n must be between 0 and 45");
    }
}
