package dev.curio.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.TestKernels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The tutorial's opening programs, run on a manual clock; their output is the tutorial's. */
class TutorialExamplesTest {

    private static List<String> output(Consumer<PrintStream> program) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            program.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void countdown() {
        assertThat(output(out -> Countdown.run(TestKernels.autojump(), out))).containsExactly(
                "T-minus 10", "T-minus 9", "T-minus 8", "T-minus 7", "T-minus 6",
                "T-minus 5", "T-minus 4", "T-minus 3", "T-minus 2", "T-minus 1");
    }

    @Test
    void kidAndParentWithFriends() {
        assertThat(output(out -> KidAndParent.run(TestKernels.autojump(), out))).containsExactly(
                "Building the Millenium Falcon in Minecraft",
                "Hi, my name is Max", "Playing Minecraft",
                "Hi, my name is Lillian", "Playing Minecraft",
                "Hi, my name is Thomas", "Playing Minecraft",
                "Let's go",
                "T-minus 10", "T-minus 9", "T-minus 8", "T-minus 7", "T-minus 6",
                "T-minus 5", "T-minus 4", "T-minus 3", "T-minus 2", "T-minus 1",
                "We're leaving!",
                "I warned you!",
                "Fine. Saving my work.",
                "Max going home", "Lillian going home", "Thomas going home",
                "Leaving!");
    }

    @Test
    void happyEyeballsFirstSuccessWinsAndTheRestAreCancelled() {
        // t=0 v6 starts (1000 ms); t=300 v4-1 starts and fails at 400; t=600 v4-2 starts (200 ms),
        // connects at 800 before the next stagger (900); the v6 attempt is cancelled.
        assertThat(output(out -> HappyEyeballs.run(TestKernels.autojump(), out))).containsExactly(
                "trying [2001:db8::1]:80",
                "trying 192.0.2.1:80",
                "failed 192.0.2.1:80",
                "trying 192.0.2.2:80",
                "connected to 192.0.2.2:80",
                "gave up on [2001:db8::1]:80",
                "result: 192.0.2.2:80");
    }
}
