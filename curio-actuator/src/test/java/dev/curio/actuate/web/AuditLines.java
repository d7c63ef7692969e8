package dev.curio.actuate.web;

import java.util.List;
import org.springframework.boot.test.system.CapturedOutput;

/** The audit lines in the captured output, from {@code curio-cancel} on. */
final class AuditLines {

    private AuditLines() {}

    /** Every audit line so far containing {@code part}, in order. */
    static List<String> of(CapturedOutput output, String part) {
        return output.getOut().lines().filter(l -> l.contains("curio-cancel ") && l.contains(part))
                .map(l -> l.substring(l.indexOf("curio-cancel "))).toList();
    }

    /** How many audit lines so far. */
    static int count(CapturedOutput output) {
        return of(output, "").size();
    }
}
