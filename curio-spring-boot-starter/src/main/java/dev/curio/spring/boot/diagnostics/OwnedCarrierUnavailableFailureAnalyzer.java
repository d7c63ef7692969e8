package dev.curio.spring.boot.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns {@link OwnedCarrierUnavailableException} into Boot's "APPLICATION FAILED TO START" report
 * with the two ways to open {@code java.lang} and the way to do without. Registered in
 * {@code META-INF/spring.factories}, where Boot looks for failure analyzers.
 */
class OwnedCarrierUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<OwnedCarrierUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, OwnedCarrierUnavailableException cause) {
        return new FailureAnalysis(
                "Curio kernel '" + cause.kernelName() + "' is configured with curio.carrier=owned, but this JVM does"
                        + " not permit the kernel-owned carrier: the package java.lang of module java.base is not"
                        + " opened to the application.",
                """
                Open java.lang to the application, in one of these ways:
                    - on the java command line: --add-opens java.base/java.lang=ALL-UNNAMED
                    - in the executable jar's manifest (read by java -jar): Add-Opens: java.base/java.lang
                      (with spring-boot-maven-plugin: a manifestEntries entry of maven-jar-plugin's archive)
                    - for spring-boot:run: <jvmArguments>--add-opens java.base/java.lang=ALL-UNNAMED</jvmArguments>
                or set curio.carrier=auto (the owned carrier when permitted, else the JDK's default scheduler)\
                 or curio.carrier=default.""",
                cause);
    }
}
