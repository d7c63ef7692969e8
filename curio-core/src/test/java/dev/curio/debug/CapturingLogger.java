package dev.curio.debug;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;

/** A System.Logger that keeps what it is given, for asserting what the debuggers log. */
final class CapturingLogger implements System.Logger {
    final List<String> lines = new ArrayList<>();
    final List<Throwable> thrown = new ArrayList<>();

    @Override
    public String getName() {
        return "capture";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public synchronized void log(Level level, ResourceBundle bundle, String msg, Throwable t) {
        lines.add(level + " " + msg);
        thrown.add(t);
    }

    @Override
    public synchronized void log(Level level, ResourceBundle bundle, String format, Object... params) {
        lines.add(level + " " + (params == null ? format : java.text.MessageFormat.format(format, params)));
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
