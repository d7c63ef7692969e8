package dev.curio.actuate.endpoint;

import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameters;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * Around the curio endpoint's cancel, on the thread that runs it, where Boot has decided the
 * operation: binds the request's audit mark there ({@link CancelAudit#enter}), so the endpoint's
 * line settles the mark the cancel filter in front of it holds (needed on WebFlux, where Boot runs
 * the operation on another thread than the filter's). A request whose client went away before the
 * operation started, and whose line the filter has therefore written, is not run.
 *
 * <p>A cancel that carries no mark did not pass the filter's checks (a spelling of the path the
 * filter did not recognise, or a filter taken out of the chain): it is refused here, 403 with its
 * audit line, instead of running unchecked. Stateless apart from its final field; any thread.
 */
public final class CancelAuditAdvisor implements OperationInvokerAdvisor {

    private static final EndpointId ENDPOINT = EndpointId.of(CurioEndpoint.ID);

    /** Why a cancel without the filter's mark is refused. */
    static final String UNCHECKED = "the request reached the cancel without passing the cancel checks in front of it"
            + " (the cancel filter did not recognise it): refused";

    private final Supplier<String> kernelName;

    /** @param kernelName the kernel's name, for the audit line of a refusal */
    public CancelAuditAdvisor(Supplier<String> kernelName) {
        this.kernelName = kernelName;
    }

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
                if (!entered.bound() && !CancelAudit.expectedHere()) {
                    return unchecked(context);
                }
                return invoker.invoke(context);
            }
        };
    }

    private WebEndpointResponse<Object> unchecked(InvocationContext context) {
        Map<String, Object> arguments = context.getArguments();
        String task = CancelAudit.task(String.valueOf(arguments.get("id")));
        Object reason = arguments.get("reason");
        SecurityContext security = context.canResolve(SecurityContext.class)
                ? context.resolveArgument(SecurityContext.class) : null;
        CancelAudit.log(new CancelAudit.Line("endpoint", kernelName.get(), task, null, false,
                CancelAudit.by(security == null ? null : security.getPrincipal()), 403, "refused", null, UNCHECKED,
                CancelAudit.reason(reason instanceof String s ? s : null)));
        return new WebEndpointResponse<>(Map.of("id", task, "error", UNCHECKED), 403);
    }
}
