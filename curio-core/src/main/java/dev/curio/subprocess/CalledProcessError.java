package dev.curio.subprocess;

import java.util.List;

/**
 * A process run with {@code check} exited with a non-zero status (Python's
 * {@code subprocess.CalledProcessError}). Carries the status and the captured output (empty
 * arrays for streams that were not captured). Immutable.
 */
public class CalledProcessError extends SubprocessError {

    private final int returncode;
    private final List<String> args;
    private final byte[] output;
    private final byte[] stderr;

    public CalledProcessError(int returncode, List<String> args, byte[] output, byte[] stderr) {
        super("Command " + args + " returned non-zero exit status " + returncode + ".");
        this.returncode = returncode;
        this.args = List.copyOf(args);
        this.output = output == null ? new byte[0] : output.clone();
        this.stderr = stderr == null ? new byte[0] : stderr.clone();
    }

    public int returncode() {
        return returncode;
    }

    public List<String> args() {
        return args;
    }

    /** The captured standard output (Python's {@code output}/{@code stdout}). */
    public byte[] output() {
        return output.clone();
    }

    public byte[] stderr() {
        return stderr.clone();
    }
}
