package dev.curio.actuate.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The live task page ({@code tasks.html}) as both stacks send it: its bytes, read once from the
 * class path, and its headers. {@link TaskPageServlet} (servlet) and {@link TaskPageHandler}
 * (WebFlux) only copy these onto their answer. Immutable; any thread.
 */
public final class TaskPage {

    /** Where the page is on the class path (not under a static-resource location, so the app port does not serve it). */
    static final String RESOURCE = "dev/curio/actuate/web/tasks.html";

    /** The page's content type. */
    public static final String CONTENT_TYPE = "text/html;charset=UTF-8";

    /**
     * Inline script and style only, data only from this origin, never framed: the page shows task
     * names and stacks as text, and this keeps it so even if a bug let markup through.
     */
    public static final String POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
            + "connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /** The headers sent with the page besides its content type and length, in this order. */
    public static final Map<String, String> HEADERS;

    static {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Cache-Control", "no-store");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Content-Security-Policy", POLICY);
        HEADERS = java.util.Collections.unmodifiableMap(h);
    }

    private static final byte[] BYTES = read();

    private TaskPage() {}

    /** A copy of the page's bytes (UTF-8). */
    public static byte[] bytes() {
        return BYTES.clone();
    }

    private static byte[] read() {
        try (InputStream in = TaskPage.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the live task page " + RESOURCE + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
    }
}
