package dev.curio.spring.boot.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link TaskTimeoutProblemAdvice} and {@link KernelFullProblemAdvice} in a servlet or reactive web
 * application; an application's own bean of either type replaces it, and its own
 * {@code @ControllerAdvice} takes precedence over them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
@ConditionalOnClass(name = {"org.springframework.http.ProblemDetail",
        "org.springframework.web.bind.annotation.ControllerAdvice"})
public class CurioProblemDetailsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TaskTimeoutProblemAdvice curioTaskTimeoutProblemAdvice() {
        return new TaskTimeoutProblemAdvice();
    }

    @Bean
    @ConditionalOnMissingBean
    KernelFullProblemAdvice curioKernelFullProblemAdvice() {
        return new KernelFullProblemAdvice();
    }
}
