package dev.curio.spring.boot;

import dev.curio.kernel.BlockingCalls;
import dev.curio.kernel.CarrierKind;
import dev.curio.kernel.Kernel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The {@code curio.*} configuration properties. Field Javadoc becomes the IDE metadata.
 *
 * <p>Invariant: written only by Spring's binder while the context starts, then read-only. It
 * validates itself (Boot applies a properties object that is a {@link Validator}), so a bad value
 * fails start-up with a message that names the property.
 */
@ConfigurationProperties("curio")
public class CurioProperties implements Validator {

    /** Whether to auto-configure a Curio kernel. */
    private boolean enabled = true;

    /** Name of the kernel: its thread is "curio-<name>" and its metrics carry the tag kernel=<name>. */
    private String kernelName = "main";

    /**
     * Time to wait, after cancelling the top-level tasks at shutdown (then the remaining ones), for
     * them to finish; the tasks still alive then are logged by name and state. Keep it below
     * spring.lifecycle.timeout-per-shutdown-phase.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    /**
     * Admission bound: the kernel's live tasks (those its tasks spawned included) beyond which
     * CurioTasks and CurioRequests refuse new work (a request is answered 503 with Retry-After),
     * counted in curio.tasks.refused. 0, the default, sets no bound.
     */
    private int maxTasks = 0;

    /**
     * Time a task may hold the kernel in one cycle before the cycle counts as a long block: counted
     * in curio.scheduler.long.blocks, and warned in the log while it lasts, with the task's frames
     * (logger dev.curio.kernel.LongBlock, at most one line per 10 s per kernel).
     */
    private Duration longBlockThreshold = Duration.ofMillis(50);

    /**
     * Carrier of the kernel's virtual threads: "owned" (a platform thread of the kernel's own;
     * needs --add-opens java.base/java.lang=ALL-UNNAMED), "default" (the JDK's virtual-thread
     * scheduler) or "auto" (owned when the JVM permits it, else default).
     */
    private CarrierKind carrier = CarrierKind.AUTO;

    /**
     * What a task blocked in a JDK call outside a trap (Thread.sleep, JDBC, java.io, a contended
     * lock, BlockingQueue.take) does with the kernel: "release" (it steps out of the kernel, whose
     * other tasks, timeouts and sockets go on meanwhile; needs the owned carrier, else the kernel
     * holds and the start-up line says so) or "hold" (Curio's strict rule: every other task of the
     * kernel waits for the call; for code that relies on atomicity between traps).
     */
    private BlockingCalls blockingCalls = BlockingCalls.RELEASE;

    /**
     * How long the idle kernel polls its sockets before sleeping in its selector, while any
     * socket is waited on: saves a server the cost of being woken per message when messages come
     * one at a time, at the price of that much CPU per idle spell. Zero never polls; at most 10ms.
     */
    private Duration ioSpin = Duration.ofNanos(20_000);

    /**
     * Clock of the kernel: "system" (the real one), or for tests "autojump" (a ManualClock that
     * jumps to the next deadline whenever the kernel is idle, so sleeps and timeouts take no real
     * time) or "manual" (a ManualClock moved only by advance). A KernelClock bean takes precedence.
     */
    private CurioClock clock = CurioClock.SYSTEM;

    /**
     * Whether a non-web application stays up while its kernel has tasks that are neither daemons
     * nor the kernel's own (a TCP server, say), and may end once they have all finished.
     */
    private boolean keepAlive = true;

    private final Workers workers = new Workers();

    private final Monitor monitor = new Monitor();

    private final Metrics metrics = new Metrics();

    private final ContextPropagation contextPropagation = new ContextPropagation();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getKernelName() {
        return kernelName;
    }

    public void setKernelName(String kernelName) {
        this.kernelName = kernelName;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public int getMaxTasks() {
        return maxTasks;
    }

    public void setMaxTasks(int maxTasks) {
        this.maxTasks = maxTasks;
    }

    public Duration getLongBlockThreshold() {
        return longBlockThreshold;
    }

    public void setLongBlockThreshold(Duration longBlockThreshold) {
        this.longBlockThreshold = longBlockThreshold;
    }

    public CarrierKind getCarrier() {
        return carrier;
    }

    public void setCarrier(CarrierKind carrier) {
        this.carrier = carrier;
    }

    public BlockingCalls getBlockingCalls() {
        return blockingCalls;
    }

    public void setBlockingCalls(BlockingCalls blockingCalls) {
        this.blockingCalls = blockingCalls;
    }

    public Duration getIoSpin() {
        return ioSpin;
    }

    public void setIoSpin(Duration ioSpin) {
        this.ioSpin = ioSpin;
    }

    public CurioClock getClock() {
        return clock;
    }

    public void setClock(CurioClock clock) {
        this.clock = clock;
    }

    public boolean isKeepAlive() {
        return keepAlive;
    }

    public void setKeepAlive(boolean keepAlive) {
        this.keepAlive = keepAlive;
    }

    public Workers getWorkers() {
        return workers;
    }

    public Monitor getMonitor() {
        return monitor;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public ContextPropagation getContextPropagation() {
        return contextPropagation;
    }

    /** Worker pools that run blocking and CPU-bound calls off the kernel (Workers.runInThread, runInProcess). */
    public static class Workers {

        /** Maximum number of threads of the worker thread pool. */
        private int maxThreads = 64;

        /** Maximum number of processes of the worker process pool; defaults to the number of processors. */
        private Integer maxProcesses;

        /** Extra JVM options of the worker processes, such as -Xmx256m. */
        private List<String> processJvmOptions = new ArrayList<>();

        public List<String> getProcessJvmOptions() {
            return processJvmOptions;
        }

        public void setProcessJvmOptions(List<String> processJvmOptions) {
            this.processJvmOptions = processJvmOptions;
        }

        public int getMaxThreads() {
            return maxThreads;
        }

        public void setMaxThreads(int maxThreads) {
            this.maxThreads = maxThreads;
        }

        public Integer getMaxProcesses() {
            return maxProcesses;
        }

        public void setMaxProcesses(Integer maxProcesses) {
            this.maxProcesses = maxProcesses;
        }

        /** The effective process bound: the property, or the number of processors. */
        public int effectiveMaxProcesses() {
            return maxProcesses != null ? maxProcesses : Runtime.getRuntime().availableProcessors();
        }
    }

    /** The console monitor (Curio's ps/where/cancel), listening on the loopback interface only. */
    public static class Monitor {

        /** Whether to start the console monitor. */
        private boolean enabled = false;

        /** Loopback port of the console monitor; 0 picks a free port. */
        private int port = 48802;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }
    }

    /** Micrometer metrics of the kernel. */
    public static class Metrics {

        /** Whether to publish the kernel's Micrometer metrics (when Micrometer is present). */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Propagation of the caller's context (MDC, Observation) into submitted tasks. */
    public static class ContextPropagation {

        /** Whether submitted tasks carry the submitting thread's context (needs io.micrometer:context-propagation). */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    @Override
    public boolean supports(Class<?> clazz) {
        return CurioProperties.class.isAssignableFrom(clazz);
    }

    @Override
    public void validate(Object target, Errors errors) {
        CurioProperties p = (CurioProperties) target;
        if (p.kernelName == null || p.kernelName.isBlank()) {
            errors.rejectValue("kernelName", "curio.kernel-name.blank",
                    "curio.kernel-name must not be blank");
        }
        if (p.shutdownTimeout == null || p.shutdownTimeout.isNegative()) {
            errors.rejectValue("shutdownTimeout", "curio.shutdown-timeout.negative",
                    "curio.shutdown-timeout must be zero or positive, was " + p.shutdownTimeout);
        }
        if (p.maxTasks < 0) {
            errors.rejectValue("maxTasks", "curio.max-tasks.negative",
                    "curio.max-tasks must be zero (no bound) or positive, was " + p.maxTasks);
        }
        if (p.longBlockThreshold == null || p.longBlockThreshold.isNegative() || p.longBlockThreshold.isZero()) {
            errors.rejectValue("longBlockThreshold", "curio.long-block-threshold.not-positive",
                    "curio.long-block-threshold must be positive, was " + p.longBlockThreshold);
        }
        if (p.workers.maxThreads < 1) {
            errors.rejectValue("workers.maxThreads", "curio.workers.max-threads.not-positive",
                    "curio.workers.max-threads must be at least 1, was " + p.workers.maxThreads);
        }
        if (p.workers.maxProcesses != null && p.workers.maxProcesses < 1) {
            errors.rejectValue("workers.maxProcesses", "curio.workers.max-processes.not-positive",
                    "curio.workers.max-processes must be at least 1, was " + p.workers.maxProcesses);
        }
        if (p.ioSpin == null || p.ioSpin.isNegative() || p.ioSpin.compareTo(Kernel.MAX_IO_SPIN) > 0) {
            errors.rejectValue("ioSpin", "curio.io-spin.range",
                    "curio.io-spin must be between 0 and 10ms, was " + p.ioSpin);
        }
        if (p.carrier == null) {
            errors.rejectValue("carrier", "curio.carrier.null", "curio.carrier must be auto, owned or default");
        }
        if (p.blockingCalls == null) {
            errors.rejectValue("blockingCalls", "curio.blocking-calls.null", "curio.blocking-calls must be release or hold");
        }
        if (p.clock == null) {
            errors.rejectValue("clock", "curio.clock.null", "curio.clock must be system, autojump or manual");
        }
        if (p.monitor.port < 0 || p.monitor.port > 65535) {
            errors.rejectValue("monitor.port", "curio.monitor.port.range",
                    "curio.monitor.port must be between 0 and 65535, was " + p.monitor.port);
        }
    }
}
