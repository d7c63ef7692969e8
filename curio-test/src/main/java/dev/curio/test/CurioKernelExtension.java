package dev.curio.test;

import dev.curio.kernel.Kernel;
import dev.curio.kernel.ManualClock;
import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Gives each test method a fresh {@link Kernel} on a {@link ManualClock} with autojump, injected
 * as a parameter ({@code Kernel kernel}, {@code ManualClock clock}) of the test method and of its
 * {@code @BeforeEach}/{@code @AfterEach} methods, and closes the kernel after the test (which
 * cancels the tasks it left). The test runs the kernel itself, as Curio's tests do:
 *
 * <pre>{@code
 * @ExtendWith(CurioKernelExtension.class)
 * class PingTest {
 *     @Test
 *     void pingsEverySecond(Kernel kernel) {
 *         List<Long> pings = kernel.run(() -> ...);
 *     }
 * }
 * }</pre>
 *
 * Under {@link CurioTest} the extension also runs the test method itself as the kernel's main
 * task, and {@code @CurioTest(autojump = false)} gives a clock that moves only by
 * {@code advance}. The test method's own exception (an assertion error, a checked exception)
 * reaches JUnit unchanged.
 *
 * <p>State: one {@link Fixture} per test method, in the method's extension-context store; JUnit
 * calls these callbacks on the thread that runs the test, and the test's task runs while that
 * thread waits in {@code Kernel.run}.
 */
public final class CurioKernelExtension implements ParameterResolver, InvocationInterceptor, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CurioKernelExtension.class);

    /** The kernel and clock of one test method. */
    private record Fixture(ManualClock clock, Kernel kernel) {}

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return (type == Kernel.class || type == ManualClock.class) && context.getTestMethod().isPresent();
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Fixture f = fixture(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == Kernel.class) {
            return f.kernel();
        }
        if (type == ManualClock.class) {
            return f.clock();
        }
        throw new ParameterResolutionException("CurioKernelExtension gives only Kernel and ManualClock, not " + type);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        runInKernel(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        runInKernel(invocation, context);
    }

    private void runInKernel(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        if (curioTest(context).isEmpty()) {
            invocation.proceed();
            return;
        }
        Kernel kernel = fixture(context).kernel();
        Throwable[] failure = new Throwable[1];
        kernel.run(context.getRequiredTestMethod().getName(), () -> {
            try {
                invocation.proceed();
            } catch (Throwable t) {
                failure[0] = t; // handed to JUnit as it is, never wrapped by the kernel
            }
            return null;
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Fixture f = context.getStore(NAMESPACE).remove(Fixture.class, Fixture.class);
        if (f != null) {
            f.kernel().close();
        }
    }

    private static Fixture fixture(ExtensionContext context) {
        return context.getStore(NAMESPACE).computeIfAbsent(Fixture.class, k -> {
            boolean autojump = curioTest(context).map(CurioTest::autojump).orElse(true);
            ManualClock clock = autojump ? ManualClock.autojump() : ManualClock.manual();
            Kernel kernel = Kernel.builder().name("test").clock(clock).build();
            return new Fixture(clock, kernel);
        }, Fixture.class);
    }

    /** The nearest {@link CurioTest}: on the method, its class, or an enclosing class. */
    private static Optional<CurioTest> curioTest(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            Optional<CurioTest> found = c.getElement().flatMap(e -> AnnotationSupport.findAnnotation(e, CurioTest.class));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
