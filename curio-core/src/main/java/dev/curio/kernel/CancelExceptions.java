package dev.curio.kernel;

/**
 * Makes the exception of {@code Task.cancel(Class)} as Curio's {@code cancel(exc=MyError)} makes
 * it ({@code exc(exc.__name__)}): the class's simple name as its message. Stateless.
 */
final class CancelExceptions {

    private CancelExceptions() {}

    static Throwable make(Class<? extends Throwable> type) {
        java.lang.reflect.Constructor<? extends Throwable> c;
        Object[] args;
        try {
            c = type.getDeclaredConstructor(String.class);
            args = new Object[] {type.getSimpleName()};
        } catch (NoSuchMethodException e) {
            try {
                c = type.getDeclaredConstructor();
                args = new Object[0];
            } catch (NoSuchMethodException e2) {
                throw new IllegalArgumentException("cancel: " + type.getName()
                        + " has neither a (String) nor a no-argument constructor; pass an instance or a supplier");
            }
        }
        try {
            c.setAccessible(true); // a user's exception class is often nested or package-private
            return c.newInstance(args);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable why = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            throw new IllegalArgumentException("cancel: cannot make a " + type.getName() + " (" + why
                    + "); pass an instance or a supplier", why);
        }
    }
}
