package dev.curio.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.Curio;
import dev.curio.SyncIOError;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Task;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Asynchronous files, ported from Curio 1.6's {@code tests/test_file.py}. */
class FileTest {

    @TempDir
    Path dir;

    Path testinput;

    @BeforeEach
    void writeInput() throws IOException {
        testinput = dir.resolve("testdata.txt");
        Files.writeString(testinput, "line 1\nline 2\nline 3\n");
    }

    // Ports test_read: the file is open inside the block and closed after it.
    @Test
    void read() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TextFile g;
            try (TextFile f = AsyncFile.aopen(testinput, "r")) {
                trail.add(f.read());
                trail.add("closed " + f.closed());
                g = f;
            }
            trail.add("closed " + g.closed());
        });
        assertThat(trail.events()).containsExactly("line 1\nline 2\nline 3\n", "closed false", "closed true");
    }

    // Ports test_readall.
    @Test
    void readall() {
        String data = TestKernels.run(() -> {
            try (TextFile f = AsyncFile.aopen(testinput, "r")) {
                return f.readall();
            }
        });
        assertThat(data).isEqualTo("line 1\nline 2\nline 3\n");
    }

    // Ports test_read1, test_readinto and test_readinto1, against the same reads of the raw file.
    @Test
    void read1AndReadinto() throws IOException {
        byte[] expected = Files.readAllBytes(testinput);
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (BinaryFile f = AsyncFile.aopenBinary(testinput, "rb")) {
                trail.add(Arrays.equals(f.read1(1000), expected));
            }
            try (BinaryFile f = AsyncFile.aopenBinary(testinput, "rb")) {
                byte[] buf = new byte[1000];
                int n = f.readinto(buf);
                trail.add(n + " " + Arrays.equals(Arrays.copyOf(buf, n), expected));
                trail.add("at eof " + f.readinto(buf));
            }
            try (BinaryFile f = AsyncFile.aopenBinary(testinput, "rb")) {
                ByteBuffer buf = ByteBuffer.allocate(1000);
                int n = f.readinto1(buf);
                trail.add(n + " " + Arrays.equals(Arrays.copyOf(buf.array(), n), expected));
            }
        });
        assertThat(trail.events()).containsExactly("true", "21 true", "at eof 0", "21 true");
    }

    // Ports test_readline.
    @Test
    void readline() {
        List<String> lines = TestKernels.run(() -> {
            List<String> l = new ArrayList<>();
            try (TextFile f = AsyncFile.aopen(testinput, "r")) {
                for (String line = f.readline(); !line.isEmpty(); line = f.readline()) {
                    l.add(line);
                }
            }
            return l;
        });
        assertThat(lines).containsExactly("line 1\n", "line 2\n", "line 3\n");
    }

    // Ports test_readlines.
    @Test
    void readlines() {
        List<String> lines = TestKernels.run(() -> {
            try (TextFile f = AsyncFile.aopen(testinput, "r")) {
                return f.readlines();
            }
        });
        assertThat(lines).containsExactly("line 1\n", "line 2\n", "line 3\n");
    }

    // Ports test_readiter, test_read_anext and test_read_anext2: iteration ends at end of file.
    @Test
    void lineIteration() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (TextFile f = AsyncFile.aopen(testinput, "r")) {
                for (String line : f) {
                    trail.add(line);
                }
                trail.add("then " + f.readline().isEmpty());
            }
        });
        assertThat(trail.events()).containsExactly("line 1\n", "line 2\n", "line 3\n", "then true");
    }

    // Binary lines keep their bytes; a limit cuts a line short.
    @Test
    void binaryLinesAndLimit() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (BinaryFile f = AsyncFile.aopenBinary(testinput, "rb")) {
                trail.add(new String(f.readline(4), StandardCharsets.UTF_8));
                trail.add(new String(f.readline(), StandardCharsets.UTF_8));
                for (byte[] line : f) {
                    trail.add(new String(line, StandardCharsets.UTF_8));
                }
            }
        });
        assertThat(trail.events()).containsExactly("line", " 1\n", "line 2\n", "line 3\n");
    }

    // Text reads count characters, not bytes; the position stays exact in bytes.
    @Test
    void textReadCountsCharacters() throws IOException {
        Path p = dir.resolve("utf8.txt");
        Files.writeString(p, "h\u00e9llo \uD83D\uDE00!\n");
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (TextFile f = AsyncFile.aopen(p, "r")) {
                trail.add(f.read(2));
                trail.add("tell " + f.tell());
                trail.add(f.read(4));
                trail.add(f.read(1).codePointCount(0, 2) == 1 ? "one code point" : "cut");
                trail.add(f.read(100));
                trail.add("eof '" + f.read(5) + "'");
            }
        });
        assertThat(trail.events()).containsExactly("h\u00e9", "tell 3", "llo ", "one code point", "!\n", "eof ''");
    }

    // Malformed input is an error, as Python's strict decoding.
    @Test
    void malformedTextIsAnError() throws IOException {
        Path p = dir.resolve("bad.txt");
        Files.write(p, new byte[] {'a', (byte) 0xff, '\n'});
        TestKernels.run(() -> {
            try (TextFile f = AsyncFile.aopen(p, "r")) {
                assertThatThrownBy(f::readline).isInstanceOf(CharacterCodingException.class);
            }
        });
    }

    // Ports test_write: written data is in the file after flush and close.
    @Test
    void write() throws IOException {
        Path out = dir.resolve("tmp.txt");
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (TextFile f = AsyncFile.aopen(out, "w")) {
                trail.add(f.write("line1\nline2\nline3\n"));
                f.flush();
            }
        });
        assertThat(trail.events()).containsExactly("18");
        assertThat(Files.readString(out)).isEqualTo("line1\nline2\nline3\n");
    }

    // Ports test_writelines.
    @Test
    void writelines() throws IOException {
        Path out = dir.resolve("tmp.txt");
        TestKernels.run(() -> {
            try (TextFile f = AsyncFile.aopen(out, "w")) {
                f.writelines(List.of("line1\n", "line2\n", "line3\n"));
            }
        });
        assertThat(Files.readAllLines(out)).containsExactly("line1", "line2", "line3");
    }

    // Ports test_seek_tell.
    @Test
    void seekTell() throws IOException {
        byte[] all = Files.readAllBytes(testinput);
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (BinaryFile f = AsyncFile.aopenBinary(testinput, "rb")) {
                trail.add("seek " + f.seek(10));
                trail.add("tell " + f.tell());
                trail.add(Arrays.equals(f.read(), Arrays.copyOfRange(all, 10, all.length)));
                trail.add("end " + f.seek(-3, 2));
                trail.add(new String(f.read(), StandardCharsets.UTF_8));
                trail.add("back " + f.seek(-2, 1));
                assertThatThrownBy(() -> f.seek(-100, 1)).isInstanceOf(IOException.class);
                assertThatThrownBy(() -> f.seek(0, 3)).hasMessageContaining("whence");
            }
        });
        assertThat(trail.events()).containsExactly("seek 10", "tell 10", "true", "end 18", " 3\n", "back 19");
    }

    // Ports test_truncate: truncate leaves the position where it was.
    @Test
    void truncate() {
        Trail trail = new Trail();
        Path out = dir.resolve("tmp.bin");
        TestKernels.run(() -> {
            try (BinaryFile f = AsyncFile.aopenBinary(out, "wb")) {
                f.write("12345".getBytes(StandardCharsets.US_ASCII));
                f.flush();
                trail.add("tell " + f.tell());
                f.truncate(2);
                trail.add("tell " + f.tell());
                f.seek(2);
                f.write("6789".getBytes(StandardCharsets.US_ASCII));
            }
            try (BinaryFile f = AsyncFile.aopenBinary(out, "rb")) {
                trail.add(new String(f.read(), StandardCharsets.US_ASCII));
            }
        });
        assertThat(trail.events()).containsExactly("tell 5", "tell 5", "126789");
    }

    // Append modes write at the end whatever the position, and leave the position there (as
    // Python's "a+"); "+" modes read and write.
    @Test
    void appendPlus() throws IOException {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (TextFile f = AsyncFile.aopen(testinput, "a+")) {
                f.write("line 4\n");
                f.seek(0);
                trail.add(f.readline());
                f.write("line 5\n");
                trail.add("'" + f.readline() + "' at " + f.tell());
            }
        });
        assertThat(trail.events()).containsExactly("line 1\n", "'' at 35");
        assertThat(Files.readString(testinput)).isEqualTo("line 1\nline 2\nline 3\nline 4\nline 5\n");
    }

    // Ports test_sync_iter, test_sync_with and test_file_misc: a plain thread cannot use the file
    // (SyncIOError); it has the raw channel instead.
    @Test
    void synchronousUseIsAnError() throws Exception {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (TextFile f = AsyncFile.aopen(testinput, "r")) {
                Thread t = Thread.ofPlatform().start(() -> {
                    for (Runnable use : List.<Runnable>of(
                            () -> f.iterator(), () -> call(f::read), () -> call(f::readline),
                            () -> call(() -> { f.close(); return null; }), () -> call(() -> AsyncFile.aopen(testinput, "r")))) {
                        try {
                            use.run();
                            trail.add("no error");
                        } catch (SyncIOError e) {
                            trail.add("SyncIOError");
                        }
                    }
                });
                t.join(); // the thread's calls fail at once, without the kernel
                trail.add(f.toString().startsWith("TextFile(") ? "repr" : "?");
                trail.add(f.readline());
            }
        });
        assertThat(trail.events()).containsExactly("SyncIOError", "SyncIOError", "SyncIOError", "SyncIOError",
                "SyncIOError", "repr", "line 1\n");
        assertThatThrownBy(() -> AsyncFile.aopen(testinput, "r")).isInstanceOf(SyncIOError.class);
    }

    // Ports test_blocking: the raw channel reads the same file, from the same position.
    @Test
    void blocking() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (TextFile f = AsyncFile.aopen(testinput, "r")) {
                trail.add(f.readline());
                trail.add(new String(Channels.newInputStream(f.blocking()).readAllBytes(), StandardCharsets.UTF_8));
                trail.add("tell " + f.tell());
            }
        });
        assertThat(trail.events()).containsExactly("line 1\n", "line 2\nline 3\n", "tell 21");
    }

    // Bad arguments and misuse name what is wrong.
    @Test
    void badModesAndClosedFiles() {
        TestKernels.run(() -> {
            assertThatThrownBy(() -> AsyncFile.aopen(testinput, "rb")).hasMessageContaining("aopenBinary");
            assertThatThrownBy(() -> AsyncFile.aopenBinary(testinput, "rt")).hasMessageContaining("aopen");
            assertThatThrownBy(() -> AsyncFile.aopen(testinput, "rw")).hasMessageContaining("more than one of r, w, a, x");
            assertThatThrownBy(() -> AsyncFile.aopen(testinput, "q")).hasMessageContaining("unknown character 'q'");
            assertThatThrownBy(() -> AsyncFile.aopen(testinput, "+")).hasMessageContaining("needs one of");
            assertThatThrownBy(() -> AsyncFile.aopen(testinput, null)).hasMessageContaining("mode");
            assertThatThrownBy(() -> AsyncFile.aopen((Path) null, "r")).hasMessageContaining("path");
            assertThatThrownBy(() -> AsyncFile.aopen(testinput, "r", StandardCharsets.UTF_16))
                    .hasMessageContaining("aopenBinary");
            assertThatThrownBy(() -> AsyncFile.aopen(testinput, "x")).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
            assertThatThrownBy(() -> AsyncFile.aopen(dir.resolve("missing"), "r")).isInstanceOf(java.nio.file.NoSuchFileException.class);
            TextFile f = AsyncFile.aopen(testinput, "r");
            assertThatThrownBy(() -> f.write("x")).hasMessageContaining("not writable");
            f.close();
            f.close();
            assertThatThrownBy(f::readline).isInstanceOf(ClosedChannelException.class);
            TextFile w = AsyncFile.aopen(dir.resolve("w.txt"), "w");
            assertThatThrownBy(w::readline).hasMessageContaining("not readable");
            w.close();
        });
    }

    // Operations never stall the kernel: opening a FIFO blocks until a writer opens it, and the
    // writer is another task of the same kernel, which runs meanwhile.
    @Test
    void blockingOpenDoesNotStallTheKernel() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<String> reader = Curio.spawn(() -> {
                try (BinaryFile f = AsyncFile.aopenBinary(fifo, "rb")) {
                    return new String(f.read(), StandardCharsets.UTF_8);
                }
            });
            try (BinaryFile f = AsyncFile.aopenBinary(fifo, "wb")) {
                trail.add("writer opened");
                f.write("through the fifo\n".getBytes(StandardCharsets.UTF_8));
            }
            trail.add(reader.join());
        });
        assertThat(trail.events()).containsExactly("writer opened", "through the fifo\n");
    }

    private interface Io {
        Object call() throws IOException;
    }

    private static void call(Io io) {
        try {
            io.call();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
