package dev.curio.actuate.web;

import dev.curio.actuate.endpoint.CancelAudit;
import dev.curio.monitor.AuditLine;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.PathContainer;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
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

    /**
     * The pattern the endpoint's cancel is routed by, {@code <endpoint>/{id}}, parsed as Spring's
     * handler mappings parse Boot's endpoint paths on both stacks.
     */
    static PathPattern cancelPattern(String endpointPath) {
        return PathPatternParser.defaultInstance.parse(endpointPath + "/{id}");
    }

    /**
     * The {@code id} of a path within the application that {@code pattern} matches as the server
     * routes it (each segment percent-decoded, its {@code ;} path parameters dropped), or null for
     * any other path. The raw path's prefix is not enough: {@code /actuator/curio;a=b/7},
     * {@code /actuator;a=b/curio/7}, {@code /actuator/curio;/7} and {@code /actuator/%63urio/7} all
     * reach the operation of {@code /actuator/curio/7}.
     */
    static @Nullable String taskId(PathPattern pattern, PathContainer pathWithinApplication) {
        PathPattern.PathMatchInfo match;
        try {
            match = pattern.matchAndExtract(pathWithinApplication);
        } catch (IllegalArgumentException e) {
            return null; // a segment that does not decode: no handler mapping routes it either
        }
        return match == null ? null : match.getUriVariables().get("id");
    }

    /** The line of a cancel request answered {@code status} without reaching the endpoint (which wrote none). */
    static CancelAudit.Line unreachedLine(String kernel, String task, String by, boolean group, @Nullable String reason,
            int status) {
        return new CancelAudit.Line("endpoint", kernel, CancelAudit.task(task), null, group, by, status,
                status < 400 ? "unknown" : "refused", null, "answered " + status + " before reaching the curio endpoint",
                CancelAudit.reason(reason));
    }

    /** The JSON body of a refusal answered here (400, 405, 415): {@code {"id": <as requested, cut short>, "error": ...}}. */
    static byte[] errorBody(String task, String error) {
        return JSON.writeValueAsBytes(java.util.Map.of("id", CancelAudit.task(task), "error", error));
    }

    /**
     * What a cancel request said; {@code error} names what was wrong, null when nothing was, and
     * {@code status} is the answer it then gets here: 400, 405 while cancel is not allowed, or 415
     * for a body that is not JSON. A refused request's {@code group} and {@code reason} are what
     * its body said, as far as it could be read, so that its line records the caller's reason.
     */
    record Checked(boolean group, @Nullable String reason, @Nullable String error, int status) {

        Checked(boolean group, @Nullable String reason, @Nullable String error) {
            this(group, reason, error, 400);
        }

        /** The audit line of the refusal this answer gets when {@code error} is set. */
        CancelAudit.Line refusalLine(String kernel, String task, String by) {
            return new CancelAudit.Line("endpoint", kernel, CancelAudit.task(task), null, group, by, status,
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

    /**
     * Checks a cancel request: refused 405 while cancel is not {@code allowed}, whatever it says;
     * else 400 for an id that is not a whole number, a body over {@value #MAX_BODY} bytes,
     * malformed JSON, not an object, a field other than {@code reason} (a string) and
     * {@code group} (a boolean); 415 for a body that is not JSON. {@code body} is at most
     * {@value #MAX_BODY} bytes plus one (more says it is over).
     */
    static Checked check(boolean allowed, String task, byte[] body, @Nullable String contentType) {
        Checked said = said(body, contentType);
        if (!allowed) {
            return new Checked(said.group(), said.reason(), NOT_ALLOWED, 405);
        }
        try {
            Long.parseLong(task);
        } catch (NumberFormatException e) {
            return new Checked(said.group(), said.reason(), "id must be a task id (a whole number), was '"
                    + shorten(task) + "'");
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
        for (var field : tree.properties()) {
            JsonNode v = field.getValue();
            switch (field.getKey()) {
                case "reason" -> {
                    if (!v.isNull() && !v.isString()) {
                        return new Checked(said.group(), null, "reason must be a JSON string, was " + shorten(v.toString()));
                    }
                }
                case "group" -> {
                    if (!v.isNull() && !v.isBoolean()) {
                        return new Checked(false, said.reason(), "group must be a JSON boolean (true or false), was "
                                + shorten(v.toString()));
                    }
                }
                default -> {
                    return new Checked(said.group(), said.reason(), "unknown field '" + shorten(field.getKey())
                            + "': a cancel takes reason (a string) and group (a boolean)");
                }
            }
        }
        return new Checked(said.group(), said.reason(), null);
    }

    /**
     * What a body says, as far as it can be read, whatever else is wrong with the request: its
     * {@code reason} when a JSON string, its {@code group} when a JSON {@code true}; nothing for a
     * body that is over {@value #MAX_BODY} bytes, not JSON, or not a JSON object.
     */
    private static Checked said(byte[] body, @Nullable String contentType) {
        if (body.length > MAX_BODY || isBlank(body)
                || (contentType != null && !contentType.isBlank() && !isJson(contentType))) {
            return new Checked(false, null, null);
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (JacksonException e) {
            return new Checked(false, null, null);
        }
        if (!tree.isObject()) {
            return new Checked(false, null, null);
        }
        JsonNode reason = tree.get("reason");
        JsonNode group = tree.get("group");
        return new Checked(group != null && group.isBoolean() && group.asBoolean(),
                reason != null && reason.isString() ? reason.asString() : null, null);
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
