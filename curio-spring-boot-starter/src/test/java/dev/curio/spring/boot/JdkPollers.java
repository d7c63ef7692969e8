package dev.curio.spring.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Works around a kernel bug (curio-core's ForeignVirtualThreadsTest, failing on purpose until it
 * is fixed): the JDK starts its socket pollers (sun.nio.ch.Poller's SubPoller virtual threads,
 * the default poller mode on Linux) the first time a virtual thread blocks on a socket, and they
 * inherit that thread's scheduler. If that thread is a task on a kernel-owned carrier, every
 * socket wake-up of the JVM then depends on that kernel's carrier running them, which it does not
 * while it idles, nor after it closed: a task stepped out in a JDBC read is never woken.
 *
 * <p>{@link #startOffTheKernels()} makes a virtual thread of the JDK's default scheduler block on
 * a loopback socket first, so the pollers start there. The tests that block on sockets in tasks
 * call it before their kernel starts.
 */
final class JdkPollers {

    private static boolean started;

    private JdkPollers() {}

    static synchronized void startOffTheKernels() throws InterruptedException {
        if (started) {
            return;
        }
        Thread t = Thread.ofVirtual().name("start-the-jdk-pollers").start(() -> {
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    Socket s = new Socket(server.getInetAddress(), server.getLocalPort())) {
                s.setSoTimeout(1);
                s.getInputStream().read(); // nothing comes: parks in sun.nio.ch.Poller, which starts
            } catch (SocketTimeoutException expected) {
                // the pollers started, on the default scheduler
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        t.join();
        started = true;
    }
}
