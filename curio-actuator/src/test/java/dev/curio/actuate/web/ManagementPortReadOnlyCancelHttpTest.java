package dev.curio.actuate.web;

import dev.curio.kernel.Kernel;
import dev.curio.spring.boot.CurioTasks;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * Spring MVC with the actuator on a management port of its own (a child context with its own
 * dispatcher, which parses a multipart body before it finds a handler) and a base path, cancel
 * read-only (the default), no Spring Security: the {@link CancelPathSpellings} scenarios there.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0", "management.server.address=127.0.0.1", "management.server.base-path=/ops",
        "management.endpoints.web.exposure.include=curio", "curio.kernel-name=mvc-ops-ro"})
@ExtendWith(OutputCaptureExtension.class)
class ManagementPortReadOnlyCancelHttpTest implements CancelPathSpellings {

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
        return false;
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
