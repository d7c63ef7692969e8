package dev.curio.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one formatter of curio-cancel lines: order kept, nulls left out, quoting, sanitising. */
class AuditLineTest {

    @Test
    void pairsInTheirOrderNullsLeftOutQuotedWhenNotBare() {
        assertThat(AuditLine.format("source", "monitor", "task", "42", "name", null, "by", "127.0.0.1:5000",
                "tasks", "[42,43]", "reason", "stuck on \"the\" bank\\API"))
                .isEqualTo("curio-cancel source=monitor task=42 by=127.0.0.1:5000 tasks=[42,43]"
                        + " reason=\"stuck on \\\"the\\\" bank\\\\API\"");
    }

    @Test
    void noValueCanBreakOrDisguiseTheLine() {
        String line = AuditLine.format("reason", "a\nb\u0085c\u2028d\u2029e\u202ef\u2066g\u0000h");
        assertThat(line).isEqualTo("curio-cancel reason=\"a b c d e f g h\"");
        assertThat(line.lines()).hasSize(1);
    }

    @Test
    void keysAndValuesComeInPairs() {
        assertThatThrownBy(() -> AuditLine.format("source"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("keys and values come in pairs, got 1 strings");
        assertThatThrownBy(() -> AuditLine.format("source", "x", null, "y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("key 1 is null");
    }
}
