package dev.curio.actuate.web;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@link SecuredEndpointScenarios} on Spring MVC: the README's {@code SecurityFilterChain} in
 * front of the endpoint, a real filter chain on Tomcat.
 */
@SpringBootTest(classes = SecuredCurioEndpointHttpTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "management.endpoints.web.exposure.include=curio,health,info",
                "management.endpoint.curio.access=unrestricted", "curio.kernel-name=secured"})
class SecuredCurioEndpointHttpTest extends SecuredEndpointScenarios {

    /** The application: its own auto-configuration (TestApp leaves Spring Security out), the README's chain, two users. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        /**
         * As in the README. Without the CSRF exemption (the README's first version) Spring Security
         * answered every cancel 403, alice's and anonymous ones alike: the clients send no CSRF token.
         */
        @Bean
        SecurityFilterChain actuator(HttpSecurity http) throws Exception {
            http.securityMatcher(EndpointRequest.toAnyEndpoint().excluding("health"))
                .authorizeHttpRequests(a -> a
                    .requestMatchers(EndpointRequest.to("curio")).hasRole("OPERATOR")
                    .anyRequest().hasRole("ADMIN"))
                .httpBasic(Customizer.withDefaults())
                .csrf(c -> c.ignoringRequestMatchers(EndpointRequest.to("curio")));
            return http.build();
        }

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("alice").password("{noop}alice-secret").roles("OPERATOR").build(),
                    User.withUsername("bob").password("{noop}bob-secret").roles("USER").build());
        }
    }
}
