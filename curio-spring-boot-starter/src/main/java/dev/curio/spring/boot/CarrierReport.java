package dev.curio.spring.boot;

import dev.curio.kernel.BlockingCalls;
import dev.curio.kernel.CarrierKind;
import dev.curio.kernel.Kernel;
import java.util.Locale;

/**
 * The start-up line that says which carrier the kernel got and, when it fell back to the JDK's
 * default scheduler, how to get the kernel-owned one: a {@code java -jar} of a Boot jar runs on the
 * default carrier unless the jar's manifest opens {@code java.lang}, and that is easy to miss. It
 * ends with the rule the kernel applies to blocking JDK calls ({@code curio.blocking-calls}), as
 * the kernel applies it: stepping out needs the owned carrier, so a fallback holds instead.
 */
final class CarrierReport {

    /** What a user adds to get the owned carrier, in both of the places the JVM reads it from. */
    static final String HOW_TO_GET_OWNED = "for the owned carrier (about 2x faster task switches) start java with "
            + "--add-opens java.base/java.lang=ALL-UNNAMED, or give the executable jar the manifest entry "
            + "'Add-Opens: java.base/java.lang' (read by java -jar; see the README's 'Adding it to your Boot "
            + "application'); curio.carrier=default silences this";

    private CarrierReport() {
    }

    static String startupLine(Kernel kernel, CarrierKind requested, BlockingCalls blockingCalls) {
        String line = "Curio kernel '" + kernel.name() + "' runs on the " + kernel.carrierKind()
                + " carrier (curio.carrier=" + requested.name().toLowerCase(Locale.ROOT) + ")";
        if (fellBack(kernel, requested)) {
            line += "; " + HOW_TO_GET_OWNED;
        }
        return line + "; " + blockingRule(kernel, blockingCalls);
    }

    /** What a task blocked in a JDK call does with this kernel, and the property that says so. */
    static String blockingRule(Kernel kernel, BlockingCalls requested) {
        String property = "(curio.blocking-calls=" + requested.name().toLowerCase(Locale.ROOT) + ")";
        if (kernel.blockingCalls() == BlockingCalls.RELEASE) {
            return "a task blocked in a JDK call steps out of the kernel " + property;
        }
        if (requested == BlockingCalls.RELEASE) {
            return "a task blocked in a JDK call holds the kernel: stepping out needs the owned carrier " + property;
        }
        return "a task blocked in a JDK call holds the kernel " + property;
    }

    /** Whether the kernel was free to take the owned carrier and did not get it. */
    static boolean fellBack(Kernel kernel, CarrierKind requested) {
        return requested == CarrierKind.AUTO && "default".equals(kernel.carrierKind());
    }
}
