package dev.curio;

import java.util.ArrayList;
import java.util.List;

/** The ordered events a scenario produced; tests assert the whole list. Safe from any thread. */
public final class Trail {
    private final List<String> events = new ArrayList<>();

    public synchronized void add(Object event) {
        events.add(String.valueOf(event));
    }

    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    @Override
    public synchronized String toString() {
        return events.toString();
    }
}
