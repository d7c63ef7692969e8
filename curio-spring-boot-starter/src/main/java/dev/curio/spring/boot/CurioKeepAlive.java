package dev.curio.spring.boot;

import dev.curio.kernel.Activation;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ApplicationContextEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Keeps a non-web application up while its kernel has user work. The kernel's thread is a daemon,
 * so without this a non-web Boot application serving TCP from a task exits as soon as its runners
 * return. A non-daemon platform thread ({@code curio-<name>-keep-alive}) holds the JVM from the
 * context's refresh until the application is ready <em>and</em> the kernel has no live task that
 * is neither a daemon nor the kernel's own machinery; it is started again when such a task appears
 * later, and let go when the context closes. Boot's {@code spring.main.keep-alive} instead holds an
 * application up until it is closed, whether it has work or not.
 *
 * <p>Threads: {@code live} and {@code ready} are touched only by the thread holding the kernel
 * (the activation's callbacks and actions posted to the kernel). {@code holder} and {@code closed}
 * change under {@code lock}, from the kernel's thread and from Spring's event threads; once closed,
 * nothing holds again. The holder thread only waits on its latch.
 */
public class CurioKeepAlive implements Activation, ApplicationListener<ApplicationEvent>, ApplicationContextAware {

    private final String kernelName;
    private final Object lock = new Object();
    private volatile ApplicationContext context;
    private volatile Kernel kernel;
    private int live;
    private boolean ready;
    private CountDownLatch holder;
    private boolean closed;

    public CurioKeepAlive(String kernelName) {
        this.kernelName = kernelName;
    }

    @Override
    public void setApplicationContext(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public void activate(Kernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public void created(Task<?> task) {
        if (counts(task) && live++ == 0 && ready) {
            hold(); // work again after the application had let go
        }
    }

    @Override
    public void terminated(Task<?> task) {
        if (counts(task) && --live == 0 && ready) {
            letGo();
        }
    }

    private static boolean counts(Task<?> task) {
        return !task.daemon() && !task.system();
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (!ours(event)) {
            return; // a child context's events (a management context) reach this listener too
        }
        if (event instanceof ContextRefreshedEvent) {
            hold(); // before the runners: the JVM must not end between a submit and its task
        } else if (event instanceof ApplicationReadyEvent) {
            Kernel k = kernel;
            if (k == null) {
                letGo(); // a kernel without this activation (an application's own bean): nothing to count
                return;
            }
            // Posted behind every submission the runners made, so their tasks are counted by now.
            k.post(() -> {
                ready = true;
                if (live == 0) {
                    letGo();
                }
            });
        } else if (event instanceof ContextClosedEvent) {
            synchronized (lock) {
                closed = true;
                letGo();
            }
        }
    }

    private boolean ours(ApplicationEvent event) {
        if (event instanceof ApplicationContextEvent e) {
            return e.getApplicationContext() == context;
        }
        if (event instanceof ApplicationReadyEvent e) {
            return e.getApplicationContext() == context;
        }
        return false;
    }

    /** Whether a keep-alive thread is holding the JVM up now. */
    public boolean holding() {
        synchronized (lock) {
            return holder != null;
        }
    }

    private void hold() {
        synchronized (lock) {
            if (holder != null || closed) {
                return;
            }
            CountDownLatch latch = new CountDownLatch(1);
            Thread.ofPlatform().name("curio-" + kernelName + "-keep-alive").daemon(false).start(() -> {
                try {
                    latch.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            holder = latch;
        }
    }

    private void letGo() {
        synchronized (lock) {
            if (holder != null) {
                holder.countDown();
                holder = null;
            }
        }
    }
}
