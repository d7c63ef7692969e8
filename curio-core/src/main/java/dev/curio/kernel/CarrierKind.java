package dev.curio.kernel;

/** Which carrier runs a kernel's virtual threads (ARCHITECTURE.md §1); see {@link Kernel.Builder#carrier}. */
public enum CarrierKind {
    /** The kernel-owned carrier if this JVM permits it, else the default scheduler. */
    AUTO,
    /**
     * One platform thread of the kernel's own carries its tasks; needs
     * {@code --add-opens java.base/java.lang=ALL-UNNAMED}, else building the kernel fails.
     */
    OWNED,
    /** The JDK's default virtual-thread scheduler. */
    DEFAULT
}
