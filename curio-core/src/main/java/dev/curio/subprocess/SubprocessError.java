package dev.curio.subprocess;

/** A subprocess failed (Python's {@code subprocess.SubprocessError}). */
public class SubprocessError extends RuntimeException {
    public SubprocessError(String message) {
        super(message);
    }
}
