package dev.curio.bench;

import dev.curio.kernel.Kernel;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * Builds kernels on a named carrier ({@code owned} or {@code default}) for the benchmarks.
 *
 * <p>The builder's {@code carrier(Carrier.Kind)} is public but its enum is package-private, so it
 * is reached by reflection (no {@code --add-opens} needed: both sit on the class path). Every
 * kernel built here is checked to really run on the carrier asked for, so a JVM that cannot give
 * the kernel-owned carrier fails the benchmark instead of silently measuring the other one.
 * Stateless; any thread.
 */
final class Carriers {

    private Carriers() {}

    static Kernel build(String carrier, String kernelName) {
        if (!carrier.equals("owned") && !carrier.equals("default")) {
            throw new IllegalArgumentException("carrier must be owned or default, was '" + carrier + "'");
        }
        Kernel.Builder b = Kernel.builder().name(kernelName);
        try {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Class<Enum> kind = (Class<Enum>) Class.forName("dev.curio.kernel.Carrier$Kind");
            @SuppressWarnings("unchecked")
            Object value = Enum.valueOf(kind, carrier.toUpperCase(Locale.ROOT));
            Method m = Kernel.Builder.class.getMethod("carrier", kind);
            m.invoke(b, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot select the " + carrier + " carrier", e);
        }
        Kernel k = b.build();
        if (!k.carrierKind().equals(carrier)) {
            throw new IllegalStateException("asked for the " + carrier + " carrier, got " + k);
        }
        return k;
    }
}
