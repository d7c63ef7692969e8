package dev.curio.bench;

import dev.curio.kernel.CarrierKind;
import dev.curio.kernel.Kernel;
import java.util.Locale;

/**
 * Builds kernels on a named carrier ({@code owned} or {@code default}) for the benchmarks. Every
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
        Kernel k = Kernel.builder().name(kernelName)
                .carrier(CarrierKind.valueOf(carrier.toUpperCase(Locale.ROOT))).build();
        if (!k.carrierKind().equals(carrier)) {
            throw new IllegalStateException("asked for the " + carrier + " carrier, got " + k);
        }
        return k;
    }
}
