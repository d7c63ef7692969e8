package dev.curio.actuate.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Serves the live task page ({@code tasks.html}) next to the curio endpoint, at
 * {@code <endpoint>/tasks.html}, on the servlet stack: on the management port when there is one,
 * behind whatever guards the endpoint. The page holds no data; it reads the endpoint beside it.
 * Its bytes and headers are {@link TaskPage}'s ({@link TaskPageHandler} sends the same on WebFlux).
 * Immutable once built, so any request thread may use it.
 */
public final class TaskPageServlet extends HttpServlet {

    private final transient byte[] page = TaskPage.bytes();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType(TaskPage.CONTENT_TYPE);
        TaskPage.HEADERS.forEach(response::setHeader);
        response.setContentLength(page.length);
        response.getOutputStream().write(page);
    }
}
