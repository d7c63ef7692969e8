package dev.curio;

/** A second task tried to wait for writing on the same channel (Curio's {@code WriteResourceBusy}). */
public class WriteResourceBusy extends ResourceBusy {
    public WriteResourceBusy(String message) {
        super(message);
    }
}
