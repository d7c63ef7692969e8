package dev.curio.examples;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import dev.curio.task.TaskGroup;
import dev.curio.time.Timeout;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of Curio's "Happy Eyeballs" example without the network: connection attempts to
 * several endpoints start staggered by a delay, the first one to succeed wins, and the task group
 * (wait = OBJECT) cancels the others. An endpoint is simulated by how long it takes and whether
 * it fails.
 */
public final class HappyEyeballs {

    /** A simulated endpoint: answers after {@code latency}, or fails after it. */
    record Endpoint(String address, Duration latency, boolean fails) {}

    static String connect(PrintStream out, Endpoint e, List<String> errors) {
        out.println("trying " + e.address());
        try {
            Curio.sleep(e.latency());
            if (e.fails()) {
                throw new IllegalStateException("connection refused by " + e.address());
            }
            out.println("connected to " + e.address());
            return e.address();
        } catch (IllegalStateException ex) {
            errors.add(ex.getMessage());
            out.println("failed " + e.address());
            return null;
        } catch (dev.curio.CancelledError ex) {
            out.println("gave up on " + e.address());
            throw ex;
        }
    }

    static String openConnection(PrintStream out, List<Endpoint> targets, Duration delay) {
        List<String> errors = new ArrayList<>();
        try (TaskGroup group = new TaskGroup(TaskGroup.Wait.OBJECT)) {
            for (Endpoint e : targets) {
                group.spawn(e.address(), () -> connect(out, e, errors));
                Object won = Timeout.ignoreAfter(delay).call(group::nextResult);
                if (won != null) {
                    return (String) won;
                }
            }
            group.join();
            if (group.completed() != null) {
                return (String) group.completed().result();
            }
        }
        throw new IllegalStateException("no endpoint answered: " + errors);
    }

    static List<Endpoint> demoTargets() {
        return List.of(
                new Endpoint("[2001:db8::1]:80", Duration.ofMillis(1000), false),
                new Endpoint("192.0.2.1:80", Duration.ofMillis(100), true),
                new Endpoint("192.0.2.2:80", Duration.ofMillis(200), false),
                new Endpoint("192.0.2.3:80", Duration.ofMillis(50), false));
    }

    static void run(Kernel.Builder kernel, PrintStream out) {
        String winner = Curio.run(kernel, () -> openConnection(out, demoTargets(), Duration.ofMillis(300)));
        out.println("result: " + winner);
    }

    public static void main(String[] args) {
        run(Kernel.builder(), System.out);
    }
}
