package dev.curio;

/** An I/O wait was requested on a resource another task already waits on (Curio's {@code ResourceBusy}). */
public class ResourceBusy extends CurioError {
    public ResourceBusy(String message) {
        super(message);
    }
}
