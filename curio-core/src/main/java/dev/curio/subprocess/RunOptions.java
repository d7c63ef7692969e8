package dev.curio.subprocess;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The keyword arguments of {@link Subprocess#run} ({@code input}, {@code stdin}, {@code stdout},
 * {@code stderr}, {@code check}, plus a working directory and extra environment). Immutable: each
 * method returns a changed copy. By default nothing is captured and streams are inherited, as
 * Python's; giving {@code input} pipes stdin.
 */
public record RunOptions(byte[] input, Stdio stdin, Stdio stdout, Stdio stderr, boolean check, Path cwd,
        Map<String, String> env) {

    public RunOptions {
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    public static RunOptions defaults() {
        return new RunOptions(null, Stdio.INHERIT, Stdio.INHERIT, Stdio.INHERIT, false, null, Map.of());
    }

    /** Data for the child's stdin, which becomes a pipe closed after the data. */
    public RunOptions input(byte[] data) {
        return new RunOptions(data == null ? null : data.clone(), stdin, stdout, stderr, check, cwd, env);
    }

    public RunOptions stdin(Stdio s) {
        return new RunOptions(input, s, stdout, stderr, check, cwd, env);
    }

    public RunOptions stdout(Stdio s) {
        return new RunOptions(input, stdin, s, stderr, check, cwd, env);
    }

    public RunOptions stderr(Stdio s) {
        return new RunOptions(input, stdin, stdout, s, check, cwd, env);
    }

    /** Pipes stdout and stderr (Python's {@code capture_output=True}). */
    public RunOptions captureOutput() {
        return new RunOptions(input, stdin, Stdio.PIPE, Stdio.PIPE, check, cwd, env);
    }

    /** Whether a non-zero exit status raises {@link CalledProcessError}. */
    public RunOptions check(boolean c) {
        return new RunOptions(input, stdin, stdout, stderr, c, cwd, env);
    }

    public RunOptions cwd(Path dir) {
        return new RunOptions(input, stdin, stdout, stderr, check, dir, env);
    }

    /** Variables added to (or replacing those of) this JVM's environment. */
    public RunOptions env(Map<String, String> vars) {
        return new RunOptions(input, stdin, stdout, stderr, check, cwd, vars);
    }
}
