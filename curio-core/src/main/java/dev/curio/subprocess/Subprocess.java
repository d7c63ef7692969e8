package dev.curio.subprocess;

import dev.curio.CancelledError;
import dev.curio.Curio;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

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

    private static void killAll(Popen p) {
        p.process().descendants().forEach(ProcessHandle::destroyForcibly);
        p.kill();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
