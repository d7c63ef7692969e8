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
import java.security.Principal;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * In front of the curio endpoint's cancel ({@code POST <endpoint>/<id>}), on the servlet stack
 * ({@link CancelRequestWebFilter} does the same on WebFlux, with the checks written here):
 * sees the request as sent, before Boot's endpoint binding (which reads the body as a map of
 * strings, so {@code "true"} and {@code true} look alike), and makes sure every cancel request
 * gets its {@link CancelAudit} line.
 *
 * <ul>
 *   <li>cancel not allowed (read-only access): passed on; Boot answers 405 and this audits it;</li>
 *   <li>a bad request is answered 400 here, naming what was wrong, and audited: an id that is not
 *       a whole number, a body over {@value #MAX_BODY} bytes, malformed JSON, not an object, a field
 *       other than {@code reason} (a string) and {@code group} (a boolean: {@code "true"} or
 *       {@code 1} are refused);</li>
 *   <li>otherwise passed on with the body it read; if the endpoint wrote no line (the request
 *       failed before reaching it, say 415), one is written here with the answer's status.</li>
 * </ul>
 *
 * <p>Ordered after Spring Security's filter chain, so the principal is known; requests Security
 * rejects are not seen here. Threads: request threads; stateless apart from its final fields.
 */
public final class CancelRequestFilter extends OncePerRequestFilter {

    /** Why a cancel is refused (405) while the endpoint is read-only. */
    static final String NOT_ALLOWED = "cancel is not allowed: management.endpoint.curio.access is read-only (the default)"
            + " or capped by management.endpoints.access.max-permitted";

    /** Largest cancel body read; a reason is at most a few hundred characters. */
    static final int MAX_BODY = 8192;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String endpointPath;
    private final Supplier<String> kernelName;
    private final BooleanSupplier cancelAllowed;

    /**
     * @param endpointPath the endpoint's path within the servlet context, e.g. {@code /actuator/curio}
     * @param kernelName the kernel's name, for the audit line
     * @param cancelAllowed whether the endpoint's access currently allows its write operation
     */
    public CancelRequestFilter(String endpointPath, Supplier<String> kernelName, BooleanSupplier cancelAllowed) {
        this.endpointPath = endpointPath;
        this.kernelName = kernelName;
        this.cancelAllowed = cancelAllowed;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || taskSegment(request) == null;
    }

    private @Nullable String taskSegment(HttpServletRequest request) {
        return taskSegment(endpointPath, request.getRequestURI().substring(request.getContextPath().length()));
    }

    /** The {@code <id>} of {@code <endpoint>/<id>}, or null for any other path (within the application). */
    static @Nullable String taskSegment(String endpointPath, String path) {
        String prefix = endpointPath + "/";
        if (!path.startsWith(prefix)) {
            return null;
        }
        String rest = path.substring(prefix.length());
        return rest.isEmpty() || rest.contains("/") ? null : rest;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String task = taskSegment(request);
        String by = who(request.getUserPrincipal());
        if (!cancelAllowed.getAsBoolean()) {
            passOn(request, response, chain, task, by, false, null, NOT_ALLOWED);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
        Checked checked = check(task, body, request.getContentType());
        if (checked.error != null) {
            CancelAudit.log(checked.badRequestLine(kernelName.get(), task, by));
            response.setStatus(400);
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.getOutputStream().write(errorBody(task, checked.error));
            return;
        }
        passOn(new CachedBody(request, body), response, chain, task, by, checked.group, checked.reason, null);
    }

    private void passOn(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String task,
            String by, boolean group, @Nullable String reason, @Nullable String refusal)
            throws ServletException, IOException {
        try (CancelAudit.Owed owed = CancelAudit.expect()) {
            chain.doFilter(request, response);
            if (owed.claim()) {
                CancelAudit.log(unreachedLine(kernelName.get(), task, by, group, reason, refusal, response.getStatus()));
            }
        }
    }

    /** The line of a cancel request answered {@code status} without reaching the endpoint (which wrote none). */
    static CancelAudit.Line unreachedLine(String kernel, String task, String by, boolean group, @Nullable String reason,
            @Nullable String refusal, int status) {
        String detail = status == 405 && refusal != null ? refusal
                : "answered " + status + " before reaching the curio endpoint";
        return new CancelAudit.Line("endpoint", kernel, task, null, group, by, status,
                status < 400 ? "unknown" : "refused", null, detail, CancelAudit.reason(reason));
    }

    /** The JSON body of a 400 answered here: {@code {"id": <as requested>, "error": ...}}. */
    static byte[] errorBody(String task, String error) {
        return JSON.writeValueAsBytes(java.util.Map.of("id", task, "error", error));
    }

    /** What a cancel request said; {@code error} names what was wrong, null when nothing was. */
    record Checked(boolean group, @Nullable String reason, @Nullable String error) {

        /** The audit line of the 400 this answer gets when {@code error} is set. */
        CancelAudit.Line badRequestLine(String kernel, String task, String by) {
            return new CancelAudit.Line("endpoint", kernel, task, null, group, by, 400, "bad-request", null, error,
                    CancelAudit.reason(reason));
        }
    }

    static Checked check(String task, byte[] body, @Nullable String contentType) {
        try {
            Long.parseLong(task);
        } catch (NumberFormatException e) {
            return new Checked(false, null, "id must be a task id (a whole number), was '" + shorten(task) + "'");
        }
        if (body.length > MAX_BODY) {
            return new Checked(false, null, "the body is over " + MAX_BODY + " bytes");
        }
        boolean json = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json");
        if (!json || isBlank(body)) {
            return new Checked(false, null, null); // Boot answers 415 for a non-JSON type; an empty body means {}
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (JacksonException e) {
            return new Checked(false, null, "malformed JSON: " + shorten(e.getOriginalMessage()));
        }
        if (!tree.isObject()) {
            return new Checked(false, null, "the body must be a JSON object such as {\"reason\": \"...\", \"group\": true}");
        }
        String reason = null;
        boolean group = false;
        for (var field : tree.properties()) {
            JsonNode v = field.getValue();
            switch (field.getKey()) {
                case "reason" -> {
                    if (!v.isNull() && !v.isString()) {
                        return new Checked(false, null, "reason must be a JSON string, was " + shorten(v.toString()));
                    }
                    reason = v.isNull() ? null : v.asString();
                }
                case "group" -> {
                    if (!v.isNull() && !v.isBoolean()) {
                        return new Checked(false, reason, "group must be a JSON boolean (true or false), was "
                                + shorten(v.toString()));
                    }
                    group = v.isBoolean() && v.asBoolean();
                }
                default -> {
                    return new Checked(false, reason, "unknown field '" + shorten(field.getKey())
                            + "': a cancel takes reason (a string) and group (a boolean)");
                }
            }
        }
        return new Checked(group, reason, null);
    }

    private static boolean isBlank(byte[] body) {
        return new String(body, StandardCharsets.UTF_8).isBlank();
    }

    private static String shorten(String s) {
        String c = CancelAudit.clean(s == null ? "" : s);
        return c.length() > 80 ? c.substring(0, 80) + "..." : c;
    }

    static String who(@Nullable Principal p) {
        return p == null ? "anonymous" : CancelAudit.clean(p.getName());
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
