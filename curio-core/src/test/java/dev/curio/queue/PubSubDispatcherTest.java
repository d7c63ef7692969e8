package dev.curio.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Task;
import dev.curio.task.TaskGroup;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's publish/subscribe dispatcher ("Intertask Communication"), written as the tutorial
 * writes it: a dispatcher and subscribers that loop over queues ({@code async for msg in queue}),
 * ended by the group's {@code cancelRemaining()}. (The tutorial's code fails on Curio 1.6 itself,
 * whose queues have no {@code __aiter__}; iteration here is the tutorial's intent: each step a get.)
 */
class PubSubDispatcherTest {

    /** The example: state of one run. */
    static final class PubSub {
        final TaskQueue<Integer> messages = new TaskQueue<>();
        final Set<TaskQueue<Integer>> subscribers = new LinkedHashSet<>();
        final Trail trail;

        PubSub(Trail trail) {
            this.trail = trail;
        }

        void dispatcher() {
            for (int msg : messages) {
                for (TaskQueue<Integer> q : List.copyOf(subscribers)) {
                    q.put(msg);
                }
            }
        }

        void publish(int msg) {
            messages.put(msg);
        }

        void subscriber(String name) {
            TaskQueue<Integer> queue = new TaskQueue<>();
            subscribers.add(queue);
            try {
                for (int msg : queue) {
                    trail.add(name + " got " + msg);
                }
            } finally {
                subscribers.remove(queue);
            }
        }

        void producer(int count) {
            for (int i = 0; i < count; i++) {
                publish(i);
                Curio.sleep(0.1);
            }
        }

        void main(int count) {
            try (TaskGroup g = new TaskGroup()) {
                g.spawn(this::dispatcher);
                g.spawn(() -> subscriber("child1"));
                g.spawn(() -> subscriber("child2"));
                g.spawn(() -> subscriber("child3"));
                Task<?> ptask = g.spawn(() -> producer(count));
                ptask.join();
                g.cancelRemaining();
                g.join();
            }
        }
    }

    @Test
    void everySubscriberGetsEveryMessageInOrder() {
        Trail trail = new Trail();
        PubSub example = new PubSub(trail);
        TestKernels.run(() -> example.main(10));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            for (String child : List.of("child1", "child2", "child3")) {
                expected.add(child + " got " + i);
            }
        }
        assertThat(trail.events()).containsExactlyElementsOf(expected);
        assertThat(example.subscribers).isEmpty();
        assertThat(example.messages.getWaiting()).isZero();
    }
}
