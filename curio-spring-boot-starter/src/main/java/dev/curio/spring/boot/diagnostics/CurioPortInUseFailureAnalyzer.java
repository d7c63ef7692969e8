package dev.curio.spring.boot.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns {@link CurioPortInUseException} into Boot's "APPLICATION FAILED TO START" report naming the
 * port and the property to change, as Boot's own analyzer does for the web server's port.
 */
class CurioPortInUseFailureAnalyzer extends AbstractFailureAnalyzer<CurioPortInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, CurioPortInUseException cause) {
        String why = cause.getCause() != null && cause.getCause().getMessage() != null
                ? " (" + cause.getCause().getMessage() + ")" : "";
        return new FailureAnalysis(
                "Port " + cause.port() + " on " + cause.address() + " was already in use: " + cause.what()
                        + " could not listen on it" + why + ".",
                "Identify and stop the process that is listening on port " + cause.port() + ", or set "
                        + cause.property() + " to another port (0 picks a free one).",
                cause);
    }
}
