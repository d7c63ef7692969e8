package dev.curio.sample.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Where Prometheus is missing, the dashboard test fails (never skips) and says how to install it;
 * Grafana's interval variables come out as Grafana computes them.
 */
class PrometheusServerTest {

    @Test
    void aMissingBinaryFailsSayingHowToInstallIt() {
        assertThatThrownBy(() -> PrometheusServer.requireBinary("prometheus-that-is-not-installed"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("prometheus-that-is-not-installed is not installed")
                .hasMessageContaining(".ci/run installs it")
                .hasMessageContaining("apt-get install prometheus");
    }

    @Test
    void rateIntervalsAreGrafanasForOneFifteenAndSixtySecondScrapes() {
        GrafanaVariables oneSecond = new GrafanaVariables(Duration.ofSeconds(1), Duration.ofMinutes(5), 1000, ".*", "k");
        GrafanaVariables fifteen = new GrafanaVariables(Duration.ofSeconds(15), Duration.ofHours(1), 1000, ".*", "k");
        GrafanaVariables sixty = new GrafanaVariables(Duration.ofSeconds(60), Duration.ofHours(1), 1000, ".*", "k");
        // 5 m over 1000 points rounds to 200 ms, below the 1 s scrape: $__interval 1 s, 4 scrapes win
        assertThat(oneSecond.substitute("rate(x[$__rate_interval]) $__interval $__range", null))
                .isEqualTo("rate(x[4s]) 1s 300s");
        // the hold panels' min interval of 1 m
        assertThat(oneSecond.substitute("[$__rate_interval]", "1m")).isEqualTo("[61s]");
        assertThat(fifteen.substitute("[$__rate_interval]", null)).isEqualTo("[60s]");
        assertThat(fifteen.substitute("[$__rate_interval]", "1m")).isEqualTo("[75s]");
        assertThat(sixty.substitute("[$__rate_interval]", "1m")).isEqualTo("[240s]");
        assertThat(sixty.substitute("{instance=~\"$instance\",kernel=~\"$kernel\"}", null))
                .isEqualTo("{instance=~\".*\",kernel=~\"k\"}");
    }
}
