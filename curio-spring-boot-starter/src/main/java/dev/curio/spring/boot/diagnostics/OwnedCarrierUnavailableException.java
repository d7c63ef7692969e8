package dev.curio.spring.boot.diagnostics;

/**
 * {@code curio.carrier=owned} was asked for and this JVM does not let a kernel own the carrier of
 * its virtual threads ({@code java.lang} is not opened to the application). Start-up fails with it;
 * {@link OwnedCarrierUnavailableFailureAnalyzer} tells the user what to add.
 */
public class OwnedCarrierUnavailableException extends IllegalStateException {

    private final String kernelName;

    public OwnedCarrierUnavailableException(String kernelName, Throwable cause) {
        super("Curio kernel '" + kernelName + "' was configured with curio.carrier=owned, and this JVM does not "
                + "permit the kernel-owned carrier (java.base/java.lang is not opened to the application)", cause);
        this.kernelName = kernelName;
    }

    public String kernelName() {
        return kernelName;
    }
}
