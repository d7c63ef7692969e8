package dev.curio.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.Trail;
import dev.curio.kernel.Task;
import dev.curio.sync.Event;
import dev.curio.workers.Workers;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A slow reader and a slow writer on the other end of a socket: the task waiting on them sleeps in
 * WRITE_WAIT / READ_WAIT, the kernel keeps running its other tasks, and nothing is lost or
 * reordered. The peer is a plain blocking socket on a worker thread that moves only when the
 * task is seen waiting (state-driven, never timed).
 */
class SlowPeerTest {

    /** Yields until {@code t} is in {@code state}. */
    private static void awaitState(Task<?> t, String state) {
        while (!t.state().equals(state)) {
            Curio.sleep(0);
        }
    }

    @Test
    void aSlowReaderParksTheWriterWithoutStallingTheKernel() throws Exception {
        byte[] payload = new byte[4 << 20];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31 + 7);
        }
        Trail trail = new Trail();
        Curio.run(() -> {
            try (Socket listener = Loopback.listen()) {
                int port = Loopback.port(listener);
                var reader = Workers.runInThread(() -> new java.net.Socket("127.0.0.1", port));
                Socket conn = listener.accept();
                Task<Void> writer = Curio.spawn("writer", () -> conn.sendall(payload));
                awaitState(writer, "WRITE_WAIT");
                trail.add("writer parked in " + writer.state());
                Event other = new Event();
                Curio.spawn("other", other::set).join(); // the kernel still runs other tasks
                trail.add("another task ran: " + other.isSet());
                byte[] got = Workers.runInThread(() -> {
                    InputStream in = reader.getInputStream();
                    byte[] all = new byte[payload.length];
                    int n = 0;
                    while (n < all.length) {
                        int r = in.read(all, n, Math.min(1024, all.length - n)); // 1 KiB at a time
                        if (r < 0) {
                            break;
                        }
                        n += r;
                    }
                    return Arrays.copyOf(all, n);
                });
                writer.join();
                trail.add("received intact: " + Arrays.equals(got, payload));
                reader.close();
                conn.close();
            }
            return null;
        });
        assertThat(trail.events()).containsExactly("writer parked in WRITE_WAIT", "another task ran: true",
                "received intact: true");
    }

    @Test
    void aSlowWriterParksTheReaderWhichGetsTheWholeLine() throws Exception {
        String line = "a line written one byte at a time\n";
        Trail trail = new Trail();
        Curio.run(() -> {
            try (Socket listener = Loopback.listen()) {
                int port = Loopback.port(listener);
                var peer = Workers.runInThread(() -> new java.net.Socket("127.0.0.1", port));
                Socket conn = listener.accept();
                SocketStream stream = conn.asStream();
                Task<byte[]> reader = Curio.spawn("reader", stream::readline);
                OutputStream out = peer.getOutputStream();
                for (byte b : Loopback.bytes(line)) {
                    awaitState(reader, "READ_WAIT"); // the reader waits for each byte
                    Workers.runInThread(() -> {
                        out.write(b);
                        out.flush();
                        return null;
                    });
                    if (b != '\n') {
                        Curio.sleep(0);
                    }
                }
                trail.add("line: " + Loopback.text(reader.join()).strip());
                peer.close();
                conn.close();
            }
            return null;
        });
        assertThat(trail.events()).containsExactly("line: a line written one byte at a time");
    }
}
