package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A user's first program compiles with the README's imports from a package of its own (a first
 * compile once failed on where Task and TaskGroup live) and does what the README says.
 */
class FirstGroupTest {

    @Test
    void theReadmesFirstGroupCompilesOutsideTheLibraryAndRuns() {
        assertThat(FirstGroup.withTheTypes()).isEqualTo("ABB");
        assertThat(FirstGroup.firstOfTwo()).isEqualTo("FAST");
    }
}
