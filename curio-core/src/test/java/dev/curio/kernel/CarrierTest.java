package dev.curio.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both carriers of ARCHITECTURE.md §1 are real and selectable. */
class CarrierTest {

    @Test
    void theSuiteRunsOnTheCarrierItWasAskedFor() {
        // The build runs this suite twice: -Dcurio.carrier=owned and -Dcurio.carrier=default.
        String asked = System.getProperty("curio.carrier", "auto");
        try (Kernel k = new Kernel()) {
            if (!asked.equals("auto")) {
                assertThat(k.carrierKind()).isEqualTo(asked);
            }
            assertThat(k.toString()).contains("carrier=" + k.carrierKind());
        }
    }

    @Test
    void ownedCarrierRunsEveryTaskOnTheThreadThatRunsTheKernel() throws Exception {
        List<String> carriers = new ArrayList<>();
        String[] loopThread = new String[1];
        Thread t = Thread.ofPlatform().name("curio-test-carrier").start(() -> {
            loopThread[0] = Thread.currentThread().getName();
            try (Kernel k = Kernel.builder().carrier(CarrierKind.OWNED).build()) {
                k.run(() -> {
                    for (int i = 0; i < 3; i++) {
                        Curio.spawn(() -> {
                            carriers.add(Thread.currentThread().toString());
                            Curio.sleep(0);
                            carriers.add(Thread.currentThread().toString());
                        });
                    }
                    carriers.add(Thread.currentThread().toString());
                    return null;
                });
            }
        });
        t.join();
        assertThat(carriers).hasSize(7).allSatisfy(s -> assertThat(s).endsWith("@" + loopThread[0]));
    }

    @Test
    void defaultCarrierRunsTasksOnTheJdkScheduler() {
        try (Kernel k = Kernel.builder().carrier(CarrierKind.DEFAULT).build()) {
            String where = k.run(() -> Thread.currentThread().toString());
            assertThat(k.carrierKind()).isEqualTo("default");
            assertThat(where).contains("ForkJoinPool");
        }
    }

    @Test
    void invalidCarrierPropertyIsNamedInTheError() {
        String old = System.getProperty("curio.carrier");
        System.setProperty("curio.carrier", "fast");
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(Kernel::builder)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("curio.carrier")
                    .hasMessageContaining("fast");
        } finally {
            if (old == null) {
                System.clearProperty("curio.carrier");
            } else {
                System.setProperty("curio.carrier", old);
            }
        }
    }

    @Test
    void aVirtualThreadStartedInATaskIsNotATaskAndOutlivesTheKernel() throws Exception {
        // A virtual thread inherits its creator's scheduler: the JDK's own socket pollers, started
        // by the first task that reads a socket, and a user's executor did so. They must run
        // beside the kernel, not wait for its turn, and keep running once it has ended.
        java.util.concurrent.SynchronousQueue<String> handOff = new java.util.concurrent.SynchronousQueue<>();
        java.util.concurrent.atomic.AtomicReference<Thread> child = new java.util.concurrent.atomic.AtomicReference<>();
        String got = Curio.run(Kernel.builder().carrier(CarrierKind.OWNED), () -> {
            var done = new java.util.concurrent.CompletableFuture<String>();
            child.set(Thread.ofVirtual().name("child").start(() -> {
                done.complete("child ran while its creator waited at a trap");
                try {
                    handOff.put("child still runs after the kernel ended");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            return dev.curio.sync.Futures.await(done);
        });
        assertThat(got).isEqualTo("child ran while its creator waited at a trap");
        assertThat(handOff.take()).isEqualTo("child still runs after the kernel ended");
        child.get().join();
    }
}
