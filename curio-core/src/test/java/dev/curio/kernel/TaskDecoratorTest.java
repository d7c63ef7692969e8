package dev.curio.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.Trail;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** A task decorator carries the parent's thread-bound context into every child, on the child's thread. */
class TaskDecoratorTest {

    static final ThreadLocal<String> REQUEST = new ThreadLocal<>();

    /** Captures REQUEST on the spawning thread and restores it around the child's body. */
    static final TaskDecorator PROPAGATE = new TaskDecorator() {
        @Override
        public <T> Callable<T> decorate(Callable<T> body) {
            String captured = REQUEST.get();
            return () -> {
                REQUEST.set(captured);
                try {
                    return body.call();
                } finally {
                    REQUEST.remove();
                }
            };
        }
    };

    @Test
    void childrenAndGrandchildrenSeeTheSpawnersContext() {
        Trail trail = new Trail();
        Curio.run(TestKernels.autojump().taskDecorator(PROPAGATE), () -> {
            REQUEST.set("req-1");
            Curio.spawn("child", () -> {
                trail.add("child sees " + REQUEST.get());
                REQUEST.set("req-2");
                Curio.spawn("grandchild", () -> trail.add("grandchild sees " + REQUEST.get())).join();
            }).join();
            trail.add("main still has " + REQUEST.get());
            return null;
        });
        assertThat(trail.events()).containsExactly("child sees req-1", "grandchild sees req-2", "main still has req-1");
    }

    @Test
    void kernelMachineryIsMarkedAsSystem() {
        Trail trail = new Trail();
        try (Kernel k = TestKernels.autojump().activations(new Activation() {
            @Override
            public void created(Task<?> task) {
                trail.add(task.name() + " system=" + task.system());
            }
        }).build()) {
            k.run("main", () -> Curio.spawn("child", () -> Curio.sleep(1)));
        }
        assertThat(trail.events()).containsExactly("main system=false", "child system=false",
                "kernel-shutdown system=true");
    }
}
