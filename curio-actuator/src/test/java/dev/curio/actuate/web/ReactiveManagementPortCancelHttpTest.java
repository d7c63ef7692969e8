package dev.curio.actuate.web;

import dev.curio.kernel.Kernel;
import dev.curio.spring.boot.CurioTasks;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * WebFlux (Reactor Netty) with the actuator on a management port of its own (a child context with
 * its own dispatcher and web filters) and a base path, cancel allowed, no Spring Security: the
 * {@link CancelPathSpellings} scenarios there.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=reactive", "management.server.port=0",
        "management.server.address=127.0.0.1", "management.server.base-path=/ops",
        "management.endpoints.web.exposure.include=curio", "management.endpoint.curio.access=unrestricted",
        "curio.kernel-name=flux-ops",
        // this module's tests have Tomcat (for Spring MVC) beside Netty; a WebFlux application has only Netty
        "spring.autoconfigure.exclude=org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration"})
@ExtendWith(OutputCaptureExtension.class)
class ReactiveManagementPortCancelHttpTest implements CancelPathSpellings {

    @LocalManagementPort
    int managementPort;

    @Autowired
    CurioTasks tasks;

    @Autowired
    Kernel kernel;

    @Override
    public int actuatorPort() {
        return managementPort;
    }

    @Override
    public String basePath() {
        return "/ops";
    }

    @Override
    public boolean cancelAllowed() {
        return true;
    }

    @Override
    public CurioTasks tasks() {
        return tasks;
    }

    @Override
    public Kernel kernel() {
        return kernel;
    }
}
