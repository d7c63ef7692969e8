package dev.curio.actuate.autoconfigure;

import dev.curio.actuate.endpoint.CurioEndpoint;
import dev.curio.kernel.Kernel;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;

/**
 * What the servlet and the WebFlux management configurations share: where the endpoint is, and
 * what the cancel filters ask of the context. Free of servlet and reactive types, so either
 * configuration loads it without the other stack on the class path.
 */
final class CurioManagementWeb {

    /** After Spring Security's filter chain (order -100 on both stacks), so the audit line names the principal. */
    static final int FILTER_ORDER = 0;

    private CurioManagementWeb() {}

    /** The endpoint's path within the management context, e.g. {@code /actuator/curio}. */
    static String endpointPath(PathMappedEndpoints endpoints) {
        String path = endpoints.getPath(EndpointId.of(CurioEndpoint.ID));
        return path == null ? "/actuator/" + CurioEndpoint.ID : path;
    }

    /** The kernel's name for the audit line, {@code ?} without a kernel. */
    static Supplier<String> kernelName(ObjectProvider<Kernel> kernel) {
        return () -> {
            Kernel k = kernel.getIfAvailable();
            return k == null ? "?" : k.name();
        };
    }

    /** Whether the endpoint's access currently allows its write operation (cancel). */
    static BooleanSupplier cancelAllowed(ObjectProvider<EndpointAccessResolver> access) {
        return () -> {
            EndpointAccessResolver r = access.getIfAvailable();
            return r != null && r.accessFor(EndpointId.of(CurioEndpoint.ID), Access.READ_ONLY) == Access.UNRESTRICTED;
        };
    }
}
