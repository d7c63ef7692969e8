package dev.curio.spring.boot;

import java.util.Locale;
import org.springframework.core.env.Environment;

/**
 * Whether the console monitor may cancel tasks: exactly when the actuator's {@code curio} endpoint
 * may ({@code management.endpoint.curio.access=unrestricted}, else
 * {@code management.endpoints.access.default}, else the endpoint's own read-only default, capped by
 * {@code management.endpoints.access.max-permitted}), so one setting opens or closes both. Read from
 * the environment as Boot's endpoint access resolver reads it, since the starter does not need the
 * actuator on the class path. Stateless.
 */
final class MonitorCancelAccess {

    /** Boot's {@code Access} levels, weakest first. */
    private enum Level { NONE, READ_ONLY, UNRESTRICTED }

    private MonitorCancelAccess() {}

    static boolean allowed(Environment env) {
        Level access = level(env, "management.endpoint.curio.access");
        if (access == null) {
            access = level(env, "management.endpoints.access.default");
        }
        if (access == null) {
            access = Level.READ_ONLY; // the endpoint's default access
        }
        Level max = level(env, "management.endpoints.access.max-permitted");
        if (max != null && max.ordinal() < access.ordinal()) {
            access = max;
        }
        return access == Level.UNRESTRICTED;
    }

    /** The level a property names, leniently as Boot binds enums ({@code read-only}, {@code READ_ONLY}); null when unset. */
    private static Level level(Environment env, String property) {
        String value = env.getProperty(property);
        if (value == null || value.isBlank()) {
            return null;
        }
        String bare = value.replaceAll("[^A-Za-z0-9]", "").toUpperCase(Locale.ROOT);
        for (Level l : Level.values()) {
            if (l.name().replace("_", "").equals(bare)) {
                return l;
            }
        }
        throw new IllegalStateException(property + " must be none, read-only or unrestricted, was '" + value + "'");
    }
}
