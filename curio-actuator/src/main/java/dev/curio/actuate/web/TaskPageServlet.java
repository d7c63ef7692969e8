package dev.curio.actuate.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the live task page ({@code tasks.html}) next to the curio endpoint, at
 * {@code <endpoint>/tasks.html}: on the management port when there is one, behind whatever guards
 * the endpoint. The page holds no data; it reads the endpoint beside it. Immutable once built, so
 * any request thread may use it.
 */
public final class TaskPageServlet extends HttpServlet {

    /** Where the page is on the class path (not under a static-resource location, so the app port does not serve it). */
    static final String PAGE = "dev/curio/actuate/web/tasks.html";

    /**
     * Inline script and style only, data only from this origin, never framed: the page shows task
     * names and stacks as text, and this keeps it so even if a bug let markup through.
     */
    static final String POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
            + "connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private final transient byte[] page;

    public TaskPageServlet() {
        try (InputStream in = TaskPageServlet.class.getClassLoader().getResourceAsStream(PAGE)) {
            if (in == null) {
                throw new IllegalStateException("the live task page " + PAGE + " is missing from the class path");
            }
            this.page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + PAGE, e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", POLICY);
        response.setContentLength(page.length);
        response.getOutputStream().write(page);
    }
}
