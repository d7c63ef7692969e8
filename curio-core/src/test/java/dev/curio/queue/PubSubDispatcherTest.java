package dev.curio.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.TestKernels;
import dev.curio.examples.PubSub;
import dev.curio.Trail;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tutorial's publish/subscribe dispatcher, the runnable example {@link PubSub}, checked. */
class PubSubDispatcherTest {

    @Test
    void everySubscriberGetsEveryMessageInOrder() {
        Trail trail = new Trail();
        PubSub example = new PubSub(trail::add);
        TestKernels.run(() -> example.main(10));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            for (String child : List.of("child1", "child2", "child3")) {
                expected.add(child + " got " + i);
            }
        }
        assertThat(trail.events()).containsExactlyElementsOf(expected);
        assertThat(example.subscriberCount()).isZero();
        assertThat(example.dispatcherWaiting()).isZero();
    }
}
