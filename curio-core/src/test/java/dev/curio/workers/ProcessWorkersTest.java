package dev.curio.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.Curio;
import dev.curio.TaskCancelled;
import dev.curio.Trail;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real worker JVM processes: results, errors, crashes, garbage, cancellation, responsiveness. */
class ProcessWorkersTest {

    @TempDir
    Path tmp;

    @Test
    void resultsComeBackAndWorkersAreReused() {
        try (ProcessWorkers pool = new ProcessWorkers(2)) {
            long[] out = Curio.run(() -> {
                long a = Workers.runInProcess(pool, () -> Fib.fib(20));
                long pid1 = Workers.runInProcess(pool, Fib::pid);
                long pid2 = Workers.runInProcess(pool, Fib::pid);
                Object b = Workers.runInProcess(Fib.class, "fib", 10);
                return new long[] {a, pid1, pid2, (Long) b};
            });
            assertThat(out[0]).isEqualTo(6765);
            assertThat(out[1]).isEqualTo(out[2]).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(out[3]).isEqualTo(55);
            assertThat(pool.startedProcesses()).isEqualTo(1);
        }
    }

    @Test
    void anExceptionOfTheWorkIsRethrownUnchangedAndTheWorkerKept() {
        try (ProcessWorkers pool = new ProcessWorkers(1)) {
            Trail trail = new Trail();
            Curio.run(() -> {
                try {
                    Workers.runInProcess(pool, () -> {
                        throw new IllegalStateException("bad input 42");
                    });
                } catch (IllegalStateException e) {
                    trail.add("caught " + e.getMessage());
                }
                trail.add("next call " + Workers.runInProcess(pool, () -> 7));
            });
            assertThat(trail.events()).containsExactly("caught bad input 42", "next call 7");
            assertThat(pool.startedProcesses()).isEqualTo(1);
        }
    }

    // Curio keeps the caller's traceback and chains the child's as the cause (RemoteTraceback).
    @Test
    void aFailureKeepsTheCallersStackAndChainsTheWorkersAsItsCause() {
        try (ProcessWorkers pool = new ProcessWorkers(1)) {
            Trail trail = new Trail();
            Curio.run(() -> {
                long pid = Workers.runInProcess(pool, Fib::pid);
                try {
                    Workers.runInProcess(pool, () -> {
                        throw new IllegalStateException("bad input 42");
                    });
                } catch (IllegalStateException e) {
                    trail.add("caught " + e.getMessage());
                    trail.add("stack starts at " + e.getStackTrace()[0].getClassName() + "." + e.getStackTrace()[0].getMethodName());
                    trail.add("stack has the worker's main: " + hasFrame(e, ProcessWorkerMain.class));
                    trail.add("stack has the caller's test: " + hasFrame(e, ProcessWorkersTest.class));
                    Throwable cause = e.getCause();
                    trail.add("cause " + cause.getClass().getSimpleName() + ": " + cause.getMessage().replace(
                            String.valueOf(pid), "<pid>"));
                    trail.add("cause has the worker's main: " + hasFrame(cause, ProcessWorkerMain.class));
                }
                try {
                    Workers.runInProcess(pool, () -> {
                        throw new IllegalStateException("wrapped", new java.io.IOException("disk"));
                    });
                } catch (IllegalStateException e) {
                    trail.add("own cause kept: " + e.getCause().getMessage() + ", worker's frames suppressed: "
                            + (e.getSuppressed()[0] instanceof RemoteTraceback r && hasFrame(r, ProcessWorkerMain.class)));
                }
            });
            assertThat(trail.events()).containsExactly(
                    "caught bad input 42",
                    "stack starts at dev.curio.workers.Workers.runInProcess",
                    "stack has the worker's main: false",
                    "stack has the caller's test: true",
                    "cause RemoteTraceback: thrown in worker process <pid>: java.lang.IllegalStateException: bad input 42",
                    "cause has the worker's main: true",
                    "own cause kept: disk, worker's frames suppressed: true");
        }
    }

    private static boolean hasFrame(Throwable t, Class<?> type) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals(type.getName())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aCrashingWorkerBecomesAnErrorAndIsReplaced() {
        try (ProcessWorkers pool = new ProcessWorkers(1)) {
            Trail trail = new Trail();
            Curio.run(() -> {
                try {
                    Workers.runInProcess(pool, () -> {
                        Runtime.getRuntime().halt(7);
                        return null;
                    });
                } catch (WorkerProcessError e) {
                    trail.add(e.getMessage().replaceAll("worker \\d+", "worker N"));
                }
                trail.add("replacement answers " + Workers.runInProcess(pool, () -> 1 + 1));
            });
            assertThat(trail.events()).containsExactly("worker N exited with code 7", "replacement answers 2");
            assertThat(pool.startedProcesses()).isEqualTo(2);
        }
    }

    @Test
    void aWorkerSendingGarbageBecomesAnError() {
        try (ProcessWorkers pool = new ProcessWorkers(1)) {
            Trail trail = new Trail();
            Curio.run(() -> {
                try {
                    Workers.runInProcess(pool, () -> {
                        var out = new FileOutputStream(FileDescriptor.out);
                        out.write(new byte[] {0, 0, 0, 12, 'n', 'o', 't', ' ', 'a', ' ', 'f', 'r', 'a', 'm', 'e', '!'});
                        out.flush();
                        Thread.sleep(60_000);
                        return null;
                    });
                } catch (WorkerProcessError e) {
                    trail.add("garbage: " + e.getMessage().contains("sent garbage"));
                }
                trail.add("replacement answers " + Workers.runInProcess(pool, () -> 3));
            });
            assertThat(trail.events()).containsExactly("garbage: true", "replacement answers 3");
        }
    }

    @Test
    void cancellingACallTerminatesItsWorkerAndThePoolReplacesIt() throws Exception {
        try (ProcessWorkers pool = new ProcessWorkers(1)) {
            Trail trail = new Trail();
            Path started = tmp.resolve("started");
            long[] pids = new long[2];
            String startedPath = started.toString();
            Curio.run(() -> {
                Task<?> caller = Curio.spawn(() -> {
                    try {
                        Workers.runInProcess(pool, () -> {
                            // Written whole, then renamed: the parent never reads a half-written pid.
                            Path tmp = Files.writeString(Path.of(startedPath + ".tmp"),
                                    Long.toString(ProcessHandle.current().pid()));
                            Files.move(tmp, Path.of(startedPath), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                            Thread.sleep(3_600_000);
                            return null;
                        });
                    } catch (TaskCancelled e) {
                        trail.add("caller cancelled");
                        throw e;
                    }
                });
                while (!Files.exists(started)) {
                    Curio.sleep(0.005); // the worker is a separate process: poll its side effect
                }
                pids[0] = Long.parseLong(Files.readString(started));
                caller.cancel();
                pids[1] = Workers.runInProcess(pool, Fib::pid);
            });
            ProcessHandle old = ProcessHandle.of(pids[0]).orElse(null);
            if (old != null) {
                old.onExit().get(30, TimeUnit.SECONDS);
            }
            assertThat(trail.events()).containsExactly("caller cancelled");
            assertThat(pids[1]).isNotEqualTo(pids[0]);
            assertThat(ProcessHandle.of(pids[0]).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }

    // The tutorial's fib offload: the kernel keeps running other tasks while a worker computes.
    @Test
    void theKernelStaysResponsiveWhileFibRunsInAWorker() {
        Path marker = tmp.resolve("ticked");
        Trail trail = new Trail();
        try (ProcessWorkers pool = new ProcessWorkers(1)) {
            Curio.run(() -> {
                Task<?> ticker = Curio.spawn("ticker", () -> {
                    for (int i = 1; i <= 5; i++) {
                        Curio.sleep(0.01);
                        trail.add("tick " + i);
                    }
                    Files.writeString(marker, "done");
                });
                Object r = Workers.runInProcess(Fib.class, "fibAfter", marker.toString(), 35);
                trail.add("fib(35) = " + r);
                ticker.join();
            });
        }
        assertThat(trail.events()).containsExactly("tick 1", "tick 2", "tick 3", "tick 4", "tick 5", "fib(35) = 9227465");
    }

    @Test
    void workersEndWithTheirPoolAndWithTheKernel() throws Exception {
        ProcessWorkers[] pool = new ProcessWorkers[1];
        long pid;
        try (Kernel k = new Kernel()) {
            pid = k.run(() -> {
                pool[0] = Workers.processPool(Kernel.current());
                return Workers.runInProcess(Fib::pid);
            });
        }
        ProcessHandle h = ProcessHandle.of(pid).orElse(null);
        if (h != null) {
            h.onExit().get(30, TimeUnit.SECONDS);
        }
        assertThat(pool[0].liveProcesses()).isZero();
    }

    @Test
    void aCallableThatCannotTravelIsRefusedWithTheReason() {
        try (ProcessWorkers pool = new ProcessWorkers(1)) {
            Path notSerializable = tmp;
            assertThatThrownBy(() -> Curio.run(() -> Workers.runInProcess(pool, () -> notSerializable.toString())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not serializable");
        }
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> new ProcessWorkers(0)).hasMessageContaining("maxProcesses");
        assertThatThrownBy(() -> Curio.run(() -> Workers.runInProcess((SerializableCallable<Object>) null)))
                .hasMessageContaining("work");
    }

    @Test
    void workersDieWithAKilledParent() throws Exception {
        Path pidFile = tmp.resolve("worker.pid");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process parent = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OrphanParent.class.getName(), pidFile.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            while (!Files.exists(pidFile)) {
                if (!parent.isAlive()) {
                    throw new AssertionError("parent exited early with " + parent.exitValue());
                }
                Thread.onSpinWait(); // the parent is a separate process: poll its side effect
            }
            long workerPid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle worker = ProcessHandle.of(workerPid).orElseThrow();
            parent.destroyForcibly(); // SIGKILL: no shutdown hook runs in the parent
            worker.onExit().get(60, TimeUnit.SECONDS);
            assertThat(worker.isAlive()).isFalse();
        } finally {
            parent.destroyForcibly();
        }
    }

    /** A parent JVM whose worker computes forever; the test kills this parent. */
    public static final class OrphanParent {
        public static void main(String[] args) throws Exception {
            String pidFile = args[0]; // a String: Path is not serializable
            Curio.run(() -> Workers.runInProcess(() -> {
                Path tmp = Files.writeString(Path.of(pidFile + ".tmp"), Long.toString(ProcessHandle.current().pid()));
                Files.move(tmp, Path.of(pidFile), java.nio.file.StandardCopyOption.ATOMIC_MOVE); // never half-written
                Thread.sleep(3_600_000);
                return null;
            }));
        }
    }

}
