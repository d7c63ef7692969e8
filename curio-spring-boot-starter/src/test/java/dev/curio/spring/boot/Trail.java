package dev.curio.spring.boot;

import java.util.ArrayList;
import java.util.List;

/** An ordered list of events, added from any thread, asserted exactly (as curio-core's Trail). */
final class Trail {
    private final List<String> events = new ArrayList<>();

    synchronized void add(String event) {
        events.add(event);
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }
}
