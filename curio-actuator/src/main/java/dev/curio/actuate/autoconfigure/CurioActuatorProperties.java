package dev.curio.actuate.autoconfigure;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The {@code curio.actuator.*} properties of the curio endpoint. Written by Spring's binder while
 * the context starts, then read-only; validates itself, naming the bad property.
 */
@ConfigurationProperties("curio.actuator")
public class CurioActuatorProperties implements Validator {

    /** Number of tasks in a page of the task table when the request gives no limit. */
    private int pageSize = 100;

    /** Largest page of the task table a request may ask for (its limit parameter). */
    private int maxPageSize = 1000;

    /**
     * Time to wait for the kernel to answer a read or a cancel through its inbox. A read that
     * waits longer shows a racy snapshot instead (marked consistent=false); a cancel answers 202
     * and stays queued.
     */
    private Duration kernelAnswerTimeout = Duration.ofSeconds(1);

    /** The live task page. */
    private final TaskPage taskPage = new TaskPage();

    public TaskPage getTaskPage() {
        return taskPage;
    }

    /** The live task page, served beside the endpoint at {@code <endpoint>/tasks.html}. */
    public static class TaskPage {

        /**
         * Whether to serve the live task page at the curio endpoint's path followed by
         * /tasks.html (on the management port when there is one).
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    public int getPageSize() {
        return pageSize;
    }

    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    public int getMaxPageSize() {
        return maxPageSize;
    }

    public void setMaxPageSize(int maxPageSize) {
        this.maxPageSize = maxPageSize;
    }

    public Duration getKernelAnswerTimeout() {
        return kernelAnswerTimeout;
    }

    public void setKernelAnswerTimeout(Duration kernelAnswerTimeout) {
        this.kernelAnswerTimeout = kernelAnswerTimeout;
    }

    @Override
    public boolean supports(Class<?> clazz) {
        return CurioActuatorProperties.class.isAssignableFrom(clazz);
    }

    @Override
    public void validate(Object target, Errors errors) {
        CurioActuatorProperties p = (CurioActuatorProperties) target;
        if (p.maxPageSize < 1) {
            errors.rejectValue("maxPageSize", "curio.actuator.max-page-size",
                    "curio.actuator.max-page-size must be >= 1, was " + p.maxPageSize);
        }
        if (p.pageSize < 1 || p.pageSize > p.maxPageSize) {
            errors.rejectValue("pageSize", "curio.actuator.page-size",
                    "curio.actuator.page-size must be in 1..curio.actuator.max-page-size (" + p.maxPageSize
                            + "), was " + p.pageSize);
        }
        if (p.kernelAnswerTimeout == null || p.kernelAnswerTimeout.isNegative() || p.kernelAnswerTimeout.isZero()) {
            errors.rejectValue("kernelAnswerTimeout", "curio.actuator.kernel-answer-timeout",
                    "curio.actuator.kernel-answer-timeout must be positive, was " + p.kernelAnswerTimeout);
        }
    }
}
