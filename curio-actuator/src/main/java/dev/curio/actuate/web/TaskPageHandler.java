package dev.curio.actuate.web;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import reactor.core.publisher.Mono;

/**
 * Serves the live task page on WebFlux, at {@code <endpoint>/tasks.html}, with the bytes and
 * headers of {@link TaskPage} (as {@link TaskPageServlet} does on the servlet stack).
 *
 * <p>The endpoint's own {@code <endpoint>/{id}} read is mapped by Boot's endpoint handler mapping
 * (order -100), ahead of the application's router functions (order -1), and would answer the
 * page's path with a 400 (not a task id). So the page gets a {@link HandlerMapping} of its own,
 * {@link #mapping}, ordered before Boot's; it is not a {@code RouterFunction} bean, so the
 * application's router-function mapping does not serve it a second time. Immutable; any thread.
 */
public final class TaskPageHandler implements HandlerFunction<ServerResponse> {

    /** The page's mapping order: before Boot's endpoint handler mapping (-100). */
    public static final int ORDER = -110;

    private static final MediaType HTML = MediaType.parseMediaType(TaskPage.CONTENT_TYPE);

    private final byte[] page = TaskPage.bytes();

    /** A handler mapping that serves the page at {@code pagePath} (within the application) and nothing else. */
    public static HandlerMapping mapping(String pagePath) {
        RouterFunctionMapping mapping = new RouterFunctionMapping(
                RouterFunctions.route(RequestPredicates.GET(pagePath), new TaskPageHandler()));
        mapping.setOrder(ORDER);
        return mapping;
    }

    @Override
    public Mono<ServerResponse> handle(ServerRequest request) {
        return ServerResponse.ok().contentType(HTML).contentLength(page.length)
                .headers(h -> TaskPage.HEADERS.forEach(h::set)).bodyValue(page);
    }
}
