package dev.curio.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.AsyncOnlyError;
import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Task;
import dev.curio.task.TaskGroup.Wait;
import org.junit.jupiter.api.Test;

/**
 * Task-local storage (Curio tutorial, "Task Local Storage"): values are inherited by a child at
 * spawn, siblings are isolated, a child's changes are not seen by its parent. Curio 1.6 itself has
 * no {@code Local} any more; the orderings were checked against its {@code ContextTask}
 * (a {@code contextvars} context copied from the parent at spawn), which has these semantics.
 */
class LocalTest {

    // Ports test_task.py's test_contextvars: two tasks count down the same local in turns.
    @Test
    void eachTaskHasItsOwnValue() {
        Trail trail = new Trail();
        Local<Integer> x = Local.withInitial(() -> 0);
        TestKernels.run(() -> {
            TaskGroup.run(Wait.ALL, g -> {
                for (int n : new int[] {3, 6}) {
                    g.spawn(() -> {
                        x.set(n);
                        while (x.get() > 0) {
                            trail.add(x.get());
                            x.set(x.get() - 1);
                            Curio.sleep(0);
                        }
                    });
                }
            });
        });
        assertThat(trail.events()).containsExactly("3", "6", "2", "5", "1", "4", "3", "2", "1");
    }

    // After the tutorial's "inherited" rule; ordering checked against Curio 1.6 with ContextTask:
    // a child starts with the parent's value at spawn time (not a later one), siblings are
    // isolated, and the children's changes stay invisible to the parent.
    @Test
    void inheritedAtSpawnIsolatedAfterwards() {
        Trail trail = new Trail();
        Local<String> x = Local.withInitial(() -> "initial");
        TestKernels.run(() -> {
            x.set("parent value");
            Task<Void> t1 = Curio.spawn(child(trail, x, 1));
            x.set("parent changed after spawn");
            Task<Void> t2 = Curio.spawn(child(trail, x, 2));
            trail.add("parent sees " + x.get());
            t1.join();
            t2.join();
            trail.add("parent after joins sees " + x.get());
        });
        assertThat(trail.events()).containsExactly(
                "parent sees parent changed after spawn",
                "child 1 sees parent value",
                "child 2 sees parent changed after spawn",
                "child 1 keeps child 1 value",
                "child 2 keeps child 2 value",
                "parent after joins sees parent changed after spawn");
        assertThat(x.get()).isEqualTo("initial");
    }

    private static dev.curio.CheckedRunnable child(Trail trail, Local<String> x, int n) {
        return () -> {
            trail.add("child " + n + " sees " + x.get());
            x.set("child " + n + " value");
            Curio.sleep(0);
            trail.add("child " + n + " keeps " + x.get());
        };
    }

    // After the tutorial's example, where publish() runs in a child of chat_handler() and logs
    // the handler's address: the value reaches grandchildren too, and a child that sets nothing
    // reads its parent's value.
    @Test
    void inheritedAcrossGenerations() {
        Trail trail = new Trail();
        Local<String> address = new Local<>();
        TestKernels.run(() -> {
            Task<Void> handler = Curio.spawn(() -> {
                address.set("10.0.0.7");
                Curio.spawn(() -> {
                    Curio.spawn(() -> trail.add("grandchild logs " + address.get())).join();
                    trail.add("child logs " + address.get());
                }).join();
            });
            handler.join();
            trail.add("main logs " + address.get());
        });
        assertThat(trail.events()).containsExactly(
                "grandchild logs 10.0.0.7", "child logs 10.0.0.7", "main logs null");
    }

    // Java-only API: remove() returns the task to the initial value without touching its
    // parent; isSet() tells an own or inherited value from the initial one.
    @Test
    void removeAndIsSet() {
        Trail trail = new Trail();
        Local<String> x = Local.withInitial(() -> "initial");
        TestKernels.run(() -> {
            trail.add("main isSet " + x.isSet());
            x.set("main value");
            Curio.spawn(() -> {
                trail.add("child isSet " + x.isSet() + " " + x.get());
                x.remove();
                trail.add("child after remove isSet " + x.isSet() + " " + x.get());
            }).join();
            trail.add("main isSet " + x.isSet() + " " + x.get());
        });
        assertThat(trail.events()).containsExactly(
                "main isSet false",
                "child isSet true main value",
                "child after remove isSet false initial",
                "main isSet true main value");
    }

    // Tutorial: reading a local needs no await, so synchronous code outside any task may call
    // get() and receives the initial value; setting needs a task.
    @Test
    void outsideATaskGetGivesTheInitialValue() {
        Local<String> x = Local.withInitial(() -> "initial");
        Local<String> plain = new Local<>();
        assertThat(x.get()).isEqualTo("initial");
        assertThat(plain.get()).isNull();
        assertThat(x.isSet()).isFalse();
        assertThatThrownBy(() -> x.set("v")).isInstanceOf(AsyncOnlyError.class).hasMessageContaining("Local.set");
        assertThatThrownBy(x::remove).isInstanceOf(AsyncOnlyError.class).hasMessageContaining("Local.remove");
        assertThatThrownBy(() -> Local.withInitial(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial");
    }
}
