package dev.curio.actuate.endpoint;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameters;

/**
 * Around the curio endpoint's cancel, on the thread that runs it: binds the request's audit mark
 * there ({@link CancelAudit#enter}), so the endpoint's line settles the mark the filter in front of
 * it holds. Needed on WebFlux, where Boot runs the operation on another thread than the filter's;
 * a no-op for a request without the mark argument (servlet stack, JMX). A request whose client went
 * away before the operation started, and whose line the filter has therefore written, is not run.
 * Stateless; any thread.
 */
public final class CancelAuditAdvisor implements OperationInvokerAdvisor {

    private static final EndpointId ENDPOINT = EndpointId.of(CurioEndpoint.ID);

    @Override
    public OperationInvoker apply(EndpointId endpointId, OperationType operationType, OperationParameters parameters,
            OperationInvoker invoker) {
        if (!ENDPOINT.equals(endpointId) || operationType != OperationType.WRITE) {
            return invoker;
        }
        return context -> {
            try (CancelAudit.Entered entered = CancelAudit.enter(context.getArguments().get(CancelAudit.MARK_ARGUMENT))) {
                if (entered.abandoned()) {
                    throw new IllegalStateException("the cancel request was abandoned by its client before it ran");
                }
                return invoker.invoke(context);
            }
        };
    }
}
