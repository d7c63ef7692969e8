package dev.curio.spring.boot.diagnostics;

/**
 * A listener opened at start-up could not bind its port: the starter's console monitor, or an
 * application's own server bound by a runner (the sample application's chat and echo servers).
 * {@link CurioPortInUseFailureAnalyzer} names the port and the property that sets it.
 */
public class CurioPortInUseException extends IllegalStateException {

    private final String what;
    private final String address;
    private final int port;
    private final String property;

    /**
     * @param what     the listener, e.g. "the Curio console monitor of kernel 'main'"
     * @param address  the address it tried, e.g. "127.0.0.1"
     * @param port     the port it tried
     * @param property the property that sets the port, e.g. "curio.monitor.port"
     */
    public CurioPortInUseException(String what, String address, int port, String property, Throwable cause) {
        super(what + " could not listen on " + address + ":" + port + " (" + property + ")", cause);
        this.what = what;
        this.address = address;
        this.port = port;
        this.property = property;
    }

    public String what() {
        return what;
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    public String property() {
        return property;
    }
}
