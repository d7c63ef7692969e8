package dev.curio.actuate.autoconfigure;

import dev.curio.actuate.endpoint.CurioEndpoint;
import dev.curio.actuate.web.CancelRequestFilter;
import dev.curio.actuate.web.TaskPageServlet;
import dev.curio.kernel.Kernel;
import jakarta.servlet.Servlet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * The servlet pieces that live with the actuator (in the management context: on the management
 * port when there is one, else in the application's): the live task page at
 * {@code <endpoint>/tasks.html} and the filter that checks and audits cancel requests before Boot
 * binds them. Both follow the endpoint's path ({@code management.endpoints.web.base-path},
 * {@code management.endpoints.web.path-mapping.curio}), so whatever guards the endpoint guards
 * them. {@link CurioReactiveManagementContextConfiguration} is the WebFlux counterpart.
 */
@ManagementContextConfiguration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({Servlet.class, ServletRegistrationBean.class, tools.jackson.databind.json.JsonMapper.class})
@ConditionalOnBooleanProperty(name = "curio.enabled", matchIfMissing = true)
@ConditionalOnAvailableEndpoint(endpoint = CurioEndpoint.class)
public class CurioServletManagementContextConfiguration {

    @Bean
    FilterRegistrationBean<CancelRequestFilter> curioCancelRequestFilter(PathMappedEndpoints endpoints,
            ObjectProvider<Kernel> kernel, ObjectProvider<EndpointAccessResolver> access) {
        String path = CurioManagementWeb.endpointPath(endpoints);
        CancelRequestFilter filter = new CancelRequestFilter(path, CurioManagementWeb.kernelName(kernel),
                CurioManagementWeb.cancelAllowed(access));
        FilterRegistrationBean<CancelRequestFilter> bean = new FilterRegistrationBean<>(filter, new ServletRegistrationBean<?>[0]);
        // Every path: the filter decides what is a cancel by the path as Spring MVC routes it, not
        // by the servlet container's mapping of the raw one.
        bean.addUrlPatterns("/*");
        bean.setOrder(CurioManagementWeb.FILTER_ORDER);
        bean.setName("curioCancelRequestFilter");
        return bean;
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "curio.actuator.task-page.enabled", matchIfMissing = true)
    ServletRegistrationBean<TaskPageServlet> curioTaskPage(PathMappedEndpoints endpoints) {
        ServletRegistrationBean<TaskPageServlet> bean = new ServletRegistrationBean<>(new TaskPageServlet(),
                CurioManagementWeb.endpointPath(endpoints) + "/tasks.html");
        bean.setName("curioTaskPage");
        return bean;
    }
}
