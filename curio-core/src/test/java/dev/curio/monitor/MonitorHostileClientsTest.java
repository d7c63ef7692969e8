package dev.curio.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.curio.kernel.Kernel;
import dev.curio.kernel.KernelThread;
import dev.curio.kernel.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The monitor against clients that misbehave, over real loopback sockets: each hostile input is
 * followed by a fresh client that must be served, which proves the accepting thread survived it.
 * The memory bound is checked by counting the bytes a client's line reader held, not by timing.
 */
class MonitorHostileClientsTest {

    private static final int LIMIT = 1024;

    private final Kernel kernel = Kernel.builder().name("hostile").clock(ManualClock.manual()).build();
    private final KernelThread kt = KernelThread.start(kernel);
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        kt.stop(Duration.ofSeconds(30));
    }

    private Monitor monitor(MonitorOptions options) {
        Monitor m = Monitor.start(kernel, options.port(0).maxLineBytes(LIMIT));
        open.add(m);
        return m;
    }

    private MonitorTest.Client connect(Monitor m) throws IOException {
        MonitorTest.Client c = new MonitorTest.Client(m.port());
        open.add(c.socket);
        return c;
    }

    /** A new client gets the banner and a task table: the monitor still accepts and serves. */
    private void freshClientIsServed(Monitor m) throws IOException {
        MonitorTest.Client c = connect(m);
        assertThat(c.read()).startsWith("\nCurio Monitor: ");
        assertThat(c.lines("ps")).hasSize(3); // headers and the kernel's main task
        assertThat(c.command("exit")).isEqualTo("Leaving monitor\n");
    }

    @Test
    void aHugeLineIsAnsweredAndSkippedWhileTheReaderHoldsNoMoreThanTheLimit() throws IOException {
        // the attack: a 260 MB line once killed the monitor's thread; here 8 MiB, then a command
        Monitor m = monitor(MonitorOptions.defaults());
        MonitorTest.Client c = connect(m);
        c.read();
        OutputStream raw = c.socket.getOutputStream();
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'A');
        for (int i = 0; i < 128; i++) {
            raw.write(chunk);
        }
        raw.write("\nps\n".getBytes(StandardCharsets.US_ASCII));
        raw.flush();
        assertThat(c.read()).isEqualTo("Line too long: the limit is " + LIMIT + " bytes; it is discarded\n");
        assertThat(c.read().split("\n")).hasSize(3); // the command after the long line is served
        assertThat(m.mostLineBytesHeld()).isLessThanOrEqualTo(LIMIT);
        freshClientIsServed(m);
    }

    @Test
    void aLineOfExactlyTheLimitIsACommandOneByteMoreIsTooLong() throws IOException {
        Monitor m = monitor(MonitorOptions.defaults());
        MonitorTest.Client c = connect(m);
        c.read();
        assertThat(c.command("x".repeat(LIMIT))).isEqualTo("Unknown command. Type help.\n");
        assertThat(c.command("x".repeat(LIMIT + 1))).isEqualTo("Line too long: the limit is " + LIMIT + " bytes; it is discarded\n");
        assertThat(c.lines("ps")).hasSize(3);
        assertThat(m.mostLineBytesHeld()).isEqualTo(LIMIT);
    }

    @Test
    void aHugeLineWithoutEndThenAHangUpLeavesTheMonitorServing() throws IOException {
        Monitor m = monitor(MonitorOptions.defaults());
        MonitorTest.Client c = connect(m);
        c.read();
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'B');
        for (int i = 0; i < 32; i++) {
            c.socket.getOutputStream().write(chunk);
        }
        assertThat(c.read()).startsWith("Line too long");
        c.socket.close();
        freshClientIsServed(m);
        assertThat(m.mostLineBytesHeld()).isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void garbageBytesAndInvalidUtf8AreUnknownCommandsAndEchoedWithoutControlCharacters() throws IOException {
        Monitor m = monitor(MonitorOptions.defaults());
        MonitorTest.Client c = connect(m);
        c.read();
        ByteArrayOutputStream junk = new ByteArrayOutputStream();
        for (int b = 0; b < 256; b++) {
            if (b != '\n' && b != ' ' && b != '\t' && b != 0x0b && b != '\f' && b != '\r') {
                junk.write(b);
            }
        }
        junk.writeBytes(new byte[] {(byte) 0xc3, 0x28, (byte) 0xe2, (byte) 0x82, (byte) 0xff, '\n'});
        c.socket.getOutputStream().write(junk.toByteArray());
        assertThat(c.read()).isEqualTo("Unknown command. Type help.\n");
        // a bad task id is echoed, with its escape sequence and separators made spaces
        assertThat(c.command("where 1\u001b[2J\u2028x")).isEqualTo("Bad command. task id must be a number, was '1 [2J x'\n");
        c.socket.getOutputStream().write(new byte[] {(byte) 0xff, (byte) 0xfe, 'p', 's', '\n'});
        assertThat(c.read()).isEqualTo("Unknown command. Type help.\n");
        assertThat(c.lines("ps")).hasSize(3);
        freshClientIsServed(m);
    }

    @Test
    void clientsThatResetOrLeaveAtOnceDoNotStopTheMonitor() throws IOException {
        Monitor m = monitor(MonitorOptions.defaults().maxClients(2));
        for (int i = 0; i < 20; i++) {
            Socket s = new Socket("127.0.0.1", m.port());
            if (i % 2 == 0) {
                s.getOutputStream().write("p".getBytes(StandardCharsets.US_ASCII)); // half a command
                s.setSoLinger(true, 0); // close with a reset
            }
            s.close();
        }
        while (m.connections() < 20 || m.clients() > 0) {
            Thread.onSpinWait(); // the monitor has taken all 20 off its socket and seen each leave
        }
        freshClientIsServed(m);
    }

    @Test
    void aSilentClientIsClosedAfterTheIdleTimeoutWhileOthersAreServed() throws IOException {
        // the attack: one client that connects and says nothing locked everyone out
        Monitor m = monitor(MonitorOptions.defaults().idleTimeout(Duration.ofSeconds(2)));
        MonitorTest.Client silent = connect(m);
        assertThat(silent.read()).startsWith("\nCurio Monitor: ");
        freshClientIsServed(m); // while the silent one is connected
        assertThat(silent.read()).isEqualTo("\nIdle for more than PT2S: closing the connection\n"); // then the end
        freshClientIsServed(m);
    }

    @Test
    void aClientThatNeverReadsItsAnswersIsClosedAndOthersAreServed() throws IOException {
        Monitor m = monitor(MonitorOptions.defaults().idleTimeout(Duration.ofSeconds(2)));
        Socket greedy = new Socket("127.0.0.1", m.port());
        open.add(greedy);
        byte[] many = "ps\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        // its answers fill both socket buffers, the monitor's write stalls, and the monitor closes it,
        // which fails the client's own writes in the end
        Throwable failed = catchThrowable(() -> {
            for (int i = 0; i < 100_000; i++) {
                greedy.getOutputStream().write(many);
            }
        });
        assertThat(failed).isInstanceOf(IOException.class);
        freshClientIsServed(m);
    }
}
