package dev.curio.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.sync.Event;
import org.junit.jupiter.api.Test;

/** where() names the user's line, not a frame of the library the task is blocked in. */
class WhereTest {

    static void waitForIt(Event e) {
        e.await();
    }

    @Test
    void aTaskWaitingOnAnEventIsWhereItsCodeCalledAwait() {
        TestKernels.run(() -> {
            Event e = new Event();
            Task<?> t = Curio.spawn("waiter", () -> waitForIt(e));
            Curio.sleep(0);
            StackTraceElement where = t.where();
            assertThat(where.getClassName()).isEqualTo(WhereTest.class.getName());
            assertThat(where.getMethodName()).isEqualTo("waitForIt");
            e.set();
            t.join();
        });
    }
}
