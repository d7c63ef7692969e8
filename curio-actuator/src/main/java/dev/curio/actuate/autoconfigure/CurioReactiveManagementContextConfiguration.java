package dev.curio.actuate.autoconfigure;

import dev.curio.actuate.endpoint.CurioEndpoint;
import dev.curio.actuate.web.CancelRequestWebFilter;
import dev.curio.actuate.web.TaskPageHandler;
import dev.curio.kernel.Kernel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.WebFilter;

/**
 * The WebFlux counterpart of {@link CurioServletManagementContextConfiguration}, living with the
 * actuator in the management context (on the management port when there is one, else in the
 * application's): the live task page at {@code <endpoint>/tasks.html} and the filter that checks
 * and audits cancel requests before Boot binds them. Both follow the endpoint's path.
 *
 * <p>How they are picked up: with a shared port this is imported into the application's context,
 * where the {@code DispatcherHandler} takes every {@link HandlerMapping} bean and
 * {@code WebHttpHandlerBuilder} every {@link WebFilter} bean; with a separate
 * {@code management.server.port} it is imported into Boot's child management context instead,
 * whose {@code @EnableWebFlux} dispatcher and own {@code HttpHandler}
 * ({@code WebHttpHandlerBuilder.applicationContext(child)}) do the same there, so the page and
 * the filter are on the management port only.
 */
@ManagementContextConfiguration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({DispatcherHandler.class, tools.jackson.databind.json.JsonMapper.class})
@ConditionalOnBooleanProperty(name = "curio.enabled", matchIfMissing = true)
@ConditionalOnAvailableEndpoint(endpoint = CurioEndpoint.class)
public class CurioReactiveManagementContextConfiguration {

    @Bean
    WebFilter curioCancelRequestFilter(PathMappedEndpoints endpoints, ObjectProvider<Kernel> kernel,
            ObjectProvider<EndpointAccessResolver> access) {
        return new CancelRequestWebFilter(CurioManagementWeb.endpointPath(endpoints), CurioManagementWeb.kernelName(kernel),
                CurioManagementWeb.cancelAllowed(access), CurioManagementWeb.FILTER_ORDER);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "curio.actuator.task-page.enabled", matchIfMissing = true)
    HandlerMapping curioTaskPage(PathMappedEndpoints endpoints) {
        return TaskPageHandler.mapping(CurioManagementWeb.endpointPath(endpoints) + "/tasks.html");
    }
}
