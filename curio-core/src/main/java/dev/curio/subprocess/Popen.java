package dev.curio.subprocess;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskError;
import dev.curio.io.ChannelStream;
import dev.curio.io.PartialIo;
import dev.curio.kernel.Task;
import dev.curio.sync.Futures;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A child process whose piped standard streams are Curio streams (Curio's {@code subprocess.Popen}):
 * {@code for (byte[] line : p.stdout())} reads a running process's output line by line, inside a
 * task, while other tasks run. See {@link ProcessPipes} for how the pipes reach the kernel.
 *
 * <p>{@link #wait()} and {@link #communicate} wait in the kernel; cancelling them does not end the
 * process (use {@link #kill()}, or {@link Subprocess#run}, which does). Starting the process is a
 * fork/exec done by the caller's thread, as in Curio.
 *
 * <p>Streams follow {@link ChannelStream}'s rules: one reader and one writer task at a time.
 * {@code returncode} is written by whichever task sees the exit first; the process itself is
 * thread-safe.
 */
public final class Popen implements AutoCloseable {

    /** What {@link #communicate} read: all of stdout and stderr (empty for streams not piped). */
    public record Output(byte[] stdout, byte[] stderr) {}

    private final List<String> args;
    private final Process process;
    private final ChannelStream stdin;
    private final ChannelStream stdout;
    private final ChannelStream stderr;

    private Popen(List<String> args, Process process, boolean pipeIn, boolean pipeOut, boolean pipeErr)
            throws IOException {
        this.args = args;
        this.process = process;
        String n = "curio-popen-" + process.pid();
        this.stdin = pipeIn ? ProcessPipes.writing(process.getOutputStream(), n + "-stdin") : null;
        this.stdout = pipeOut ? ProcessPipes.reading(process.getInputStream(), n + "-stdout") : null;
        this.stderr = pipeErr ? ProcessPipes.reading(process.getErrorStream(), n + "-stderr") : null;
    }

    /** Starts {@code args} with the given streams ({@link Stdio#STDOUT} is allowed for stderr only). */
    public static Popen start(List<String> args, Stdio stdin, Stdio stdout, Stdio stderr) throws IOException {
        checkArgs(args);
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        ProcessBuilder pb = new ProcessBuilder(args).redirectInput(stdin.forInput())
                .redirectOutput(stdout.forOutput("stdout"));
        if (stderr == Stdio.STDOUT) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(stderr.forOutput("stderr"));
        }
        return start(pb);
    }

    /** Starts {@code args} with stdout piped and the other streams inherited. */
    public static Popen start(List<String> args) throws IOException {
        return start(args, Stdio.INHERIT, Stdio.PIPE, Stdio.INHERIT);
    }

    /**
     * Starts the process {@code builder} describes (working directory, environment, any
     * {@link Redirect}); each stream redirected to {@link Redirect#PIPE} becomes a Curio stream.
     */
    public static Popen start(ProcessBuilder builder) throws IOException {
        Objects.requireNonNull(builder, "builder");
        checkArgs(builder.command());
        List<String> args = List.copyOf(builder.command());
        boolean in = builder.redirectInput() == Redirect.PIPE;
        boolean out = builder.redirectOutput() == Redirect.PIPE;
        boolean err = !builder.redirectErrorStream() && builder.redirectError() == Redirect.PIPE;
        Process p = builder.start();
        return new Popen(args, p, in, out, err);
    }

    private static void checkArgs(List<String> args) {
        if (args == null || args.isEmpty()) {
            throw new IllegalArgumentException("args must name a program, was " + args);
        }
        for (String a : args) {
            Objects.requireNonNull(a, "args must not contain null");
        }
    }

    // ---- the process ----

    public List<String> args() {
        return args;
    }

    public long pid() {
        return process.pid();
    }

    /** The underlying process (for {@link Process#toHandle()}, {@link Process#info()}...). */
    public Process process() {
        return process;
    }

    /** The stream to the child's stdin, or null if it is not a pipe. */
    public ChannelStream stdin() {
        return stdin;
    }

    /** The stream of the child's stdout, or null if it is not a pipe. */
    public ChannelStream stdout() {
        return stdout;
    }

    /** The stream of the child's stderr, or null if it is not a pipe. */
    public ChannelStream stderr() {
        return stderr;
    }

    /** The exit status if the process has ended, else null (never blocks). */
    public Integer poll() {
        return process.isAlive() ? null : process.exitValue();
    }

    /** Same as {@link #poll()} (Python's {@code returncode} attribute). */
    public Integer returncode() {
        return poll();
    }

    /** Waits for the process to end and returns its status; from a task. Cancellation leaves the process running. */
    public int waitFor() {
        if (!process.isAlive()) {
            return process.exitValue();
        }
        // A dependent future: the waiter's cancellation cancels it, never the process's own.
        CompletableFuture<Process> exit = process.onExit().thenApply(p -> p);
        Futures.awaitHandOff(exit, null);
        return process.exitValue();
    }

    /**
     * Asks the process to end (SIGTERM on Unix). Through its {@link ProcessHandle}: the JDK's
     * {@link Process#destroy()} also closes the pipes, which would throw away output the process
     * wrote and nobody has read yet.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** Ends the process (SIGKILL on Unix); output it wrote before stays readable, as with {@link #terminate()}. */
    public void kill() {
        process.toHandle().destroyForcibly();
    }

    // ---- communicating ----

    /** {@link #communicate(byte[])} without input. */
    public Output communicate() throws IOException {
        return communicate(null);
    }

    /**
     * Writes {@code input} (if any) to stdin and closes it, reads stdout and stderr to their ends,
     * and returns them. If cancelled, the cancellation carries a {@link ProcessOutput} with what
     * was read so far; the process keeps running.
     *
     * @throws IllegalStateException if input is given but stdin is not a pipe
     * @throws IOException from writing the input (the child closed its stdin: "Broken pipe") or reading
     */
    public Output communicate(byte[] input) throws IOException {
        boolean hasInput = input != null && input.length > 0;
        if (hasInput && stdin == null) {
            throw new IllegalStateException("communicate: input given but stdin is not a pipe");
        }
        Task<byte[]> outTask = stdout == null ? null : Curio.spawn("communicate-stdout", stdout::readall);
        Task<byte[]> errTask = stderr == null ? null : Curio.spawn("communicate-stderr", stderr::readall);
        boolean done = false;
        try {
            if (stdin != null && !stdin.isClosed()) {
                if (hasInput) {
                    stdin.write(input);
                }
                stdin.close();
            }
            Output o = new Output(joined(outTask), joined(errTask));
            done = true;
            return o;
        } catch (CancelledError e) {
            byte[][] partial = Curio.disableCancellation(() -> new byte[][] {stop(outTask), stop(errTask)});
            done = true;
            throw ProcessOutput.attach(e, partial[0], partial[1]);
        } finally {
            if (!done) {
                Curio.disableCancellation(() -> {
                    stop(outTask);
                    stop(errTask);
                });
            }
        }
    }

    private static byte[] joined(Task<byte[]> t) throws IOException {
        if (t == null) {
            return new byte[0];
        }
        try {
            return t.join();
        } catch (TaskError e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    /** Cancels a reader task and returns what it had read. */
    private static byte[] stop(Task<byte[]> t) {
        if (t == null) {
            return new byte[0];
        }
        t.cancel();
        Throwable e = t.exception();
        if (e == null) {
            return t.result();
        }
        try {
            return PartialIo.of(e).bytesRead();
        } catch (IllegalArgumentException none) {
            return new byte[0];
        }
    }

    /** Closes the pipes and waits for the process to end (Curio's {@code async with Popen}); from a task. */
    @Override
    public void close() throws IOException {
        try {
            for (ChannelStream s : new ChannelStream[] {stdout, stderr, stdin}) {
                if (s != null) {
                    s.close();
                }
            }
        } finally {
            waitFor();
        }
    }

    @Override
    public String toString() {
        Integer rc = poll();
        return "Popen(pid=" + pid() + ", args=" + args + (rc == null ? "" : ", returncode=" + rc) + ")";
    }
}
