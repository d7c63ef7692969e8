package dev.curio.io;

import static dev.curio.io.Loopback.bytes;
import static dev.curio.io.Loopback.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Task;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Streams over sockets and pipes, ported from Curio 1.6's {@code tests/test_io.py}. The peer is
 * a socket of the same kernel; where Curio's peer sleeps between writes, the test's timeouts
 * expire while nothing is in flight, so the trails do not depend on timing.
 */
class StreamTest {

    // Ports test_read_partial: read(n) returns what is buffered first, then waits for more.
    @Test
    void readPartial() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (SocketStream s = p[0].asStream(); Socket peer = p[1]) {
                peer.sendall(bytes("hello\nworld\n"));
                trail.add(text(s.readline()));
                trail.add(text(s.read(2)));
                trail.add(text(s.read(100)));
                peer.close();
                trail.add("eof " + s.read(100).length);
            }
        });
        assertThat(trail.events()).containsExactly("hello\n", "wo", "rld\n", "eof 0");
    }

    // Ports test_readall and test_readall_timeout: a timed-out readall hands over the bytes it
    // read in the exception (as Curio's bytes_read), and the stream continues after them.
    @Test
    void readallTimeoutReportsBytesRead() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (SocketStream s = p[0].asStream(); Socket peer = p[1]) {
                peer.sendall(bytes("Msg1\nMsg2\n"));
                try {
                    Curio.timeoutAfter(Duration.ofSeconds(1), () -> s.readall());
                } catch (TaskTimeout e) {
                    trail.add("timeout, read " + text(PartialIo.of(e).bytesRead()));
                }
                peer.sendall(bytes("Msg3\n"));
                peer.close();
                trail.add("then " + text(s.readall()));
            }
        });
        assertThat(trail.events()).containsExactly("timeout, read Msg1\nMsg2\n", "then Msg3\n");
    }

    // Ports test_read_exactly, test_read_exactly_incomplete and test_read_exactly_timeout.
    @Test
    void readExactly() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (SocketStream s = p[0].asStream(); Socket peer = p[1]) {
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
            Socket[] p = Loopback.pair();
            try (SocketStream s = p[0].asStream(); Socket peer = p[1]) {
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

    // Ports test_readlines and test_readlines_timeout: the lines read before the timeout are
    // reported; the partial line stays buffered.
    @Test
    void readlinesTimeoutReportsLinesRead() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (SocketStream s = p[0].asStream(); Socket peer = p[1]) {
                peer.sendall(bytes("Msg1\nMsg2\nMs"));
                try {
                    Curio.timeoutAfter(Duration.ofSeconds(1), () -> s.readlines());
                } catch (TaskTimeout e) {
                    trail.add("timeout, lines " + PartialIo.of(e).linesRead().stream().map(Loopback::text).toList());
                }
                peer.sendall(bytes("g3\nMsg4\n"));
                peer.close();
                trail.add("then " + s.readlines().stream().map(Loopback::text).toList());
            }
        });
        assertThat(trail.events()).containsExactly(
                "timeout, lines [Msg1\n, Msg2\n]", "then [Msg3\n, Msg4\n]");
    }

    // Ports test_writelines, test_writelines_timeout and test_write_timeout: a writer blocked on
    // a full connection times out and reports every byte written, which the peer then receives.
    @Test
    void writelinesTimeoutReportsBytesWritten() {
        long[] written = {-1};
        long received = TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (SocketStream s = p[0].asStream(); Socket peer = p[1]) {
                byte[] line = new byte[1 << 20];
                try {
                    Curio.timeoutAfter(Duration.ofSeconds(1), () -> s.writelines(java.util.Collections.nCopies(64, line)));
                } catch (TaskTimeout e) {
                    written[0] = PartialIo.of(e).bytesWritten();
                }
                s.socket().shutdown(Socket.How.SHUT_WR);
                return (long) peer.asStream().readall().length;
            }
        });
        assertThat(written[0]).isPositive().isLessThan(64L << 20).isEqualTo(received);
    }

    // A peer sending an endless line: readline stops at the maximum line length instead of
    // buffering without end.
    @Test
    void endlessLineIsRefused() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (SocketStream s = p[0].asStream().maxLineLength(1000); Socket peer = p[1]) {
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

    // A line of exactly the maximum length (newline included) is accepted.
    @Test
    void lineOfTheMaximumLength() {
        TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (SocketStream s = p[0].asStream().maxLineLength(5); Socket peer = p[1]) {
                peer.sendall(bytes("abcd\nabcde\n"));
                assertThat(text(s.readline())).isEqualTo("abcd\n");
                assertThatThrownBy(s::readline).isInstanceOf(LineTooLongException.class);
                assertThat(text(s.read())).isEqualTo("abcde");
            }
        });
    }

    // A stream over any pair of channels: the two ends of a pipe.
    @Test
    void pipeStream() {
        List<String> lines = TestKernels.run(() -> {
            Pipe pipe = Pipe.open();
            try (ChannelStream r = new ChannelStream(pipe.source(), null);
                    ChannelStream w = new ChannelStream(null, pipe.sink())) {
                Task<Void> writer = Curio.spawn(() -> {
                    w.writelines(List.of(bytes("one\n"), bytes("two\n")));
                    w.close();
                });
                List<String> out = r.readlines().stream().map(Loopback::text).toList();
                writer.join();
                assertThatThrownBy(() -> r.write(bytes("x"))).isInstanceOf(UnsupportedOperationException.class);
                return out;
            }
        });
        assertThat(lines).containsExactly("one\n", "two\n");
    }

    // Ports test_buffer_stream_into: readInto fills the buffer from buffered data, then the socket.
    @Test
    void readInto() {
        TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (SocketStream s = p[0].asStream(); Socket peer = p[1]) {
                peer.sendall(bytes("head\nbody-bytes"));
                assertThat(text(s.readline())).isEqualTo("head\n");
                ByteBuffer b = ByteBuffer.allocate(10);
                assertThat(s.readInto(b)).isEqualTo(10);
                assertThat(text(b.array())).isEqualTo("body-bytes");
            }
        });
    }

    // Ports test_socketstream_bad_blocking: blocking access is refused while data is buffered.
    @Test
    void blockingRefusedWithBufferedData() {
        TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (SocketStream s = p[0].asStream(); Socket peer = p[1]) {
                peer.sendall(bytes("a\nb"));
                s.readline();
                assertThatThrownBy(s::blocking).hasMessage("There is unread buffered data.");
            }
        });
    }
}
