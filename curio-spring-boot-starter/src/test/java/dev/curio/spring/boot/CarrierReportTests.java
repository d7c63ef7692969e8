package dev.curio.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.kernel.BlockingCalls;
import dev.curio.kernel.CarrierKind;
import dev.curio.kernel.Kernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The start-up line: the carrier the kernel got and the rule it applies to blocking JDK calls, as
 * the kernel applies it (stepping out needs the owned carrier).
 */
@ExtendWith(OutputCaptureExtension.class)
class CarrierReportTests {

    private static String line(CarrierKind carrier, CarrierKind requested, BlockingCalls rule) {
        try (Kernel k = Kernel.builder().name("r").carrier(carrier).blockingCalls(rule).build()) {
            return CarrierReport.startupLine(k, requested, rule);
        }
    }

    @Test
    void theLineEndsWithTheRuleTheKernelApplies() {
        assertThat(line(CarrierKind.OWNED, CarrierKind.AUTO, BlockingCalls.RELEASE)).isEqualTo(
                "Curio kernel 'r' runs on the owned carrier (curio.carrier=auto); a task blocked in a JDK call steps"
                        + " out of the kernel (curio.blocking-calls=release)");
        assertThat(line(CarrierKind.OWNED, CarrierKind.OWNED, BlockingCalls.HOLD)).isEqualTo(
                "Curio kernel 'r' runs on the owned carrier (curio.carrier=owned); a task blocked in a JDK call holds"
                        + " the kernel (curio.blocking-calls=hold)");
        assertThat(line(CarrierKind.DEFAULT, CarrierKind.DEFAULT, BlockingCalls.RELEASE)).isEqualTo(
                "Curio kernel 'r' runs on the default carrier (curio.carrier=default); a task blocked in a JDK call"
                        + " holds the kernel: stepping out needs the owned carrier (curio.blocking-calls=release)");
        // a fallback keeps the carrier's advice where it was, and says what it means for blocking calls
        assertThat(line(CarrierKind.DEFAULT, CarrierKind.AUTO, BlockingCalls.RELEASE)).isEqualTo(
                "Curio kernel 'r' runs on the default carrier (curio.carrier=auto); " + CarrierReport.HOW_TO_GET_OWNED
                        + "; a task blocked in a JDK call holds the kernel: stepping out needs the owned carrier"
                        + " (curio.blocking-calls=release)");
    }

    @Test
    void theAutoConfiguredKernelLogsItsRuleAtStartUp(CapturedOutput output) {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CurioAutoConfiguration.class))
                .withPropertyValues("curio.kernel-name=strict", "curio.carrier=owned", "curio.blocking-calls=hold")
                .run(ctx -> assertThat(ctx).hasNotFailed());
        assertThat(output).contains("Curio kernel 'strict' runs on the owned carrier (curio.carrier=owned); a task"
                + " blocked in a JDK call holds the kernel (curio.blocking-calls=hold)");
    }
}
