package dev.curio.kernel;

import java.time.Duration;
import java.util.List;

/**
 * A time a task held its kernel longer than the long-block threshold (see
 * {@link Kernel.Builder#longBlockThreshold}), as seen while it held it.
 *
 * @param task the task
 * @param heldNanos how long it held the kernel: when seen, or in all once {@code ended}
 * @param frames its innermost stack frames when it was seen, innermost first
 * @param parkedInJdk whether it was blocked in a JDK call (that held the kernel under
 *        {@link BlockingCalls#HOLD}) rather than running
 * @param ended whether the hold has ended ({@code heldNanos} is then its whole length)
 */
public record LongBlock(Task<?> task, long heldNanos, StackTraceElement[] frames, boolean parkedInJdk, boolean ended) {

    public LongBlock {
        frames = frames.clone();
    }

    @Override
    public StackTraceElement[] frames() {
        return frames.clone();
    }

    public Duration held() {
        return Duration.ofNanos(heldNanos);
    }

    /** The frames as text, innermost first. */
    public List<String> where() {
        return java.util.Arrays.stream(frames).map(StackTraceElement::toString).toList();
    }

    LongBlock ended(long totalNanos) {
        return new LongBlock(task, totalNanos, frames, parkedInJdk, true);
    }
}
