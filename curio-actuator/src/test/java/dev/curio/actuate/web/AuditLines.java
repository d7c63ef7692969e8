package dev.curio.actuate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
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

    /** An answer and the audit lines its request wrote. */
    record Sent(TestApp.Answer answer, List<String> lines) {

        /** The one line the request wrote; fails unless it wrote exactly one. */
        String line() {
            assertThat(lines).as("one audit line").hasSize(1);
            return lines.get(0);
        }
    }

    /** Sends {@code request}, checks it was answered {@code status}, and returns the answer with the lines it wrote. */
    static Sent send(CapturedOutput output, HttpRequest request, int status) throws IOException, InterruptedException {
        int before = of(output, "").size();
        TestApp.Answer answer = TestApp.send(request);
        assertThat(answer.status()).as(request.toString()).isEqualTo(status);
        List<String> all = of(output, "");
        return new Sent(answer, all.subList(before, all.size()));
    }
}
