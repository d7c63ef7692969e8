package dev.curio.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TaskCancelled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Many tasks: spawn, sleep, cancel all; nothing (task, deadline, thread) is left behind. */
class ManyTasksTest {

    @ParameterizedTest
    @ValueSource(ints = {10_000, 100_000})
    void spawnSleepCancelAllLeavesNothingBehind(int n) throws InterruptedException {
        List<Task<?>> spawned = new ArrayList<>(n);
        AtomicInteger cancelled = new AtomicInteger();
        try (Kernel kernel = Kernel.builder().build()) {
            int[] during = kernel.run(() -> {
                for (int i = 0; i < n; i++) {
                    spawned.add(Curio.spawn(() -> {
                        try {
                            Curio.sleep(3600);
                        } catch (TaskCancelled e) {
                            cancelled.incrementAndGet();
                            throw e;
                        }
                    }));
                }
                Curio.sleep(0); // let every task start and go to sleep
                int sleeping = (int) spawned.stream().filter(t -> t.state().equals("TIME_SLEEP")).count();
                int deadlines = kernel.pendingDeadlines();
                for (Task<?> t : spawned) {
                    t.cancel(false);
                }
                for (Task<?> t : spawned) {
                    t.await();
                }
                return new int[] {sleeping, deadlines, kernel.taskCount(), kernel.pendingDeadlines()};
            });
            assertThat(during[0]).as("tasks asleep before the cancel").isEqualTo(n);
            assertThat(during[1]).as("deadlines while asleep").isEqualTo(n);
            assertThat(during[2]).as("tasks left after cancelling (main only)").isEqualTo(1);
            assertThat(during[3]).as("deadlines left after cancelling").isZero();
            assertThat(kernel.taskCount()).isZero();
        }
        assertThat(cancelled.get()).isEqualTo(n);
        for (Task<?> t : spawned) {
            assertThat(t.cancelled()).isTrue();
            assertThat(t.terminated()).isTrue();
            t.thread.join(); // every task's virtual thread ends
        }
    }
}
