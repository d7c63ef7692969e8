package dev.curio.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test method as the main task of a fresh kernel on a {@link dev.curio.kernel.ManualClock}
 * that jumps to the next deadline whenever no task is ready: a ten-minute timeout is tested at
 * once, and orderings follow deadlines, not wall time. The test calls {@code Curio.*} directly;
 * it may take the {@link dev.curio.kernel.Kernel} and the {@code ManualClock} as parameters.
 * When the method returns, the kernel is closed, which cancels what it left running.
 *
 * <pre>{@code
 * @CurioTest
 * class ReminderTest {
 *     @Test
 *     void remindsAfterTenMinutes() {
 *         long start = Curio.clock();
 *         var reminder = Curio.spawn(() -> { Curio.sleep(Duration.ofMinutes(10)); return "tea"; });
 *         assertThat(reminder.join()).isEqualTo("tea");
 *         assertThat(Curio.clock() - start).isEqualTo(Duration.ofMinutes(10).toNanos());
 *     }
 * }
 * }</pre>
 *
 * On a class it applies to every test method, nested classes included; on a method, to that one.
 * For a kernel the test runs itself ({@code kernel.run(...)}), as Curio's tests do, register
 * {@link CurioKernelExtension} with {@code @ExtendWith} instead.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(CurioKernelExtension.class)
public @interface CurioTest {

    /**
     * Whether the clock jumps to the next deadline when the kernel is idle; false gives a clock
     * that moves only by {@code ManualClock.advance}.
     */
    boolean autojump() default true;
}
