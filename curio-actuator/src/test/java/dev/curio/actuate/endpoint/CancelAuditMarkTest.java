package dev.curio.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The "line still owed" marks of {@link CancelAudit}: a mark taken on one thread and settled by the
 * operation on another (WebFlux), each request getting exactly one writer. The trail of who wrote
 * the line is asserted exactly.
 */
class CancelAuditMarkTest {

    private static final CancelAudit.Line LINE = new CancelAudit.Line("endpoint", "k", "7", null, false, "anonymous",
            200, "cancelled", List.of(7L), null, CancelAudit.reason(null));

    /** Runs {@code body} on another thread, as Boot runs a WebFlux endpoint's blocking operation. */
    private static void elsewhere(Runnable body) {
        CompletableFuture.runAsync(body).join();
    }

    @Test
    void theOperationsLineOnAnotherThreadSettlesTheMark() {
        List<String> trail = new ArrayList<>();
        try (CancelAudit.Owed owed = CancelAudit.expectAcrossThreads()) {
            elsewhere(() -> {
                try (CancelAudit.Entered e = CancelAudit.enter(owed.key())) {
                    trail.add("bound=" + e.bound() + " abandoned=" + e.abandoned());
                    CancelAudit.log(LINE);
                    trail.add("endpoint wrote");
                }
            });
            trail.add("filter claims=" + owed.claim());
        }
        assertThat(trail).containsExactly("bound=true abandoned=false", "endpoint wrote", "filter claims=false");
    }

    @Test
    void anOperationThatThrowsLeavesTheLineToTheFilter() {
        try (CancelAudit.Owed owed = CancelAudit.expectAcrossThreads()) {
            elsewhere(() -> {
                try (CancelAudit.Entered e = CancelAudit.enter(owed.key())) {
                    assertThat(e.bound()).isTrue();
                    assertThat(owed.claim()).as("no claim while the operation runs").isFalse();
                }
            });
            assertThat(owed.claim()).isTrue();
            assertThat(owed.claim()).as("one writer only").isFalse();
        }
    }

    @Test
    void aClaimedMarkTellsTheOperationNotToRun() {
        try (CancelAudit.Owed owed = CancelAudit.expectAcrossThreads()) {
            assertThat(owed.claim()).isTrue(); // the client went away: the filter wrote the line
            elsewhere(() -> {
                try (CancelAudit.Entered e = CancelAudit.enter(owed.key())) {
                    assertThat(e.abandoned()).isTrue();
                    assertThat(e.bound()).isFalse();
                }
            });
        }
    }

    @Test
    void unknownOrForgedKeysAndClosedMarksBindNothing() {
        CancelAudit.Owed owed = CancelAudit.expectAcrossThreads();
        String key = owed.key();
        owed.close();
        for (Object k : new Object[] {null, "x", List.of("a", "b"), key}) {
            try (CancelAudit.Entered e = CancelAudit.enter(k)) {
                assertThat(e.bound()).as(String.valueOf(k)).isFalse();
                assertThat(e.abandoned()).isFalse();
            }
        }
    }

    @Test
    void aThreadBoundMarkIsSettledByALineOnItsThreadAndNotBoundElsewhere() {
        try (CancelAudit.Owed owed = CancelAudit.expect()) {
            elsewhere(() -> CancelAudit.log(LINE));
            assertThat(owed.stillOwed()).as("a line on another thread is not this request's").isTrue();
            CancelAudit.log(LINE);
            assertThat(owed.stillOwed()).isFalse();
            assertThat(owed.claim()).isFalse();
        }
    }
}
