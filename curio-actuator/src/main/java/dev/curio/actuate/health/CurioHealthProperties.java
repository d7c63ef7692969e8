package dev.curio.actuate.health;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The {@code curio.health.*} properties of the curio health indicator. Written by Spring's binder
 * while the context starts, then read-only; validates itself, naming the bad property.
 */
@ConfigurationProperties("curio.health")
public class CurioHealthProperties implements Validator {

    /**
     * How long one task may hold the kernel before the curio health indicator reports it DOWN
     * (stalled); shorter holds over curio.long-block-threshold only show in its details and
     * metrics. A bare number is seconds.
     */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration stallThreshold = CurioHealthIndicator.DEFAULT_STALL_THRESHOLD;

    public Duration getStallThreshold() {
        return stallThreshold;
    }

    public void setStallThreshold(Duration stallThreshold) {
        this.stallThreshold = stallThreshold;
    }

    @Override
    public boolean supports(Class<?> clazz) {
        return CurioHealthProperties.class.isAssignableFrom(clazz);
    }

    @Override
    public void validate(Object target, Errors errors) {
        Duration d = ((CurioHealthProperties) target).stallThreshold;
        if (d == null || d.isNegative() || d.isZero()) {
            errors.rejectValue("stallThreshold", "curio.health.stall-threshold",
                    "curio.health.stall-threshold must be positive, was " + d);
        }
    }
}
