package dev.curio.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskCancelled;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.io.PartialIo;
import dev.curio.kernel.Task;
import dev.curio.sync.Event;
import dev.curio.workers.Workers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subprocesses, ported from Curio 1.6's {@code tests/test_subprocess.py}. Curio's Python children
 * become small shell scripts. Where Curio waits a while before cancelling, the child here says
 * when it got to the point of interest by writing to a FIFO that the test reads in a worker
 * thread, so nothing depends on timing.
 */
class SubprocessTest {

    static final List<String> COUNTDOWN = sh("for i in 4 3 2 1; do echo \"t-minus $i\"; done");
    static final String COUNTDOWN_OUT = "t-minus 4\nt-minus 3\nt-minus 2\nt-minus 1\n";
    /** Counts the lines of its stdin (Curio's ichild.py). */
    static final List<String> LINE_COUNTER = sh("n=0; while read l; do n=$((n+1)); done; echo $n");

    @TempDir
    Path dir;

    static List<String> sh(String script, String... args) {
        List<String> l = new java.util.ArrayList<>(List.of("sh", "-c", script, "sh"));
        l.addAll(List.of(args));
        return l;
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    Path fifo() throws Exception {
        Path f = dir.resolve("ready-" + System.nanoTime());
        assertThat(new ProcessBuilder("mkfifo", f.toString()).start().waitFor()).isZero();
        return f;
    }

    /** Waits, off the kernel, for the child to write its "ready" line to {@code fifo}. */
    static String awaitReady(Path fifo) throws IOException {
        return Workers.runInThread(() -> Files.readString(fifo).strip());
    }

    // Ports test_simple.
    @Test
    void simple() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            CompletedProcess out = Subprocess.run(COUNTDOWN, RunOptions.defaults().stdout(Stdio.PIPE));
            trail.add(text(out.stdout()));
            trail.add(out.returncode());
            trail.add("stderr " + out.stderr().length);
        });
        assertThat(trail.events()).containsExactly(COUNTDOWN_OUT, "0", "stderr 0");
    }

    // Ports test_simple_check_output.
    @Test
    void simpleCheckOutput() {
        String out = TestKernels.run(() -> text(Subprocess.checkOutput(COUNTDOWN)));
        assertThat(out).isEqualTo(COUNTDOWN_OUT);
    }

    // Ports test_bad_cmd: check turns a non-zero status into CalledProcessError with the output.
    @Test
    void badCommand() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try {
                Subprocess.run(sh("echo partial; echo oops >&2; exit 3"),
                        RunOptions.defaults().captureOutput().check(true));
                trail.add("what?");
            } catch (CalledProcessError e) {
                trail.add("bad command " + e.returncode() + " " + e.args().get(0));
                trail.add(text(e.output()) + text(e.stderr()));
            }
            CompletedProcess unchecked = Subprocess.run(sh("exit 3"));
            trail.add("unchecked " + unchecked.returncode());
        });
        assertThat(trail.events()).containsExactly("bad command 3 sh", "partial\noops\n", "unchecked 3");
    }

    // Ports test_bad_cmd_check_output: stderr joins stdout.
    @Test
    void badCommandCheckOutput() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try {
                Subprocess.checkOutput(sh("echo oops >&2; exit 1"), RunOptions.defaults().stderr(Stdio.STDOUT));
                trail.add("what?");
            } catch (CalledProcessError e) {
                trail.add("bad command: " + text(e.output()));
            }
        });
        assertThat(trail.events()).containsExactly("bad command: oops\n");
    }

    // Ports test_timeout: cancelling run kills the process; the cancellation carries all the
    // output the process produced before it was killed.
    @Test
    void cancelledRunKillsAndReportsOutput() throws Exception {
        Path ready = fifo();
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<CompletedProcess> t = Curio.spawn(() -> {
                try {
                    return Subprocess.run(sh("echo 't-minus 4'; echo ready > \"$1\"; exec sleep 600", ready.toString()),
                            RunOptions.defaults().captureOutput());
                } catch (TaskCancelled e) {
                    trail.add("cancelled");
                    trail.add(text(ProcessOutput.of(e).stdout()));
                    trail.add("stderr " + ProcessOutput.of(e).stderr().length);
                    throw e;
                }
            });
            trail.add(awaitReady(ready));
            t.cancel();
            trail.add(t.exception().getClass().getSimpleName());
        });
        assertThat(trail.events()).containsExactly("ready", "cancelled", "t-minus 4\n", "stderr 0", "TaskCancelled");
    }

    // A timeout cancels run the same way (the kernel's timeouts raise TaskTimeout). On the real
    // clock: a manual clock with autojump would expire the timeout as soon as the kernel is idle,
    // possibly before the child has even started. What the child wrote before it was killed (any
    // prefix of its output, on a loaded machine) is reported with the timeout.
    @Test
    void timedOutRun() throws Exception {
        Trail trail = new Trail();
        Curio.run(() -> {
            try {
                Curio.timeoutAfter(java.time.Duration.ofSeconds(1), () -> Subprocess.run(
                        sh("echo out; echo err >&2; exec sleep 600"), RunOptions.defaults().captureOutput()));
                trail.add("what?");
            } catch (dev.curio.TaskTimeout e) {
                trail.add("timeout " + text(ProcessOutput.of(e).stdout()) + text(ProcessOutput.of(e).stderr()));
            }
            return null;
        });
        assertThat(trail.events()).hasSize(1);
        assertThat(trail.events().get(0)).matches("timeout (out\\n)?(err\\n)?");
    }

    // Ports test_stdin_pipe and test_check_output_stdin: input is fed to stdin, which is closed.
    @Test
    void checkOutputWithInput() {
        String out = TestKernels.run(() -> text(Subprocess.checkOutput(LINE_COUNTER, bytes("Line1\nLine2\nLine3\n"))));
        assertThat(out).isEqualTo("3\n");
    }

    // Ports test_no_input_cancel: a cancelled communicate leaves the process running; with no
    // pipes for output, the cancellation carries empty output.
    @Test
    void cancelledCommunicateLeavesProcessRunning() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Popen p = Popen.start(List.of("sleep", "600"), Stdio.PIPE, Stdio.INHERIT, Stdio.INHERIT);
            Event started = new Event();
            Task<?> t = Curio.spawn(() -> {
                started.set();
                try {
                    p.communicate(new byte[10_000_000]);
                    trail.add("what?");
                } catch (CancelledError e) {
                    trail.add("cancelled, stdout " + ProcessOutput.of(e).stdout().length
                            + ", stderr " + ProcessOutput.of(e).stderr().length);
                    throw e;
                }
            });
            started.await();
            t.cancel();
            trail.add("alive " + (p.poll() == null));
            p.kill();
            trail.add("killed " + p.waitFor());
            p.close();
        });
        assertThat(trail.events()).containsExactly("cancelled, stdout 0, stderr 0", "alive true", "killed 137");
    }

    // A cancelled communicate loses nothing: what it had not read is still in the stream.
    @Test
    void cancelledCommunicateLosesNothing() throws Exception {
        Path ready = fifo();
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Popen p = Popen.start(sh("echo first; echo second >&2; echo ready > \"$1\"; exec sleep 600", ready.toString()),
                    Stdio.DEVNULL, Stdio.PIPE, Stdio.PIPE);
            Task<Popen.Output> t = Curio.spawn(() -> p.communicate());
            trail.add(awaitReady(ready));
            t.cancel();
            ProcessOutput partial = ProcessOutput.of(t.exception());
            trail.add("alive " + (p.poll() == null));
            p.kill();
            trail.add(text(partial.stdout()) + text(p.stdout().readall()));
            trail.add(text(partial.stderr()) + text(p.stderr().readall()));
            p.close();
        });
        assertThat(trail.events()).containsExactly("ready", "alive true", "first\n", "second\n");
    }

    // Killing a process keeps what it wrote and nobody read yet (the JDK's Process.destroy would
    // close the pipes and drop it: this lost "t-minus 4" in about one run out of ten before the
    // fix, so it is repeated).
    @RepeatedTest(20)
    void killKeepsUnreadOutput() throws Exception {
        Path ready = fifo();
        String out = TestKernels.run(() -> {
            Popen p = Popen.start(sh("echo 't-minus 4'; echo ready > \"$1\"; exec sleep 600", ready.toString()),
                    Stdio.DEVNULL, Stdio.PIPE, Stdio.INHERIT);
            awaitReady(ready);
            p.kill();
            String all = text(p.stdout().readall());
            p.close();
            return all;
        });
        assertThat(out).isEqualTo("t-minus 4\n");
    }

    // Ports test_popen_join: waitFor gives the status; cancelling it leaves the process alone.
    @Test
    void popenWait() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Popen p = Popen.start(sh("exit 7"), Stdio.DEVNULL, Stdio.DEVNULL, Stdio.DEVNULL);
            trail.add("code " + p.waitFor());
            trail.add("returncode " + p.returncode());
            Popen q = Popen.start(List.of("sleep", "600"), Stdio.DEVNULL, Stdio.DEVNULL, Stdio.DEVNULL);
            Task<Integer> waiter = Curio.spawn(q::waitFor);
            Curio.sleep(0);
            waiter.cancel();
            trail.add(waiter.exception().getClass().getSimpleName() + ", alive " + (q.poll() == null));
            q.terminate();
            trail.add("terminated " + q.waitFor());
        });
        assertThat(trail.events()).containsExactly("code 7", "returncode 7", "TaskCancelled, alive true",
                "terminated 143");
    }

    // Ports test_io_error: the child closes its stdin; feeding it input fails with a broken
    // pipe, and the process is killed.
    @Test
    void brokenPipe() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try {
                Subprocess.checkOutput(sh("exec 0<&-; exec sleep 600"), new byte[10_000_000]);
                trail.add("what?");
            } catch (IOException e) {
                trail.add("IOException: " + e.getMessage());
            }
        });
        assertThat(trail.events()).containsExactly("IOException: Broken pipe");
    }

    // The manual's "read streaming output of a long-running command": each line is read while
    // the command runs. The command prints a line, then waits for the test's answer before the
    // next, so the test would hang if output only came at the end.
    @Test
    void streamingOutputOfALongRunningCommand() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (Popen p = Popen.start(sh("for i in 1 2 3; do echo \"reply $i\"; read x || exit 1; done"),
                    Stdio.PIPE, Stdio.PIPE, Stdio.INHERIT)) {
                for (byte[] line : p.stdout()) {
                    trail.add("Got: " + text(line).strip());
                    p.stdin().write(bytes("next\n"));
                }
                trail.add("exit " + p.waitFor());
            }
        });
        assertThat(trail.events()).containsExactly("Got: reply 1", "Got: reply 2", "Got: reply 3", "exit 0");
    }

    // Line iteration over a running process's output, with stderr on its own stream.
    @Test
    void communicateBothStreams() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Popen p = Popen.start(sh("cat; echo done >&2"), Stdio.PIPE, Stdio.PIPE, Stdio.PIPE);
            Popen.Output o = p.communicate(bytes("echoed\n"));
            trail.add(text(o.stdout()) + text(o.stderr()));
            trail.add("exit " + p.waitFor());
            p.close();
        });
        assertThat(trail.events()).containsExactly("echoed\ndone\n", "exit 0");
    }

    // Bad arguments name what is wrong.
    @Test
    void badArguments() {
        TestKernels.run(() -> {
            assertThatThrownBy(() -> Popen.start(List.of())).hasMessageContaining("args");
            assertThatThrownBy(() -> Subprocess.run(null)).hasMessageContaining("args");
            assertThatThrownBy(() -> Popen.start(List.of("true"), Stdio.STDOUT, Stdio.PIPE, Stdio.PIPE))
                    .hasMessageContaining("stdin cannot be STDOUT");
            assertThatThrownBy(() -> Popen.start(List.of("true"), Stdio.PIPE, Stdio.STDOUT, Stdio.PIPE))
                    .hasMessageContaining("stdout cannot be STDOUT");
            assertThatThrownBy(() -> Popen.start(List.of("/no/such/program"))).isInstanceOf(IOException.class);
            Popen p = Popen.start(List.of("true"), Stdio.DEVNULL, Stdio.DEVNULL, Stdio.DEVNULL);
            assertThatThrownBy(() -> p.communicate(bytes("x"))).hasMessageContaining("stdin is not a pipe");
            p.close();
            assertThatThrownBy(() -> PartialIo.of(new RuntimeException())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ProcessOutput.of(new RuntimeException())).hasMessageContaining("no process output");
        });
    }
}
