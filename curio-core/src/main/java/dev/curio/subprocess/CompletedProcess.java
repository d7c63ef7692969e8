package dev.curio.subprocess;

import java.util.List;

/**
 * A process that ran to its end (Python's {@code subprocess.CompletedProcess}): its arguments, exit
 * status (on Unix, {@code 128 + n} for a process ended by signal {@code n}, where Python gives
 * {@code -n}) and captured output (empty for streams that were not captured).
 */
public record CompletedProcess(List<String> args, int returncode, byte[] stdout, byte[] stderr) {

    public CompletedProcess {
        args = List.copyOf(args);
        stdout = stdout == null ? new byte[0] : stdout;
        stderr = stderr == null ? new byte[0] : stderr;
    }

    /** Raises {@link CalledProcessError} if the status is non-zero (Python's {@code check_returncode}). */
    public CompletedProcess checkReturncode() {
        if (returncode != 0) {
            throw new CalledProcessError(returncode, args, stdout, stderr);
        }
        return this;
    }
}
