package dev.curio.actuate.web;

import dev.curio.actuate.endpoint.CancelAudit;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;

/**
 * In front of the curio endpoint's cancel ({@code POST <endpoint>/<id>}), on the servlet stack
 * ({@link CancelRequestWebFilter} does the same on WebFlux, with the same checks):
 * sees the request as sent, before Boot's endpoint binding (which reads the body as a map of
 * strings, so {@code "true"} and {@code true} look alike), and makes sure every cancel request
 * gets its {@link CancelAudit} line. A cancel is recognised by the path as Spring MVC routes it
 * ({@link CancelRequestCheck#taskId}), so every spelling that reaches the operation
 * ({@code /actuator/curio;a=b/7}, {@code /actuator;a=b/curio/7}, {@code /actuator/%63urio/7}) is
 * checked like {@code /actuator/curio/7}.
 *
 * <ul>
 *   <li>cancel not allowed (read-only access): answered 405 here, naming why, and audited;</li>
 *   <li>a bad request is answered 400 here, naming what was wrong, and audited
 *       ({@link CancelRequestCheck#check}): an id that is not a whole number, a body over
 *       {@value CancelRequestCheck#MAX_BODY} bytes, malformed JSON, not an object, a field
 *       other than {@code reason} (a string) and {@code group} (a boolean: {@code "true"} or
 *       {@code 1} are refused);</li>
 *   <li>a body that is not JSON (a {@code Content-Type} other than {@code application/json} or
 *       {@code application/*+json}) is answered 415 here and audited;</li>
 *   <li>otherwise passed on with the body it read; if the endpoint wrote no line (the request
 *       failed before reaching it), one is written here with the answer's status.</li>
 * </ul>
 *
 * <p>Ordered after Spring Security's filter chain, so the principal is known; requests Security
 * rejects are not seen here. Threads: request threads; stateless apart from its final fields.
 */
public final class CancelRequestFilter extends OncePerRequestFilter {

    private final PathPattern cancel;
    private final Supplier<String> kernelName;
    private final BooleanSupplier cancelAllowed;

    /**
     * @param endpointPath the endpoint's path within the servlet context, e.g. {@code /actuator/curio}
     * @param kernelName the kernel's name, for the audit line
     * @param cancelAllowed whether the endpoint's access currently allows its write operation
     */
    public CancelRequestFilter(String endpointPath, Supplier<String> kernelName, BooleanSupplier cancelAllowed) {
        this.cancel = CancelRequestCheck.cancelPattern(endpointPath);
        this.kernelName = kernelName;
        this.cancelAllowed = cancelAllowed;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || taskId(request) == null;
    }

    /** The cancel's id as Spring MVC's mapping would extract it, or null when the request is no cancel. */
    private @Nullable String taskId(HttpServletRequest request) {
        return CancelRequestCheck.taskId(cancel, ServletRequestPathUtils.parse(request).pathWithinApplication());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String task = taskId(request);
        String by = CancelAudit.by(request.getUserPrincipal());
        // Refusals (405 included) are answered here, the body read as bytes only: on a management
        // port of its own, Spring MVC would parse a multipart body before finding the method
        // refused or the type unsupported, and fail it with a 500.
        byte[] body = request.getInputStream().readNBytes(CancelRequestCheck.MAX_BODY + 1);
        CancelRequestCheck.Checked checked = CancelRequestCheck.check(cancelAllowed.getAsBoolean(), task, body,
                request.getContentType());
        if (checked.error() != null) {
            refuse(response, task, checked, by);
            return;
        }
        passOn(new CachedBody(request, body), response, chain, task, by, checked.group(), checked.reason());
    }

    private void refuse(HttpServletResponse response, String task, CancelRequestCheck.Checked checked, String by)
            throws IOException {
        CancelAudit.log(checked.refusalLine(kernelName.get(), task, by));
        response.setStatus(checked.status());
        if (checked.status() == 405) {
            response.setHeader("Allow", CancelRequestCheck.ALLOW);
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(CancelRequestCheck.errorBody(task, checked.error()));
    }

    private void passOn(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String task,
            String by, boolean group, @Nullable String reason) throws ServletException, IOException {
        try (CancelAudit.Owed owed = CancelAudit.expect()) {
            chain.doFilter(request, response);
            if (owed.claim()) {
                CancelAudit.log(CancelRequestCheck.unreachedLine(kernelName.get(), task, by, group, reason,
                        response.getStatus()));
            }
        }
    }

    /** The request with the body this filter already read. */
    private static final class CachedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            InputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return body.length == 0 || inAvailable() == 0;
                }

                private int inAvailable() {
                    try {
                        return in.available();
                    } catch (IOException e) {
                        return 0;
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
