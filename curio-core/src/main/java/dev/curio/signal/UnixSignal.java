package dev.curio.signal;

/**
 * The Unix signals a {@link SignalQueue} or {@link SignalEvent} may name. Whether one can be
 * caught depends on the JVM: HotSpot on Linux keeps {@code QUIT} (thread dumps), {@code KILL},
 * {@code STOP}, {@code SEGV}, {@code FPE} and {@code ILL} for itself, and with {@code -Xrs} also
 * {@code HUP}, {@code INT} and {@code TERM}; naming one of those is an
 * {@link IllegalArgumentException}. Numbers are the platform's (USR1 is 10 on Linux, 30 on macOS).
 */
public enum UnixSignal {
    HUP, INT, QUIT, ILL, TRAP, ABRT, BUS, FPE, KILL, USR1, SEGV, USR2, PIPE, ALRM, TERM, CHLD, CONT, STOP,
    TSTP, TTIN, TTOU, URG, XCPU, XFSZ, VTALRM, PROF, WINCH, IO, SYS;

    /** The signal's number on this platform. */
    public int number() {
        return new sun.misc.Signal(name()).getNumber();
    }

    /** The conventional name, such as {@code "SIGUSR1"}. */
    public String signalName() {
        return "SIG" + name();
    }
}
