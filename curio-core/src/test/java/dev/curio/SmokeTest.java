package dev.curio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void spawnSleepJoin() {
        Trail trail = new Trail();
        int r = TestKernels.run(() -> {
            var t = Curio.spawn("child", () -> {
                trail.add("child start");
                Curio.sleep(1.0);
                trail.add("child done");
                return 42;
            });
            trail.add("parent waits");
            int v = t.join();
            trail.add("joined " + v);
            return v;
        });
        assertThat(r).isEqualTo(42);
        assertThat(trail.events()).containsExactly("parent waits", "child start", "child done", "joined 42");
    }

    @Test
    void realClockSleep() {
        long t = Curio.run(() -> {
            Curio.sleep(0.01);
            return Curio.clock();
        });
        assertThat(t).isPositive();
    }
}
