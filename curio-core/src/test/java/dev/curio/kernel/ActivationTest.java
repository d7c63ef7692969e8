package dev.curio.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.Trail;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Scheduler activations, ported from Curio 1.6's {@code tests/test_activation.py}: every call
 * point (activate, created, running, suspended with its trap, terminated), in the exact order the
 * kernel makes them. Orderings beyond Curio's own three tests were checked against Curio 1.6.
 *
 * <p>Deliberate differences from Curio, asserted here: our kernel has no in-kernel helper task
 * (Curio's {@code _kernel_task}), its shutdown task is named {@code kernel-shutdown}, and the
 * cycle in which a task finishes is reported with a null trap even if that cycle made a
 * non-blocking trap (Curio reports the last trap of the cycle, e.g. {@code trap_spawn}).
 */
class ActivationTest {

    /** Records the call points for the tasks whose names are watched (Curio's _TestActivation). */
    static final class Recorder implements Activation {
        final Trail trail;
        private final Set<String> watched;

        Recorder(Trail trail, String... watched) {
            this.trail = trail;
            this.watched = Set.of(watched);
        }

        @Override
        public void activate(Kernel kernel) {
            trail.add("activate");
        }

        @Override
        public void created(Task<?> task) {
            if (watched.contains(task.name())) {
                trail.add("created " + task.name() + " state=" + task.state());
            }
        }

        @Override
        public void running(Task<?> task) {
            if (watched.contains(task.name())) {
                trail.add("running " + task.name() + " state=" + task.state() + " cycles=" + task.cycles());
            }
        }

        @Override
        public void suspended(Task<?> task, Trap trap) {
            if (watched.contains(task.name())) {
                trail.add("suspended " + task.name() + " trap=" + trapName(trap) + " state=" + task.state());
            }
        }

        @Override
        public void terminated(Task<?> task) {
            if (watched.contains(task.name())) {
                trail.add("terminated " + task.name() + " state=" + task.state());
            }
        }

        private static String trapName(Trap trap) {
            return switch (trap) {
                case null -> "null";
                case Trap.SchedWait w -> "SchedWait(" + w.state() + ")";
                default -> trap.getClass().getSimpleName();
            };
        }
    }

    // Ports test_activation_base: three sleeps, so four cycles; the last ends with termination.
    @Test
    void callPointsInOrder() {
        Trail trail = new Trail();
        try (Kernel k = TestKernels.autojump().activations(new Recorder(trail, "main")).build()) {
            k.run("main", () -> {
                Curio.sleep(0.01);
                Curio.sleep(0.01);
                Curio.sleep(0.01);
                return null;
            });
        }
        assertThat(trail.events()).containsExactly(
                "activate",
                "created main state=READY",
                "running main state=READY cycles=0", "suspended main trap=Sleep state=TIME_SLEEP",
                "running main state=READY cycles=1", "suspended main trap=Sleep state=TIME_SLEEP",
                "running main state=READY cycles=2", "suspended main trap=Sleep state=TIME_SLEEP",
                "running main state=READY cycles=3", "suspended main trap=null state=TERMINATED",
                "terminated main state=TERMINATED");
    }

    // Ports test_activation_crash: a task that fails is suspended and terminated like any other,
    // before run() raises its exception; the kernel is shut down afterwards.
    @Test
    void crashingTask() {
        Trail trail = new Trail();
        Kernel k = TestKernels.autojump().activations(new Recorder(trail, "main")).build();
        try {
            assertThatThrownBy(() -> k.run("main", () -> {
                Curio.sleep(0.01);
                throw new IllegalArgumentException("Dead");
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("Dead");
            trail.add("run raised");
        } finally {
            k.close();
        }
        assertThat(k.isShutDown()).isTrue();
        assertThat(trail.events()).containsExactly(
                "activate",
                "created main state=READY",
                "running main state=READY cycles=0", "suspended main trap=Sleep state=TIME_SLEEP",
                "running main state=READY cycles=1", "suspended main trap=null state=TERMINATED",
                "terminated main state=TERMINATED",
                "run raised");
    }

    // Ports test_activation_count: every task is reported as created. Curio counts three (main,
    // its in-kernel _kernel_task, _shutdown_tasks); ours has no in-kernel task, so two.
    @Test
    void everyTaskIsCreatedOnce() {
        Trail trail = new Trail();
        Activation a = new Activation() {
            @Override
            public void created(Task<?> task) {
                trail.add(task.name());
            }
        };
        try (Kernel k = TestKernels.autojump().activations(a).build()) {
            k.run("main", () -> Curio.sleep(0.001));
        }
        assertThat(trail.events()).containsExactly("main", "kernel-shutdown");
    }

    // Not in test_activation.py; checked against Curio 1.6: created is called inside spawn, in the
    // parent's cycle; a blocking trap is given to suspended; a child's terminated comes before the
    // joining parent runs again.
    @Test
    void childCallPointsInterleaveWithTheParent() {
        Trail trail = new Trail();
        try (Kernel k = TestKernels.autojump().activations(new Recorder(trail, "main", "child")).build()) {
            k.run("main", () -> {
                trail.add("main body");
                Task<Integer> t = Curio.spawn("child", () -> {
                    trail.add("child body");
                    Curio.sleep(0.01);
                    trail.add("child returns");
                    return 1;
                });
                trail.add("main spawned");
                trail.add("main joined " + t.join());
                return null;
            });
        }
        assertThat(trail.events()).containsExactly(
                "activate",
                "created main state=READY",
                "running main state=READY cycles=0",
                "main body",
                "created child state=READY",
                "main spawned",
                "suspended main trap=SchedWait(TASK_JOIN) state=TASK_JOIN",
                "running child state=READY cycles=0",
                "child body",
                "suspended child trap=Sleep state=TIME_SLEEP",
                "running child state=READY cycles=1",
                "child returns",
                "suspended child trap=null state=TERMINATED",
                "terminated child state=TERMINATED",
                "running main state=READY cycles=1",
                "main joined 1",
                "suspended main trap=null state=TERMINATED",
                "terminated main state=TERMINATED");
    }

    // Not in test_activation.py; checked against Curio 1.6: a task left behind by main is run and
    // cancelled by the shutdown task, whose call points are reported too. As in Curio, main reports the
    // last trap of its final cycle (the spawn); Curio's shutdown task joins one more task (_kernel_task).
    @Test
    void shutdownCallPoints() {
        Trail trail = new Trail();
        try (Kernel k = TestKernels.autojump()
                .activations(new Recorder(trail, "main", "child", "kernel-shutdown")).build()) {
            k.run("main", () -> {
                trail.add("main body");
                Curio.spawn("child", () -> {
                    trail.add("child body");
                    Curio.sleep(0.01);
                    trail.add("child returns");
                });
                trail.add("main returns");
                return null;
            });
        }
        assertThat(trail.events()).containsExactly(
                "activate",
                "created main state=READY",
                "running main state=READY cycles=0",
                "main body",
                "created child state=READY",
                "main returns",
                "suspended main trap=Spawn state=TERMINATED",
                "terminated main state=TERMINATED",
                "created kernel-shutdown state=READY",
                "running child state=READY cycles=0",
                "child body",
                "suspended child trap=Sleep state=TIME_SLEEP",
                "running kernel-shutdown state=READY cycles=0",
                "suspended kernel-shutdown trap=SchedWait(TASK_JOIN) state=TASK_JOIN",
                "running child state=READY cycles=1",
                "suspended child trap=null state=TERMINATED",
                "terminated child state=TERMINATED",
                "running kernel-shutdown state=READY cycles=1",
                "suspended kernel-shutdown trap=null state=TERMINATED",
                "terminated kernel-shutdown state=TERMINATED");
    }

    // Not in test_activation.py; checked against Curio 1.6: activate is called once per kernel,
    // not once per run().
    @Test
    void activateOncePerKernel() {
        Trail trail = new Trail();
        try (Kernel k = TestKernels.autojump().activations(new Recorder(trail, "first", "second")).build()) {
            k.run("first", () -> null);
            k.run("second", () -> null);
        }
        assertThat(trail.events()).containsExactly(
                "activate",
                "created first state=READY", "running first state=READY cycles=0",
                "suspended first trap=null state=TERMINATED", "terminated first state=TERMINATED",
                "created second state=READY", "running second state=READY cycles=0",
                "suspended second trap=null state=TERMINATED", "terminated second state=TERMINATED");
    }

    // Not in test_activation.py; checked against Curio 1.6: activations are called in the order
    // they were added, and at termination each one gets suspended then terminated before the next.
    @Test
    void activationsAreCalledInOrder() {
        Trail trail = new Trail();
        Activation first = new Named(trail, "first");
        Activation second = new Named(trail, "second");
        try (Kernel k = TestKernels.autojump().activations(first, second).build()) {
            k.run("main", () -> {
                Curio.sleep(0);
                return null;
            });
            assertThat(k.activations()).containsExactly(first, second);
        }
        assertThat(trail.events()).containsExactly(
                "first running", "second running", "first suspended", "second suspended",
                "first running", "second running",
                "first suspended", "first terminated", "second suspended", "second terminated");
    }

    /** Records the call points of the main task, under its own name. */
    private record Named(Trail trail, String name) implements Activation {
        @Override
        public void running(Task<?> task) {
            if (task.name().equals("main")) {
                trail.add(name + " running");
            }
        }

        @Override
        public void suspended(Task<?> task, Trap trap) {
            if (task.name().equals("main")) {
                trail.add(name + " suspended");
            }
        }

        @Override
        public void terminated(Task<?> task) {
            if (task.name().equals("main")) {
                trail.add(name + " terminated");
            }
        }
    }
}
