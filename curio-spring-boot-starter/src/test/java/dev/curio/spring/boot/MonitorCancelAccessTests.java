package dev.curio.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.monitor.Monitor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter's monitor cancels exactly when the actuator's curio endpoint may: one access setting for both. */
class MonitorCancelAccessTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CurioAutoConfiguration.class))
            .withPropertyValues("curio.monitor.enabled=true", "curio.monitor.port=0");

    @ParameterizedTest(name = "endpoint={0} default={1} max={2} -> cancel allowed {3}")
    @CsvSource(nullValues = "-", value = {
            "-, -, -, false",                        // read-only unless enabled
            "unrestricted, -, -, true",
            "UNRESTRICTED, -, -, true",
            "read-only, -, -, false",
            "none, -, -, false",
            "-, unrestricted, -, true",              // management.endpoints.access.default
            "read-only, unrestricted, -, false",     // the endpoint's own setting wins
            "unrestricted, -, read-only, false",     // capped by max-permitted
    })
    void cancelFollowsTheCurioEndpointsAccess(String endpoint, String dflt, String max, boolean allowed) {
        ApplicationContextRunner r = runner;
        if (endpoint != null) {
            r = r.withPropertyValues("management.endpoint.curio.access=" + endpoint);
        }
        if (dflt != null) {
            r = r.withPropertyValues("management.endpoints.access.default=" + dflt);
        }
        if (max != null) {
            r = r.withPropertyValues("management.endpoints.access.max-permitted=" + max);
        }
        r.run(ctx -> assertThat(ctx.getBean(Monitor.class).options().cancelAllowed()).isEqualTo(allowed));
    }

    @org.junit.jupiter.api.Test
    void aMisspelledAccessFailsTheContextNamingTheProperty() {
        runner.withPropertyValues("management.endpoint.curio.access=everything").run(ctx -> assertThat(ctx)
                .getFailure().rootCause().hasMessage(
                        "management.endpoint.curio.access must be none, read-only or unrestricted, was 'everything'"));
    }
}
