package dev.curio.actuate.web;

import dev.curio.actuate.endpoint.CancelAudit;
import dev.curio.actuate.endpoint.CancelAuditAdvisor;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.pattern.PathPattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * {@link CancelRequestFilter} on WebFlux: in front of the curio endpoint's cancel
 * ({@code POST <endpoint>/<id>}), it reads the body as sent, answers the same 400s, 405s and 415s
 * with the same checks ({@link CancelRequestCheck#check}), and makes sure every cancel request gets its
 * {@link CancelAudit} line. A cancel is recognised by the path as WebFlux routes it
 * ({@link CancelRequestCheck#taskId}: decoded, path parameters dropped), as on the servlet stack.
 *
 * <p>The endpoint's operation runs on another thread than this filter (Boot hands blocking
 * operations to Reactor's bounded elastic scheduler), so the "line still owed" mark cannot be a
 * thread-local: this filter registers one with {@link CancelAudit#expectAcrossThreads()}, passes
 * its key on as the request argument {@value CancelAudit#MARK_ARGUMENT} (a query parameter,
 * replacing any the client sent), and {@link CancelAuditAdvisor} binds it around the operation.
 * When the answer is about to be committed (its status is final: refusals such as 406 are
 * written by the error handlers after the filter chain), the line is written here if it is still
 * owed. A request whose client goes away before the operation starts gets its line here too, and
 * the operation does not run.
 *
 * <p>Ordered after Spring Security's {@code WebFilterChainProxy} (order -100), so the principal
 * ({@link ServerWebExchange#getPrincipal()}) is known; requests Security rejects are not seen here.
 * Threads: any (event loops); stateless apart from its final fields.
 */
public final class CancelRequestWebFilter implements WebFilter, Ordered {

    private final PathPattern cancel;
    private final Supplier<String> kernelName;
    private final BooleanSupplier cancelAllowed;
    private final int order;

    /**
     * @param endpointPath the endpoint's path within the application, e.g. {@code /actuator/curio}
     * @param kernelName the kernel's name, for the audit line
     * @param cancelAllowed whether the endpoint's access currently allows its write operation
     * @param order this filter's order (after Spring Security's)
     */
    public CancelRequestWebFilter(String endpointPath, Supplier<String> kernelName, BooleanSupplier cancelAllowed,
            int order) {
        this.cancel = CancelRequestCheck.cancelPattern(endpointPath);
        this.kernelName = kernelName;
        this.cancelAllowed = cancelAllowed;
        this.order = order;
    }

    @Override
    public int getOrder() {
        return order;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String task = HttpMethod.POST.equals(request.getMethod())
                ? CancelRequestCheck.taskId(cancel, request.getPath().pathWithinApplication()) : null;
        if (task == null) {
            return chain.filter(exchange);
        }
        return exchange.getPrincipal().map(CancelAudit::by).defaultIfEmpty(CancelAudit.by(null))
                .flatMap(by -> body(request).flatMap(body -> {
                    String type = request.getHeaders().getFirst("Content-Type");
                    CancelRequestCheck.Checked checked = CancelRequestCheck.check(cancelAllowed.getAsBoolean(), task,
                            body, type);
                    if (checked.error() != null) {
                        return refuse(exchange.getResponse(), task, checked, by);
                    }
                    return passOn(exchange, withBody(request, body), chain, task, by, checked.group(),
                            checked.reason());
                }));
    }

    private Mono<Void> passOn(ServerWebExchange exchange, ServerHttpRequest request, WebFilterChain chain, String task,
            String by, boolean group, @Nullable String reason) {
        CancelAudit.Owed owed = CancelAudit.expectAcrossThreads();
        ServerHttpResponse response = exchange.getResponse();
        response.beforeCommit(() -> {
            if (owed.claim()) {
                HttpStatusCode status = response.getStatusCode();
                CancelAudit.log(CancelRequestCheck.unreachedLine(kernelName.get(), task, by, group, reason,
                        status == null ? 200 : status.value()));
            }
            return Mono.empty();
        });
        ServerHttpRequest marked = request.mutate()
                .uri(UriComponentsBuilder.fromUri(request.getURI())
                        .replaceQueryParam(CancelAudit.MARK_ARGUMENT, owed.key()).build(true).toUri())
                .build();
        return chain.filter(exchange.mutate().request(marked).build()).doFinally(signal -> {
            if (signal == SignalType.CANCEL && owed.claim()) {
                CancelAudit.log(new CancelAudit.Line("endpoint", kernelName.get(), CancelAudit.task(task), null, group, by, null,
                        "abandoned", null, "the client went away before the request reached the curio endpoint",
                        CancelAudit.reason(reason)));
            }
            owed.close();
        });
    }

    /** The body, up to {@link CancelRequestCheck#MAX_BODY} bytes; a longer one as that many plus one (the check refuses it). */
    private static Mono<byte[]> body(ServerHttpRequest request) {
        return DataBufferUtils.join(request.getBody(), CancelRequestCheck.MAX_BODY).map(buffer -> {
            try {
                byte[] bytes = new byte[buffer.readableByteCount()];
                buffer.read(bytes);
                return bytes;
            } finally {
                DataBufferUtils.release(buffer);
            }
        }).onErrorResume(DataBufferLimitException.class, e -> Mono.just(new byte[CancelRequestCheck.MAX_BODY + 1]))
                .defaultIfEmpty(new byte[0]);
    }

    /** The request with the body this filter already read. */
    private static ServerHttpRequest withBody(ServerHttpRequest request, byte[] body) {
        return new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return body.length == 0 ? Flux.empty()
                        : Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
            }
        };
    }

    private Mono<Void> refuse(ServerHttpResponse response, String task, CancelRequestCheck.Checked checked, String by) {
        CancelAudit.log(checked.refusalLine(kernelName.get(), task, by));
        response.setStatusCode(HttpStatusCode.valueOf(checked.status()));
        if (checked.status() == 405) {
            response.getHeaders().set("Allow", CancelRequestCheck.ALLOW);
        }
        response.getHeaders().setContentType(new MediaType(MediaType.APPLICATION_JSON, StandardCharsets.UTF_8));
        byte[] json = CancelRequestCheck.errorBody(task, checked.error());
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(json)));
    }
}
