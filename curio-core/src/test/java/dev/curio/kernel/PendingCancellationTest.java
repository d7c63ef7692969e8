package dev.curio.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.Trail;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A pending cancellation is never lost to a timeout that expires while delivery is disabled. */
class PendingCancellationTest {

    // Divergence from Curio 1.6, which overwrites the pending TaskCancelled with the TaskTimeout
    // and then discards that at the scope's exit: the task would never learn it was cancelled.
    @Test
    void aTimeoutExpiringWhileCancellationIsDisabledDoesNotReplaceAPendingCancel() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<?> t = Curio.spawn("worker", () -> {
                Curio.disableCancellation(() -> {
                    Curio.sleep(1);
                    trail.add("pending after first sleep: " + Curio.checkCancellation().getClass().getSimpleName());
                    boolean expired = Curio.ignoreAfter(Duration.ofSeconds(1), () -> {
                        Curio.sleep(5);
                    });
                    trail.add("inner scope expired: " + expired);
                    trail.add("still pending: " + Curio.checkCancellation().getClass().getSimpleName());
                });
                try {
                    Curio.sleep(10);
                    trail.add("never cancelled");
                } catch (CancelledError e) {
                    trail.add("delivered " + e.getClass().getSimpleName());
                    throw e;
                }
            });
            Curio.sleep(0.5);
            t.cancel();
            trail.add("worker cancelled: " + t.cancelled());
        });
        assertThat(trail.events()).containsExactly(
                "pending after first sleep: TaskCancelled",
                "inner scope expired: false",
                "still pending: TaskCancelled",
                "delivered TaskCancelled",
                "worker cancelled: true");
    }
}
