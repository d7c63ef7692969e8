package dev.curio.kernel;

/**
 * Names what the JDK blocks a task in, from its stack: the outermost JDK frame of the innermost
 * run of JDK frames (the JDK call that the task's code, or a library it uses, made) and the
 * frame that called it. Stateless.
 */
final class BlockedIn {

    private BlockedIn() {}

    static String describe(StackTraceElement[] stack) {
        if (stack.length > 0 && !jdk(stack[0])) {
            // Blocked in its own frame: only a monitor enter parks there (JEP 491).
            return "synchronized (entering a monitor) at " + stack[0];
        }
        for (int i = 1; i < stack.length; i++) {
            if (!jdk(stack[i])) {
                return name(stack[i - 1]) + " (called from " + stack[i] + ")";
            }
        }
        return stack.length == 0 ? "the JDK" : name(stack[stack.length - 1]);
    }

    private static boolean jdk(StackTraceElement e) {
        String c = e.getClassName();
        return c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.") || c.startsWith("com.sun.");
    }

    private static String name(StackTraceElement e) {
        String c = e.getClassName();
        return c.substring(c.lastIndexOf('.') + 1) + "." + e.getMethodName();
    }
}
