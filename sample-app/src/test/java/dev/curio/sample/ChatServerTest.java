package dev.curio.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.io.Socket;
import dev.curio.net.Network;
import dev.curio.workers.Workers;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chat server on a plain kernel, driven by blocking clients on worker threads. */
class ChatServerTest {

    @Test
    void clientsTalkAndAllGetTheGoingAwayLineWhenTheServerIsCancelled() throws Exception {
        List<String> seen = new ArrayList<>();
        Curio.run(() -> {
            Socket listener = Network.tcpServerSocket("127.0.0.1", 0);
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            var server = Curio.spawn("chat-server", () -> new ChatServer().serve(listener));
            LineClient alice = Workers.runInThread(() -> new LineClient(port));
            Workers.runInThread(() -> { SampleApplicationTest.join(alice, "alice"); return null; });
            LineClient bob = Workers.runInThread(() -> new LineClient(port));
            seen.add(Workers.runInThread(() -> bob.read(11)));
            Workers.runInThread(() -> { bob.send("bob"); return null; });
            seen.add("alice got " + Workers.runInThread(alice::readLine));
            Workers.runInThread(() -> { bob.send("hello"); return null; });
            seen.add("bob got " + Workers.runInThread(bob::readLine));
            seen.add("alice got " + Workers.runInThread(alice::readLine));
            Workers.runInThread(() -> { bob.send("hi alice"); return null; });
            seen.add("alice got " + Workers.runInThread(alice::readLine));
            seen.add("bob got " + Workers.runInThread(bob::readLine));
            server.cancel();
            seen.add("alice got " + Workers.runInThread(alice::readLine));
            seen.add("bob got " + Workers.runInThread(bob::readLine));
            alice.close();
            bob.close();
            return null;
        });
        assertThat(seen).containsExactly("Your name: ", "alice got bob:joined", "bob got bob:hello",
                "alice got bob:hello", "alice got bob:hi alice",
                "bob got bob:hi alice", "alice got " + ChatServer.GOING_AWAY, "bob got " + ChatServer.GOING_AWAY);
    }
}
