package dev.curio.spring.boot.web;

import dev.curio.TaskTimeout;
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
 * Answers a {@link TaskTimeout} that reaches a controller (a {@code CurioTasks.submit} whose
 * {@code Curio.timeoutAfter} expired, joined or returned as a future) with 503 Service Unavailable
 * and an RFC 9457 problem body, for Spring MVC and WebFlux alike. A {@code TaskTimeout} is an
 * {@code Error} (a cancellation must not be swallowed by {@code catch (Exception e)}), so an
 * application's {@code @ExceptionHandler(Exception.class)} never sees it, and without this the
 * client got a bare 500 and the log two ERROR lines. 503 is what Spring answers for its own
 * request timeouts (an async request timeout) and what {@code CurioRequests} answers for a work
 * timeout: the server gave up in time, and the client may retry.
 *
 * <p>Lowest precedence, and registered by the auto-configuration after the application's own
 * beans, so an application's {@code @ControllerAdvice} handling {@code TaskTimeout} (or
 * {@code Throwable}) wins; a bean of this type replaces it. Stateless.
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class TaskTimeoutProblemAdvice {

    private static final Log LOG = LogFactory.getLog(TaskTimeoutProblemAdvice.class);

    @ExceptionHandler(TaskTimeout.class)
    public ResponseEntity<ProblemDetail> taskTimeout(TaskTimeout timeout) {
        LOG.debug("A Curio task timed out while serving a request; answering 503", timeout);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The work for this request did not finish within its timeout.");
        problem.setTitle("Service Unavailable");
        problem.setProperty("exception", "TaskTimeout");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(problem);
    }
}
