package dev.curio.workers;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One worker JVM process and its pipe. One call at a time: {@link #call} writes the request and
 * returns a future that the worker's reader thread completes with the reply, or fails with a
 * {@link WorkerProcessError} when the process dies, exits or sends garbage.
 *
 * <p>Thread-safety: a worker is used by one caller at a time (the pool hands it out); the reader
 * thread only completes the current future.
 */
final class ProcessWorker {

    private final Process process;
    private final OutputStream toWorker;
    private final InputStream fromWorker;
    private volatile CompletableFuture<Object> pending;
    private volatile boolean broken;

    ProcessWorker(Process process) {
        this.process = process;
        this.toWorker = process.getOutputStream();
        this.fromWorker = process.getInputStream();
        Thread.ofPlatform().daemon(true).name("curio-worker-" + process.pid() + "-reader").start(this::readReplies);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return !broken && process.isAlive();
    }

    /** Sends {@code work}; the future completes with the reply. Blocks briefly while writing. */
    CompletableFuture<Object> call(SerializableCallable<?> work) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        pending = f;
        try {
            Frames.write(toWorker, work);
        } catch (java.io.NotSerializableException e) {
            pending = null;
            f.completeExceptionally(new IllegalArgumentException(
                    "runInProcess: the callable is not serializable: " + e.getMessage(), e));
        } catch (IOException e) {
            broken = true;
            f.completeExceptionally(new WorkerProcessError("cannot send the call to worker " + pid(), e));
        }
        return f;
    }

    private void readReplies() {
        try {
            while (true) {
                Object o = Frames.read(fromWorker);
                CompletableFuture<Object> f = pending;
                pending = null;
                if (!(o instanceof Frames.Reply reply) || f == null) {
                    fail(new WorkerProcessError("worker " + pid() + " sent something that is not a reply: "
                            + (o == null ? "null" : o.getClass().getName())), f);
                    return;
                }
                if (reply.ok()) {
                    f.complete(reply.value());
                } else {
                    f.completeExceptionally(new RemoteFailure(reply.error()));
                }
            }
        } catch (EOFException e) {
            fail(new WorkerProcessError("worker " + pid() + " exited" + exitCode()), pending);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            fail(new WorkerProcessError("worker " + pid() + " sent garbage: " + e.getMessage(), e), pending);
        }
    }

    private String exitCode() {
        try {
            if (process.waitFor(2, TimeUnit.SECONDS)) {
                return " with code " + process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }

    private void fail(WorkerProcessError error, CompletableFuture<Object> f) {
        broken = true;
        if (f != null) {
            f.completeExceptionally(error);
        }
        terminate(Duration.ofSeconds(2));
    }

    /** SIGTERM, then a forced kill after {@code grace}; does not block the caller. */
    void terminate(Duration grace) {
        broken = true;
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        process.onExit().orTimeout(grace.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(t -> {
                    process.destroyForcibly();
                    return null;
                });
    }

    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Marks an exception thrown by the work in the worker, to be rethrown unchanged in the caller. */
    static final class RemoteFailure extends RuntimeException {
        RemoteFailure(Throwable error) {
            super(error);
        }
    }
}
