package dev.curio.actuate.web;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.csrf.CsrfWebFilter;
import org.springframework.security.web.server.util.matcher.AndServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;

/**
 * {@link SecuredEndpointScenarios} on WebFlux (Reactor Netty): the README's
 * {@code SecurityWebFilterChain} in front of the endpoint. The cancel filter runs after Security's
 * {@code WebFilterChainProxy}, and the endpoint's operation on another thread: both lines name the
 * principal of the exchange.
 */
@SpringBootTest(classes = ReactiveSecuredCurioEndpointHttpTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.main.web-application-type=reactive", "server.address=127.0.0.1",
                "management.endpoints.web.exposure.include=curio,health,info",
                "management.endpoint.curio.access=unrestricted", "curio.kernel-name=secured-flux"})
class ReactiveSecuredCurioEndpointHttpTest extends SecuredEndpointScenarios {

    /** The application: its own auto-configuration (TestApp leaves Spring Security out), the README's chain, two users. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        /**
         * As in the README (its WebFlux snippet). Spring Security checks CSRF tokens on WebFlux too,
         * and its reactive CSRF configuration has no ignoring list: the endpoint is taken out of the
         * default matcher.
         */
        @Bean
        SecurityWebFilterChain actuator(ServerHttpSecurity http) {
            http.securityMatcher(EndpointRequest.toAnyEndpoint().excluding("health"))
                .authorizeExchange(a -> a
                    .matchers(EndpointRequest.to("curio")).hasRole("OPERATOR")
                    .anyExchange().hasRole("ADMIN"))
                .httpBasic(Customizer.withDefaults())
                .csrf(c -> c.requireCsrfProtectionMatcher(new AndServerWebExchangeMatcher(
                    CsrfWebFilter.DEFAULT_CSRF_MATCHER, new NegatedServerWebExchangeMatcher(EndpointRequest.to("curio")))));
            return http.build();
        }

        @Bean
        MapReactiveUserDetailsService users() {
            return new MapReactiveUserDetailsService(
                    User.withUsername("alice").password("{noop}alice-secret").roles("OPERATOR").build(),
                    User.withUsername("bob").password("{noop}bob-secret").roles("USER").build());
        }
    }
}
