package dev.curio.actuate.web;

import dev.curio.actuate.endpoint.CancelAudit;
import dev.curio.monitor.AuditLine;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the cancel filters of both stacks ({@link CancelRequestFilter} on the servlet stack,
 * {@link CancelRequestWebFilter} on WebFlux) decide, written once: which requests are cancels, the
 * checks of a cancel's id and JSON body (the 400s), and their audit lines. Free of servlet and
 * reactive types, so either filter loads it without the other stack on the class path. Stateless;
 * any thread.
 */
final class CancelRequestCheck {

    /** Why a cancel is refused (405) while the endpoint is read-only. */
    static final String NOT_ALLOWED = "cancel is not allowed: management.endpoint.curio.access is read-only (the default)"
            + " or capped by management.endpoints.access.max-permitted";

    /** The {@code Allow} header of that 405: the endpoint's reads. */
    static final String ALLOW = "GET, HEAD";

    /** Largest cancel body read; a reason is at most a few hundred characters. */
    static final int MAX_BODY = 8192;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The {@code <id>} of {@code <endpoint>/<id>}, or null for any other path (within the application). */
    static @Nullable String taskSegment(String endpointPath, String path) {
        String prefix = endpointPath + "/";
        if (!path.startsWith(prefix)) {
            return null;
        }
        String rest = path.substring(prefix.length());
        return rest.isEmpty() || rest.contains("/") ? null : rest;
    }

    /** The line of a cancel request answered {@code status} without reaching the endpoint (which wrote none). */
    static CancelAudit.Line unreachedLine(String kernel, String task, String by, boolean group, @Nullable String reason,
            int status) {
        return new CancelAudit.Line("endpoint", kernel, task, null, group, by, status,
                status < 400 ? "unknown" : "refused", null, "answered " + status + " before reaching the curio endpoint",
                CancelAudit.reason(reason));
    }

    /** The refusal of every cancel while the endpoint is read-only: 405, whatever the request says. */
    static Checked notAllowed() {
        return new Checked(false, null, NOT_ALLOWED, 405);
    }

    /** The JSON body of a refusal answered here (400, 405, 415): {@code {"id": <as requested>, "error": ...}}. */
    static byte[] errorBody(String task, String error) {
        return JSON.writeValueAsBytes(java.util.Map.of("id", task, "error", error));
    }

    /**
     * What a cancel request said; {@code error} names what was wrong, null when nothing was, and
     * {@code status} is the answer it then gets here: 400, 405 while cancel is not allowed, or 415
     * for a body that is not JSON.
     */
    record Checked(boolean group, @Nullable String reason, @Nullable String error, int status) {

        Checked(boolean group, @Nullable String reason, @Nullable String error) {
            this(group, reason, error, 400);
        }

        /** The audit line of the refusal this answer gets when {@code error} is set. */
        CancelAudit.Line refusalLine(String kernel, String task, String by) {
            return new CancelAudit.Line("endpoint", kernel, task, null, group, by, status,
                    status == 400 ? "bad-request" : "refused", null, error, CancelAudit.reason(reason));
        }
    }

    /**
     * Whether {@code contentType} is a JSON media type ({@code application/json} or
     * {@code application/*+json}), the only bodies Boot binds for the endpoint. A type that merely
     * mentions json ({@code text/plain; x=json}) is not: it is a simple type a cross-site page can
     * send without a preflight, and it is refused 415 like any other.
     */
    static boolean isJson(@Nullable String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MimeType type = MimeTypeUtils.parseMimeType(contentType);
            String subtype = type.getSubtype().toLowerCase(Locale.ROOT);
            return type.getType().equalsIgnoreCase("application") && (subtype.equals("json") || subtype.endsWith("+json"));
        } catch (InvalidMimeTypeException e) {
            return false;
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
        if (contentType != null && !contentType.isBlank() && !isJson(contentType)) {
            // Answered here, as Boot's mapping would, so that no body parser of the stack sees it:
            // on a management port of its own, Spring MVC failed a multipart body with a 500.
            return new Checked(false, null, "Content-Type '" + shorten(contentType) + "' is not supported:"
                    + " a cancel takes application/json", 415);
        }
        if (isBlank(body)) {
            return new Checked(false, null, null); // no body means {}
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
        String c = AuditLine.clean(s == null ? "" : s);
        return c.length() > 80 ? c.substring(0, 80) + "..." : c;
    }

    private CancelRequestCheck() {}
}
