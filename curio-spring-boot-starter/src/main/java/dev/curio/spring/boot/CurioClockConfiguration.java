package dev.curio.spring.boot;

import dev.curio.kernel.KernelClock;
import dev.curio.kernel.ManualClock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The kernel bean's clock for tests ({@code curio.clock=autojump} or {@code manual}): a
 * {@link ManualClock} bean, which a test may inject to read or advance. The kernel bean uses any
 * {@link KernelClock} bean, so an application's own clock bean takes the place of this one.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(KernelClock.class)
class CurioClockConfiguration {

    @Bean
    @ConditionalOnProperty(name = "curio.clock", havingValue = "autojump")
    ManualClock curioAutojumpClock() {
        return ManualClock.autojump();
    }

    @Bean
    @ConditionalOnProperty(name = "curio.clock", havingValue = "manual")
    ManualClock curioManualClock() {
        return ManualClock.manual();
    }
}
