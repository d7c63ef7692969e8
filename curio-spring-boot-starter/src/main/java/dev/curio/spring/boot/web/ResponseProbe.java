package dev.curio.spring.boot.web;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Writes the probe's whitespace into an asynchronous response until stopped. Invariant: once
 * {@link #stop} has returned, no probe write is in progress or will start, so the container may
 * write the real body. Thread-safety: both methods synchronise on this object; {@link #write}
 * runs on worker threads, {@link #stop} on whichever thread completes the request's work.
 */
final class ResponseProbe {

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final String contentType;
    private boolean stopped;
    private boolean started;

    ResponseProbe(HttpServletRequest request, HttpServletResponse response, String contentType) {
        this.request = request;
        this.response = response;
        this.contentType = contentType;
    }

    /** One probe; false when the client is gone (the write or the flush failed). */
    synchronized boolean write() {
        if (stopped || !request.isAsyncStarted()) {
            return true; // done, or the handler has not returned yet: nothing to probe
        }
        try {
            if (!started) {
                started = true;
                if (!response.isCommitted()) {
                    response.setContentType(contentType);
                }
            }
            ServletOutputStream out = response.getOutputStream();
            out.write(' ');
            out.flush();
            return true;
        } catch (IOException | IllegalStateException e) {
            return false;
        }
    }

    synchronized void stop() {
        stopped = true;
    }
}
