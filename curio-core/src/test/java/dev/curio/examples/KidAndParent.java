package dev.curio.examples;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.kernel.Kernel;
import dev.curio.task.TaskGroup;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The tutorial's kid and parent, in its final form: the kid plays with friends in a task group,
 * the parent counts down, waits ten seconds for the kid, then cancels them all.
 */
public final class KidAndParent {

    static void friend(PrintStream out, String name) {
        out.println("Hi, my name is " + name);
        out.println("Playing Minecraft");
        try {
            Curio.sleep(1000);
        } catch (CancelledError e) {
            out.println(name + " going home");
            throw e;
        }
    }

    static void kid(PrintStream out) {
        out.println("Building the Millenium Falcon in Minecraft");
        try (TaskGroup f = new TaskGroup()) {
            f.spawn("Max", () -> friend(out, "Max"));
            f.spawn("Lillian", () -> friend(out, "Lillian"));
            f.spawn("Thomas", () -> friend(out, "Thomas"));
            try {
                Curio.sleep(1000);
            } catch (CancelledError e) {
                out.println("Fine. Saving my work.");
                throw e;
            }
            f.join();
        }
    }

    static void parent(PrintStream out) {
        var kidTask = Curio.spawn("kid", () -> kid(out));
        Curio.sleep(5);

        out.println("Let's go");
        var countTask = Curio.spawn("countdown", () -> Countdown.countdown(out, 10));
        countTask.join();

        out.println("We're leaving!");
        try {
            Curio.timeoutAfter(Duration.ofSeconds(10), kidTask::join);
        } catch (TaskTimeout e) {
            out.println("I warned you!");
            kidTask.cancel();
        }
        out.println("Leaving!");
    }

    static void run(Kernel.Builder kernel, PrintStream out) {
        Curio.run(kernel, () -> {
            parent(out);
            return null;
        });
    }

    public static void main(String[] args) {
        run(Kernel.builder(), System.out);
    }
}
