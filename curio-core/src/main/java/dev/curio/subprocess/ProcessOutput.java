package dev.curio.subprocess;

/**
 * The output a cancelled {@link Popen#communicate} or {@link Subprocess#run} had read (Curio's
 * {@code stdout} and {@code stderr} exception attributes). As {@link dev.curio.io.PartialIo}, it
 * travels as a suppressed exception of the cancellation, which keeps its type and identity;
 * {@link #of(Throwable)} finds it. Immutable.
 */
public final class ProcessOutput extends RuntimeException {

    private final byte[] stdout;
    private final byte[] stderr;

    private ProcessOutput(byte[] stdout, byte[] stderr) {
        super("output read before the interruption: " + stdout.length + " bytes of stdout, "
                + stderr.length + " bytes of stderr", null, false, false);
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static <T extends Throwable> T attach(T exc, byte[] stdout, byte[] stderr) {
        exc.addSuppressed(new ProcessOutput(stdout.clone(), stderr.clone()));
        return exc;
    }

    /**
     * The output attached to {@code exc} (the last one if several).
     *
     * @throws IllegalArgumentException if {@code exc} is null or carries none
     */
    public static ProcessOutput of(Throwable exc) {
        if (exc == null) {
            throw new IllegalArgumentException("exc must not be null");
        }
        Throwable[] s = exc.getSuppressed();
        for (int i = s.length - 1; i >= 0; i--) {
            if (s[i] instanceof ProcessOutput p) {
                return p;
            }
        }
        throw new IllegalArgumentException("exception carries no process output: " + exc);
    }

    public byte[] stdout() {
        return stdout.clone();
    }

    public byte[] stderr() {
        return stderr.clone();
    }
}
