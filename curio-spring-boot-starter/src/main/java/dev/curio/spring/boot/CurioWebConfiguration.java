package dev.curio.spring.boot;

import dev.curio.spring.boot.web.CurioRequests;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link CurioRequests} for Spring MVC handlers, in a servlet web application with Spring MVC's
 * {@code DeferredResult} on the class path (spring-boot-starter-webmvc).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"org.springframework.web.context.request.async.DeferredResult",
        "jakarta.servlet.http.HttpServletRequest"})
class CurioWebConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CurioRequests curioRequests(CurioTasks tasks) {
        return new CurioRequests(tasks);
    }
}
