package dev.curio.consumer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A consumer application started as a child JVM ({@code java -jar app.jar ...}, the JDK running
 * this test), whose output is read line by line on a thread of its own.
 *
 * <p>Threads: the reader thread appends to {@code lines} under the monitor and notifies; the test's
 * thread waits on it. Everything else is the test thread's.
 */
final class ConsumerApp implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    private ConsumerApp(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon(true).name("consumer-output-" + process.pid()).start(this::read);
    }

    /** {@code java <jvmArgs> <args>} in {@code dir}, stderr merged into stdout. */
    static ConsumerApp start(Path dir, List<String> command) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(command);
        return new ConsumerApp(new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start());
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (this) {
                    lines.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process went away: what it wrote is kept
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    /**
     * The first line of output that {@code wanted} accepts, waiting for it. The bound only keeps a
     * broken application from hanging the build; the test's outcome never depends on it.
     */
    synchronized String awaitLine(Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        for (int seen = 0; ; ) {
            for (; seen < lines.size(); seen++) {
                if (wanted.test(lines.get(seen))) {
                    return lines.get(seen);
                }
            }
            long left = deadline - System.nanoTime();
            if (ended || left <= 0) {
                throw new AssertionError("the consumer application " + (ended ? "ended" : "never said it")
                        + " before the expected line; its output:\n" + output());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    synchronized String output() {
        return String.join("\n", lines);
    }

    /** A check of a running application: assertions, requests. */
    @FunctionalInterface
    interface Check {
        void run() throws Exception;
    }

    /**
     * Runs {@code check}; when it fails (an assertion, a request that got no answer in time, any
     * exception), the failure carries what is needed to diagnose it: the application's output
     * and, while it still runs, a dump of its threads (where a request that got no answer is).
     */
    void check(Check check) throws Exception {
        try {
            check.run();
        } catch (Throwable e) {
            String threads = process.isAlive() ? threadDump() : "(the application has ended)";
            throw new AssertionError(e + "\n--- the consumer application's output ---\n" + output()
                    + "\n--- its threads ---\n" + threads, e);
        }
    }

    /** The application's threads as {@code jcmd <pid> Thread.print} gives them (the JDK running this test). */
    private String threadDump() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(1, TimeUnit.MINUTES);
            return dump;
        } catch (IOException e) {
            return "(no thread dump: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as a service manager stops it; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the consumer application did not stop on SIGTERM; its output:\n" + output());
        }
        synchronized (this) {
            while (!ended) {
                wait();
            }
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
