package dev.curio.subprocess;

import dev.curio.CancelledError;
import dev.curio.Curio;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Running a command to its end from a task (Curio's {@code subprocess.run} and
 * {@code check_output}). Unlike {@link Popen#communicate}, cancelling these kills the process
 * (and its descendants, so that none keeps the pipes open), reads what was left in the pipes, and
 * raises the cancellation with a {@link ProcessOutput} holding all output the process produced.
 * Stateless.
 */
public final class Subprocess {

    private Subprocess() {}

    /** Runs {@code args} to their end with {@code options}; from a task. */
    public static CompletedProcess run(List<String> args, RunOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        boolean hasInput = options.input() != null && options.input().length > 0;
        ProcessBuilder pb = new ProcessBuilder(checkArgs(args))
                .redirectInput(hasInput ? Stdio.PIPE.forInput() : options.stdin().forInput())
                .redirectOutput(options.stdout().forOutput("stdout"));
        if (options.stderr() == Stdio.STDOUT) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(options.stderr().forOutput("stderr"));
        }
        if (options.cwd() != null) {
            pb.directory(options.cwd().toFile());
        }
        pb.environment().putAll(options.env());
        Popen p = Popen.start(pb);
        Popen.Output out;
        try {
            try {
                out = p.communicate(options.input());
            } catch (CancelledError e) {
                ProcessOutput before = ProcessOutput.of(e);
                Popen.Output rest = Curio.disableCancellation(() -> {
                    killAll(p);
                    return p.communicate();
                });
                throw ProcessOutput.attach(e, concat(before.stdout(), rest.stdout()),
                        concat(before.stderr(), rest.stderr()));
            } catch (IOException | RuntimeException | Error e) {
                killAll(p);
                throw e;
            }
        } finally {
            Curio.disableCancellation(() -> p.close());
        }
        CompletedProcess done = new CompletedProcess(p.args(), p.poll(), out.stdout(), out.stderr());
        return options.check() ? done.checkReturncode() : done;
    }

    /** Runs {@code args} with default options (nothing captured). */
    public static CompletedProcess run(List<String> args) throws IOException {
        return run(args, RunOptions.defaults());
    }

    /**
     * Runs {@code args}, capturing stdout, and returns it (Curio's {@code check_output}).
     *
     * @throws CalledProcessError if the process exits with a non-zero status
     */
    public static byte[] checkOutput(List<String> args, RunOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        return run(args, options.stdout(Stdio.PIPE).check(true)).stdout();
    }

    public static byte[] checkOutput(List<String> args) throws IOException {
        return checkOutput(args, RunOptions.defaults());
    }

    /** {@link #checkOutput(List, RunOptions)} feeding {@code input} to stdin. */
    public static byte[] checkOutput(List<String> args, byte[] input) throws IOException {
        return checkOutput(args, RunOptions.defaults().input(input));
    }

    private static List<String> checkArgs(List<String> args) {
        if (args == null || args.isEmpty()) {
            throw new IllegalArgumentException("args must name a program, was " + args);
        }
        return args;
    }

    /**
     * Kills the process and every process it started, so that none forked meanwhile survives (one
     * would keep the pipes open, and {@code run} waiting, until it exits). The tree is frozen
     * first: the process is stopped (SIGSTOP, by the {@code kill} command: a stopped process cannot
     * fork), then its descendants, again until a look finds none that is not stopped; then all are
     * killed. Killing the descendants and then the process, as this did, let the process fork
     * between the two. Without a {@code kill} command (not POSIX), it falls back to that order.
     */
    private static void killAll(Popen p) {
        ProcessHandle root = p.process().toHandle();
        Set<ProcessHandle> stopped = new LinkedHashSet<>();
        if (signal("STOP", List.of(root))) {
            while (true) {
                List<ProcessHandle> fresh = root.descendants().filter(h -> !stopped.contains(h)).toList();
                if (fresh.isEmpty() || !signal("STOP", fresh)) {
                    break;
                }
                stopped.addAll(fresh);
            }
        }
        root.destroyForcibly();
        stopped.forEach(ProcessHandle::destroyForcibly);
        root.descendants().forEach(ProcessHandle::destroyForcibly); // none when frozen; the fallback's order
        p.kill();
    }

    /**
     * Sends {@code SIG<name>} to {@code processes} with the {@code kill} command; false when it
     * could not be run (no such command). Processes that are gone meanwhile are skipped by it.
     */
    private static boolean signal(String name, List<ProcessHandle> processes) {
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            return false;
        }
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + name));
        processes.forEach(h -> cmd.add(Long.toString(h.pid())));
        try {
            Process kill = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor();
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
