package dev.curio.io;

import static dev.curio.io.Loopback.bytes;
import static dev.curio.io.Loopback.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Task;
import java.io.EOFException;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * Streams over TLS ({@link TlsSocket#asStream()}): the stream scenarios of Curio 1.6's
 * {@code tests/test_io.py} (as {@code StreamTest} ports them for plain sockets), with the peer a
 * TLS server socket in the same kernel. Timeouts run on the manual clock.
 */
class TlsStreamTest {

    // Ports test_read_exactly, test_read_exactly_incomplete and test_read_exactly_timeout.
    @Test
    void readExactly() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TlsSocket[] t = TlsSocketTest.handshaken();
            try (TlsStream s = t[0].asStream(); TlsSocket peer = t[1]) {
                peer.sendall(bytes("line1\nline2\nline3\n"));
                trail.add(text(s.readline()));
                trail.add(text(s.readExactly(6)));
                try {
                    Curio.timeoutAfter(Duration.ofSeconds(1), () -> s.readExactly(10));
                } catch (TaskTimeout e) {
                    trail.add("timeout, read " + text(PartialIo.of(e).bytesRead()));
                }
                peer.sendall(bytes("abc"));
                peer.close();
                try {
                    s.readExactly(10);
                } catch (EOFException e) {
                    trail.add("eof, read " + text(PartialIo.of(e).bytesRead()));
                }
            }
        });
        assertThat(trail.events()).containsExactly(
                "line1\n", "line2\n", "timeout, read line3\n", "eof, read abc");
    }

    // Ports test_readline and test_iterline: lines, the unterminated rest, then the end.
    @Test
    void readlineAndIteration() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TlsSocket[] t = TlsSocketTest.handshaken();
            try (TlsStream s = t[0].asStream(); TlsSocket peer = t[1]) {
                peer.sendall(bytes("a\nbb\n"));
                trail.add(text(s.readline()));
                peer.sendall(bytes("ccc\ntail"));
                peer.close();
                for (byte[] line : s) {
                    trail.add(text(line));
                }
                trail.add("after end " + s.readline().length);
            }
        });
        assertThat(trail.events()).containsExactly("a\n", "bb\n", "ccc\n", "tail", "after end 0");
    }

    // Ports test_readlines_timeout: the lines read before the timeout are reported; the partial
    // line stays buffered; readall after the end.
    @Test
    void readlinesTimeoutReportsLinesRead() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TlsSocket[] t = TlsSocketTest.handshaken();
            try (TlsStream s = t[0].asStream(); TlsSocket peer = t[1]) {
                peer.sendall(bytes("Msg1\nMsg2\nMs"));
                try {
                    Curio.timeoutAfter(Duration.ofSeconds(1), () -> s.readlines());
                } catch (TaskTimeout e) {
                    trail.add("timeout, lines " + PartialIo.of(e).linesRead().stream().map(Loopback::text).toList());
                }
                peer.sendall(bytes("g3\nMsg4\nrest"));
                peer.shutdown(Socket.How.SHUT_WR);
                trail.add("line " + text(s.readline()));
                trail.add("then " + text(s.readall()));
            }
        });
        assertThat(trail.events()).containsExactly(
                "timeout, lines [Msg1\n, Msg2\n]", "line Msg3\n", "then Msg4\nrest");
    }

    // Ports test_writelines_timeout: a writer blocked on a full connection times out and reports
    // every byte written; the peer, reading at last, receives exactly those (the records committed
    // before the timeout go out with the close_notify of the shutdown).
    @Test
    void writelinesTimeoutReportsBytesWritten() {
        long[] written = {-1};
        long received = TestKernels.run(() -> {
            TlsSocket[] t = TlsSocketTest.handshaken();
            try (TlsStream s = t[0].asStream(); TlsSocket peer = t[1]) {
                byte[] line = new byte[1 << 20];
                try {
                    Curio.timeoutAfter(Duration.ofSeconds(1), () -> s.writelines(Collections.nCopies(64, line)));
                } catch (TaskTimeout e) {
                    written[0] = PartialIo.of(e).bytesWritten();
                }
                Task<Integer> reader = Curio.spawn(() -> peer.asStream().readall().length);
                s.socket().shutdown(Socket.How.SHUT_WR);
                return (long) reader.join();
            }
        });
        assertThat(written[0]).isPositive().isLessThan(64L << 20).isEqualTo(received);
    }

    // A peer sending an endless line over TLS: readline stops at the maximum line length.
    @Test
    void endlessLineIsRefused() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TlsSocket[] t = TlsSocketTest.handshaken();
            try (TlsStream s = t[0].asStream().maxLineLength(1000); TlsSocket peer = t[1]) {
                Task<Void> flood = Curio.spawn(() -> {
                    try {
                        while (true) {
                            peer.sendall(new byte[4096]);
                        }
                    } catch (CancelledError e) {
                        trail.add("flood stopped");
                        throw e;
                    }
                });
                try {
                    s.readline();
                } catch (LineTooLongException e) {
                    trail.add(e.getMessage() + ", buffered " + s.buffered());
                }
                flood.cancel();
            }
        });
        assertThat(trail.events()).containsExactly(
                "line longer than the maximum of 1000 bytes, buffered 1000", "flood stopped");
    }
}
