package dev.curio.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The advisor where Boot has decided the cancel operation: a cancel the filter in front of it
 * passed on (marked on this thread on the servlet stack, by key across threads on WebFlux) runs;
 * one that never passed the filter is refused 403 with its audit line and does not run, so a
 * spelling of the path the filter missed could not cancel unchecked.
 */
@ExtendWith(OutputCaptureExtension.class)
class CancelAuditAdvisorTest {

    private final List<String> trail = new ArrayList<>();

    private final OperationInvoker cancel = new CancelAuditAdvisor(() -> "k").apply(EndpointId.of(CurioEndpoint.ID),
            OperationType.WRITE, null, context -> {
                trail.add("operation ran");
                return "cancelled";
            });

    private static InvocationContext request(Map<String, Object> arguments) {
        return new InvocationContext(SecurityContext.NONE, arguments);
    }

    @Test
    void aCancelTheFilterNeverSawIsRefused403AuditedAndNotRun(CapturedOutput output) {
        Object answer = cancel.invoke(request(Map.of("id", "7", "reason", "unchecked", "group", "true")));
        assertThat(trail).isEmpty();
        assertThat(answer).isInstanceOf(WebEndpointResponse.class);
        WebEndpointResponse<?> r = (WebEndpointResponse<?>) answer;
        assertThat(r.getStatus()).isEqualTo(403);
        assertThat(r.getBody()).isEqualTo(Map.of("id", "7", "error", CancelAuditAdvisor.UNCHECKED));
        assertThat(output.getOut()).contains("curio-cancel source=endpoint kernel=k task=7 group=false by=anonymous"
                + " status=403 outcome=refused detail=\"" + CancelAuditAdvisor.UNCHECKED + "\" reason=unchecked");
    }

    @Test
    void aForgedMarkArgumentIsRefusedToo() {
        Object answer = cancel.invoke(request(Map.of("id", "7", CancelAudit.MARK_ARGUMENT, "forged")));
        assertThat(trail).isEmpty();
        assertThat(((WebEndpointResponse<?>) answer).getStatus()).isEqualTo(403);
    }

    @Test
    void aCancelMarkedOnThisThreadRuns() {
        try (CancelAudit.Owed owed = CancelAudit.expect()) {
            assertThat(cancel.invoke(request(Map.of("id", "7")))).isEqualTo("cancelled");
        }
        assertThat(trail).containsExactly("operation ran");
    }

    @Test
    void aCancelMarkedAcrossThreadsRunsOnTheOperationsThread() {
        try (CancelAudit.Owed owed = CancelAudit.expectAcrossThreads()) {
            Object answer = CompletableFuture.supplyAsync(
                    () -> cancel.invoke(request(Map.of("id", "7", CancelAudit.MARK_ARGUMENT, owed.key())))).join();
            assertThat(answer).isEqualTo("cancelled");
        }
        assertThat(trail).containsExactly("operation ran");
    }

    @Test
    void readsAndOtherEndpointsAreLeftAlone() {
        OperationInvoker read = context -> "read";
        assertThat(new CancelAuditAdvisor(() -> "k").apply(EndpointId.of(CurioEndpoint.ID), OperationType.READ, null, read))
                .isSameAs(read);
        assertThat(new CancelAuditAdvisor(() -> "k").apply(EndpointId.of("health"), OperationType.WRITE, null, read))
                .isSameAs(read);
    }
}
