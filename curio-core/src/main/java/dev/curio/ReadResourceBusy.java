package dev.curio;

/** A second task tried to wait for reading on the same channel (Curio's {@code ReadResourceBusy}). */
public class ReadResourceBusy extends ResourceBusy {
    public ReadResourceBusy(String message) {
        super(message);
    }
}
