package dev.curio.file;

import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;

/**
 * A Python {@code open()} mode string ({@code r w a x}, optionally {@code +}, and {@code b} or
 * {@code t}) parsed into channel options. Immutable.
 *
 * <p>Append modes do not use {@link StandardOpenOption#APPEND} (NIO refuses it together with
 * READ, which {@code a+} needs): every write of an append-mode file moves to the end first.
 */
record OpenMode(String text, boolean readable, boolean writable, boolean append, boolean binary,
        Set<StandardOpenOption> options) {

    static OpenMode parse(String mode) {
        if (mode == null || mode.isEmpty()) {
            throw new IllegalArgumentException("mode must be a Python open() mode such as \"r\" or \"wb\", was "
                    + (mode == null ? "null" : "\"\""));
        }
        char kind = 0;
        boolean plus = false;
        Boolean binary = null;
        for (char c : mode.toCharArray()) {
            switch (c) {
                case 'r', 'w', 'a', 'x' -> {
                    if (kind != 0) {
                        throw bad(mode, "more than one of r, w, a, x");
                    }
                    kind = c;
                }
                case '+' -> {
                    if (plus) {
                        throw bad(mode, "'+' twice");
                    }
                    plus = true;
                }
                case 'b', 't' -> {
                    if (binary != null) {
                        throw bad(mode, "more than one of b, t");
                    }
                    binary = c == 'b';
                }
                default -> throw bad(mode, "unknown character '" + c + "'");
            }
        }
        if (kind == 0) {
            throw bad(mode, "needs one of r, w, a, x");
        }
        EnumSet<StandardOpenOption> o = EnumSet.noneOf(StandardOpenOption.class);
        boolean readable = kind == 'r' || plus;
        boolean writable = kind != 'r' || plus;
        if (readable) {
            o.add(StandardOpenOption.READ);
        }
        if (writable) {
            o.add(StandardOpenOption.WRITE);
        }
        switch (kind) {
            case 'w' -> {
                o.add(StandardOpenOption.CREATE);
                o.add(StandardOpenOption.TRUNCATE_EXISTING);
            }
            case 'a' -> o.add(StandardOpenOption.CREATE);
            case 'x' -> o.add(StandardOpenOption.CREATE_NEW);
            default -> { }
        }
        return new OpenMode(mode, readable, writable, kind == 'a', binary != null && binary, Set.copyOf(o));
    }

    OpenOption[] openOptions() {
        return options.toArray(new OpenOption[0]);
    }

    private static IllegalArgumentException bad(String mode, String why) {
        return new IllegalArgumentException("mode \"" + mode + "\" is not a valid open() mode: " + why);
    }
}
