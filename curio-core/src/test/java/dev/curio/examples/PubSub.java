package dev.curio.examples;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.queue.TaskQueue;
import dev.curio.task.TaskGroup;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The tutorial's publish/subscribe dispatcher ("Intertask Communication"): a dispatcher copies
 * each published message to every subscriber's queue; subscribers loop over their queue
 * ({@code async for msg in queue}) until the group's {@code cancelRemaining()} ends them.
 * (The tutorial's code fails on Curio 1.6 itself, whose queues have no {@code __aiter__};
 * iteration here is the tutorial's intent: each step a get.)
 */
public final class PubSub {

    final TaskQueue<Integer> messages = new TaskQueue<>();
    final Set<TaskQueue<Integer>> subscribers = new LinkedHashSet<>();
    private final Consumer<String> out;

    public PubSub(Consumer<String> out) {
        this.out = out;
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
                out.accept(name + " got " + msg);
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

    /** The tutorial's main: three subscribers, one producer of {@code count} messages. */
    public void main(int count) {
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

    /** Subscribers left (none after a run). */
    public int subscriberCount() {
        return subscribers.size();
    }

    /** Tasks waiting for a message (none after a run). */
    public int dispatcherWaiting() {
        return messages.getWaiting();
    }

    public static void main(String[] args) {
        Curio.run(Kernel.builder(), () -> {
            new PubSub(System.out::println).main(10);
            return null;
        });
    }
}
