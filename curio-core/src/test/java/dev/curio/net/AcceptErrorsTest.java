package dev.curio.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server out of file descriptors keeps serving: a child JVM limited to 64 descriptors runs a
 * Curio server; more clients connect than it can hold, so its accepts fail with EMFILE ("Too many
 * open files"); once they leave, a fresh client is served. Loopback only.
 *
 * <p>The child runs from a jar, as deployed code does: a JVM keeps its jars open, while classes in
 * a directory each need a descriptor to load, which a starved process does not have.
 */
class AcceptErrorsTest {

    private static final int FD_LIMIT = 64;
    private static final int CLIENTS = 100;

    @Test
    void aServerOutOfFileDescriptorsResumesAcceptingWhenClientsLeave(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path jar = dir.resolve("child.jar");
        Path stderr = dir.resolve("child-stderr.txt");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            addClasses(out, Path.of(Network.class.getProtectionDomain().getCodeSource().getLocation().toURI()), "");
            addClasses(out, Path.of(AcceptErrorsChild.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
                    "dev/curio/net/AcceptErrorsChild");
        }
        String carrier = System.getProperty("curio.carrier", "auto");
        List<String> command = List.of("sh", "-c", "ulimit -n " + FD_LIMIT + " && exec \"$0\" \"$@\"", java,
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Dcurio.carrier=" + carrier,
                "-cp", jar.toString(), AcceptErrorsChild.class.getName());
        Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        List<java.net.Socket> clients = new ArrayList<>();
        List<String> trail = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
                PrintWriter in = new PrintWriter(child.getOutputStream(), true, StandardCharsets.US_ASCII)) {
            String first = out.readLine();
            assertThat(first).as("the child's first line").startsWith("port ");
            int port = Integer.parseInt(first.substring(5));
            for (int i = 0; i < CLIENTS; i++) {
                java.net.Socket s = new java.net.Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 30_000); // completed by the backlog
                clients.add(s);
            }
            in.println("await-errors");
            trail.add(out.readLine());
            for (java.net.Socket s : clients) {
                s.close();
            }
            try (java.net.Socket fresh = new java.net.Socket()) {
                fresh.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
                fresh.setSoTimeout(60_000);
                String greeting;
                try {
                    greeting = new BufferedReader(new InputStreamReader(fresh.getInputStream(),
                            StandardCharsets.US_ASCII)).readLine();
                } catch (java.net.SocketTimeoutException e) {
                    in.println("tasks");
                    throw new AssertionError("the fresh client was not served in 60 s; child: " + out.readLine()
                            + "; its stderr: " + Files.readString(stderr), e);
                }
                trail.add("fresh client greeted: " + greeting);
            }
            in.println("stats");
            String stats = out.readLine();
            assertThat(stats).matches("accept-errors [1-9][0-9]*");
            trail.add("accept errors counted");
            in.println("quit");
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child exits").isTrue();
            trail.add("child exit " + child.exitValue());
        } finally {
            for (java.net.Socket s : clients) {
                s.close();
            }
            child.destroyForcibly();
        }
        assertThat(trail).as("the child's stderr: %s", Files.readString(stderr)).containsExactly(
                "3 errors, logged 1 time(s)", "fresh client greeted: hi", "accept errors counted", "child exit 0");
    }

    /** Adds the class files under {@code root} whose path starts with {@code prefix} to {@code jar}. */
    private static void addClasses(JarOutputStream jar, Path root, String prefix) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            String name = root.relativize(f).toString().replace(java.io.File.separatorChar, '/');
            if (name.startsWith(prefix) && name.endsWith(".class")) {
                jar.putNextEntry(new JarEntry(name));
                Files.copy(f, jar);
                jar.closeEntry();
            }
        }
    }
}
