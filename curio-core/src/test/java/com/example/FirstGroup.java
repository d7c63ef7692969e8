package com.example;

import dev.curio.Curio;
import dev.curio.kernel.Task;     // Task<T>: what spawn returns
import dev.curio.task.TaskGroup;  // TaskGroup, TaskGroup.Wait

/** The README's imports block and first task group, as a user outside dev.curio writes them. */
public final class FirstGroup {
    private FirstGroup() {}

    static String fetch(String what) {
        Curio.sleep(what.length() * 0.001);
        return what.toUpperCase();
    }

    public static String withTheTypes() {
        return Curio.run(() -> {
            try (TaskGroup g = Curio.taskGroup()) {
                Task<String> a = g.spawn(() -> fetch("a"));
                Task<String> b = g.spawn(() -> fetch("bb"));
                g.join();
                return a.result() + b.result();
            }
        });
    }

    /** With {@code var}, only {@code dev.curio.Curio} is needed. */
    public static Object firstOfTwo() {
        return Curio.run(() -> {
            var g = Curio.taskGroup(TaskGroup.Wait.ANY, grp -> {
                grp.spawn(() -> fetch("slow one"));
                grp.spawn(() -> fetch("fast"));
            });
            return g.result();
        });
    }
}
