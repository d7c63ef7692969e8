package dev.curio.spring.boot.web;

import dev.curio.spring.boot.KernelFullException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * Answers a {@link KernelFullException} that reaches a controller (a {@code CurioTasks.submit} or
 * a {@code CurioRequests.run} refused by {@code curio.max-tasks}) with 503 Service Unavailable, a
 * {@code Retry-After} of {@value #RETRY_AFTER_SECONDS} second and an RFC 9457 problem body, on
 * Spring MVC and WebFlux alike, as servers shedding load answer: the client may retry. Logged at
 * DEBUG only (a full kernel is counted in {@code curio.tasks.refused}, not an error per request).
 *
 * <p>Lowest precedence, so an application's own {@code @ControllerAdvice} wins; a bean of this
 * type replaces it. Stateless.
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class KernelFullProblemAdvice {

    /** The {@code Retry-After} of the answer, in seconds. */
    public static final int RETRY_AFTER_SECONDS = 1;

    private static final Log LOG = LogFactory.getLog(KernelFullProblemAdvice.class);

    @ExceptionHandler(KernelFullException.class)
    public ResponseEntity<ProblemDetail> kernelFull(KernelFullException full) {
        LOG.debug("Refused by the kernel's admission bound; answering 503", full);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The server is at its bound of live tasks; retry later.");
        problem.setTitle("Service Unavailable");
        problem.setProperty("exception", "KernelFullException");
        problem.setProperty("kernel", full.kernel());
        problem.setProperty("maxTasks", full.maxTasks());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)).body(problem);
    }
}
