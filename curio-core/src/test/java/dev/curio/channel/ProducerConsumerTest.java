package dev.curio.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.subprocess.Popen;
import dev.curio.subprocess.RunOptions;
import dev.curio.subprocess.Stdio;
import dev.curio.subprocess.Subprocess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The manual's producer and consumer programs, each in a JVM of its own, talking over a channel
 * with an authkey. The test starts them with this project's own subprocess API: the producer
 * binds a free port and prints it, the consumer connects to it and prints what it gets.
 */
class ProducerConsumerTest {

    static final byte[] KEY = "peekaboo".getBytes(StandardCharsets.US_ASCII);

    /** producer.py: accepts one consumer, sends 0..9 and a null sentinel. */
    public static final class Producer {
        public static void main(String[] args) {
            Curio.run(() -> {
                try (Channel ch = new Channel("127.0.0.1", 0).bind()) {
                    System.out.println("port " + ch.address().getPort());
                    System.out.flush();
                    try (Connection c = ch.accept(KEY)) {
                        for (int i = 0; i < 10; i++) {
                            c.send(i);
                        }
                        c.send(null); // sentinel
                    }
                }
            });
        }
    }

    /** consumer.py: prints each message until the sentinel. */
    public static final class Consumer {
        public static void main(String[] args) {
            Curio.run(() -> {
                try (Connection c = new Channel("127.0.0.1", Integer.parseInt(args[0])).connect(KEY)) {
                    for (Object msg = c.recv(); msg != null; msg = c.recv()) {
                        System.out.println("Got: " + msg);
                    }
                }
            });
        }
    }

    static List<String> java(Class<?> main, String... args) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void producerAndConsumerInTwoJvms() {
        List<String> out = TestKernels.run(() -> {
            try (Popen producer = Popen.start(java(Producer.class), Stdio.DEVNULL, Stdio.PIPE, Stdio.INHERIT)) {
                String first = new String(producer.stdout().readline(), StandardCharsets.UTF_8).strip();
                assertThat(first).startsWith("port ");
                byte[] got = Subprocess.checkOutput(java(Consumer.class, first.substring(5)),
                        RunOptions.defaults().stdin(Stdio.DEVNULL));
                List<String> lines = new ArrayList<>(new String(got, StandardCharsets.UTF_8).lines().toList());
                lines.add("producer exit " + producer.waitFor());
                return lines;
            }
        });
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add("Got: " + i);
        }
        expected.add("producer exit 0");
        assertThat(out).isEqualTo(expected);
    }
}
