package dev.curio;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what a class logs through {@link System.Logger} (the JDK routes it to
 * {@code java.util.logging} when no other backend is installed), for asserting log lines. Lines
 * read "LEVEL message" with System.Logger's level names. Any thread may log; close to detach.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger; // held strongly: java.util.logging keeps loggers weakly
    private final Level previous;
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (records) {
                records.add(r);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private LogCapture(Class<?> source) {
        logger = Logger.getLogger(source.getName());
        previous = logger.getLevel();
        logger.setLevel(Level.ALL);
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    /** Starts capturing what {@code source}'s logger logs, every level included. */
    public static LogCapture of(Class<?> source) {
        return new LogCapture(source);
    }

    /** The lines logged so far, in order: "ERROR message", "DEBUG message"... */
    public List<String> lines() {
        synchronized (records) {
            return records.stream().map(r -> level(r.getLevel()) + " " + r.getMessage()).toList();
        }
    }

    /** The lines at {@code level} ("ERROR", "WARNING", "INFO", "DEBUG", "TRACE"). */
    public List<String> lines(String level) {
        return lines().stream().filter(l -> l.startsWith(level + " ")).toList();
    }

    /** What was logged with each line (null where nothing was), in order. */
    public List<Throwable> thrown() {
        synchronized (records) {
            return records.stream().map(LogRecord::getThrown).toList();
        }
    }

    private static String level(Level l) {
        int v = l.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (v >= Level.WARNING.intValue()) {
            return "WARNING";
        }
        if (v >= Level.INFO.intValue()) {
            return "INFO";
        }
        return v >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previous);
    }
}
