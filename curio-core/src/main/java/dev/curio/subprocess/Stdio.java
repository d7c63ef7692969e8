package dev.curio.subprocess;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;

/** Where a child's standard stream goes (Python's {@code PIPE}, {@code DEVNULL}, {@code STDOUT}, or inherited). */
public enum Stdio {
    /** A pipe to this process, seen as a Curio stream ({@link Popen#stdin()} and so on). */
    PIPE,
    /** The null device: no input, output discarded. */
    DEVNULL,
    /** This JVM's own stream (Python's {@code None}, the default). */
    INHERIT,
    /** For stderr only: into the same pipe or place as stdout. */
    STDOUT;

    Redirect forInput() {
        return switch (this) {
            case PIPE -> Redirect.PIPE;
            case DEVNULL -> Redirect.from(new File("/dev/null"));
            case INHERIT -> Redirect.INHERIT;
            case STDOUT -> throw new IllegalArgumentException("stdin cannot be STDOUT");
        };
    }

    Redirect forOutput(String which) {
        return switch (this) {
            case PIPE -> Redirect.PIPE;
            case DEVNULL -> Redirect.DISCARD;
            case INHERIT -> Redirect.INHERIT;
            case STDOUT -> throw new IllegalArgumentException(which + " cannot be STDOUT (only stderr can)");
        };
    }
}
