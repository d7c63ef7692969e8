package dev.curio.examples;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import java.io.PrintStream;

/** The tutorial's first program: a countdown while you wait for your kid to put their shoes on. */
public final class Countdown {

    static void countdown(PrintStream out, int n) {
        while (n > 0) {
            out.println("T-minus " + n);
            Curio.sleep(1);
            n--;
        }
    }

    static void run(Kernel.Builder kernel, PrintStream out) {
        Curio.run(kernel, () -> {
            countdown(out, 10);
            return null;
        });
    }

    public static void main(String[] args) {
        run(Kernel.builder(), System.out);
    }
}
