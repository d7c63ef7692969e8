package dev.curio.workers;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A pool of worker JVM processes (Curio's process {@code WorkerPool}): started on demand with the
 * application's class path, kept warm and reused, at most {@link #maxProcesses()} at once. Calls
 * beyond that wait in line. A worker that is cancelled, crashes or misbehaves is discarded and a
 * fresh one is started when next needed.
 *
 * <p>Thread-safe: the pool's state is guarded by {@code this}; processes start on the calling
 * thread of {@link #acquire} only when no task of a kernel is calling (see {@code Workers}).
 */
public final class ProcessWorkers implements AutoCloseable {

    private final int maxProcesses;
    private final List<String> command;
    private final ArrayDeque<ProcessWorker> idle = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<ProcessWorker>> waiting = new ArrayDeque<>();
    private final List<ProcessWorker> all = new ArrayList<>();
    private int busy;
    private boolean closed;
    private final LongAdder calls = new LongAdder();
    private final LongAdder started = new LongAdder();
    private final AtomicLong lastStartNanos = new AtomicLong();

    /** A pool of at most {@code maxProcesses} workers running this JVM's java with its class path. */
    public ProcessWorkers(int maxProcesses) {
        this(maxProcesses, List.of());
    }

    /** As {@link #ProcessWorkers(int)}, with extra JVM options for the workers (e.g. {@code -Xmx256m}). */
    public ProcessWorkers(int maxProcesses, List<String> jvmOptions) {
        if (maxProcesses < 1) {
            throw new IllegalArgumentException("maxProcesses must be >= 1, was " + maxProcesses);
        }
        this.maxProcesses = maxProcesses;
        this.command = workerCommand(jvmOptions == null ? List.of() : jvmOptions);
    }

    static List<String> workerCommand(List<String> jvmOptions) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String cp = System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xshare:auto");
        cmd.addAll(jvmOptions);
        boolean bootJar = cp != null && !cp.contains(File.pathSeparator) && cp.endsWith(".jar") && isBootJar(cp);
        cmd.add("-cp");
        cmd.add(cp);
        if (bootJar) {
            // An executable Spring Boot jar: its classes are nested; let Boot's launcher load them.
            cmd.add("-Dloader.main=" + ProcessWorkerMain.class.getName());
            cmd.add("org.springframework.boot.loader.launch.PropertiesLauncher");
        } else {
            cmd.add(ProcessWorkerMain.class.getName());
        }
        return List.copyOf(cmd);
    }

    private static boolean isBootJar(String jar) {
        try (var z = new java.util.zip.ZipFile(jar)) {
            return z.getEntry("BOOT-INF/") != null || z.getEntry("BOOT-INF/classes/") != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** A worker for one call: idle, newly started, or (when all are busy) the next one released. */
    CompletableFuture<ProcessWorker> acquire() {
        boolean start;
        CompletableFuture<ProcessWorker> f = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the worker process pool is closed");
            }
            while (!idle.isEmpty()) {
                ProcessWorker w = idle.pollFirst();
                if (w.isAlive()) {
                    busy++;
                    f.complete(w);
                    return f;
                }
                all.remove(w);
            }
            start = busy < maxProcesses;
            if (start) {
                busy++;
            } else {
                waiting.addLast(f);
                return f;
            }
        }
        CompletableFuture.runAsync(() -> {
            try {
                f.complete(startWorker());
            } catch (Throwable t) {
                synchronized (this) {
                    busy--;
                }
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    private ProcessWorker startWorker() throws IOException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ProcessWorker w = new ProcessWorker(p);
        synchronized (this) {
            all.add(w);
            if (closed) {
                w.terminate(Duration.ofSeconds(1));
            }
        }
        started.increment();
        lastStartNanos.set(System.nanoTime() - t0);
        return w;
    }

    /** Returns a healthy worker after a call; it goes to the next caller in line or to the idle set. */
    void release(ProcessWorker w) {
        calls.increment();
        CompletableFuture<ProcessWorker> next;
        synchronized (this) {
            while ((next = waiting.pollFirst()) != null) {
                if (next.complete(w)) {
                    return;
                }
            }
            busy--;
            if (closed) {
                w.terminate(Duration.ofSeconds(1));
            } else {
                idle.addLast(w);
            }
        }
    }

    /** Discards a worker that was cancelled or broke; the slot is free for a fresh worker. */
    void discard(ProcessWorker w) {
        calls.increment();
        w.terminate(Duration.ofSeconds(2));
        CompletableFuture<ProcessWorker> next;
        synchronized (this) {
            all.remove(w);
            busy--;
            next = waiting.isEmpty() || closed ? null : waiting.pollFirst();
            if (next != null) {
                busy++;
            }
        }
        if (next != null) {
            CompletableFuture<ProcessWorker> handed = next;
            CompletableFuture.runAsync(() -> {
                try {
                    ProcessWorker fresh = startWorker();
                    if (!handed.complete(fresh)) {
                        release(fresh);
                    }
                } catch (Throwable t) {
                    synchronized (this) {
                        busy--;
                    }
                    handed.completeExceptionally(t);
                }
            });
        }
    }

    public int maxProcesses() {
        return maxProcesses;
    }

    /** Worker processes alive now (busy or idle). */
    public synchronized int liveProcesses() {
        int n = 0;
        for (ProcessWorker w : all) {
            if (w.isAlive()) {
                n++;
            }
        }
        return n;
    }

    /** Calls holding a worker now. */
    public synchronized int busyProcesses() {
        return busy;
    }

    public long completedCalls() {
        return calls.sum();
    }

    /** Processes started so far (replacements included). */
    public long startedProcesses() {
        return started.sum();
    }

    /** How long the last worker took to start (cold start of the pool). */
    public Duration lastStartTime() {
        return Duration.ofNanos(lastStartNanos.get());
    }

    /** Pids of the live workers (for tests and diagnostics). */
    public synchronized List<Long> pids() {
        return all.stream().filter(ProcessWorker::isAlive).map(ProcessWorker::pid).toList();
    }

    /** Terminates every worker and waits up to {@code timeout} for them to exit. */
    public void close(Duration timeout) {
        List<ProcessWorker> toStop;
        synchronized (this) {
            closed = true;
            toStop = new ArrayList<>(all);
            for (CompletableFuture<ProcessWorker> f : waiting) {
                f.completeExceptionally(new IllegalStateException("the worker process pool is closed"));
            }
            waiting.clear();
        }
        for (ProcessWorker w : toStop) {
            w.terminate(Duration.ofSeconds(1));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessWorker w : toStop) {
            try {
                w.onExit().get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                // reported by liveProcesses()
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
