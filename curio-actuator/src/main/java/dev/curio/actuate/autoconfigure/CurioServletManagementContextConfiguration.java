package dev.curio.actuate.autoconfigure;

import dev.curio.actuate.endpoint.CurioEndpoint;
import dev.curio.actuate.web.CancelRequestFilter;
import dev.curio.actuate.web.TaskPageServlet;
import dev.curio.kernel.Kernel;
import jakarta.servlet.Servlet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
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
 * them.
 */
@ManagementContextConfiguration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({Servlet.class, ServletRegistrationBean.class, tools.jackson.databind.json.JsonMapper.class})
@ConditionalOnBooleanProperty(name = "curio.enabled", matchIfMissing = true)
@ConditionalOnAvailableEndpoint(endpoint = CurioEndpoint.class)
public class CurioServletManagementContextConfiguration {

    /** After Spring Security's filter chain (order -100), so the audit line names the principal. */
    static final int FILTER_ORDER = 0;

    static String endpointPath(PathMappedEndpoints endpoints) {
        String path = endpoints.getPath(EndpointId.of(CurioEndpoint.ID));
        return path == null ? "/actuator/" + CurioEndpoint.ID : path;
    }

    @Bean
    FilterRegistrationBean<CancelRequestFilter> curioCancelRequestFilter(PathMappedEndpoints endpoints,
            ObjectProvider<Kernel> kernel, ObjectProvider<EndpointAccessResolver> access) {
        String path = endpointPath(endpoints);
        CancelRequestFilter filter = new CancelRequestFilter(path,
                () -> kernel.getIfAvailable() == null ? "?" : kernel.getObject().name(),
                () -> {
                    EndpointAccessResolver r = access.getIfAvailable();
                    return r != null && r.accessFor(EndpointId.of(CurioEndpoint.ID), Access.READ_ONLY) == Access.UNRESTRICTED;
                });
        FilterRegistrationBean<CancelRequestFilter> bean = new FilterRegistrationBean<>(filter, new ServletRegistrationBean<?>[0]);
        bean.addUrlPatterns(path + "/*");
        bean.setOrder(FILTER_ORDER);
        bean.setName("curioCancelRequestFilter");
        return bean;
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "curio.actuator.task-page.enabled", matchIfMissing = true)
    ServletRegistrationBean<TaskPageServlet> curioTaskPage(PathMappedEndpoints endpoints) {
        ServletRegistrationBean<TaskPageServlet> bean = new ServletRegistrationBean<>(new TaskPageServlet(),
                endpointPath(endpoints) + "/tasks.html");
        bean.setName("curioTaskPage");
        return bean;
    }
}
