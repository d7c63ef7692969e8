package dev.curio.bench.echo;

import dev.curio.Curio;
import dev.curio.io.Socket;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Trap;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectableChannel;

/**
 * An experiment of the echo benchmark (issue 15), not a peer: our echo server with the system
 * calls Netty's native transport makes. Netty reads and writes a socket with {@code recv} and
 * {@code send}; the JDK's {@code SocketChannel} with {@code read} and {@code write}, which go
 * through the kernel's file layer first ({@code fdget_pos}, {@code vfs_read}, {@code rw_verify_area},
 * {@code sock_read_iter}, ...). This server is {@code EchoServer}'s socket form on the same kernel,
 * tasks and waits (a read-wait trap before each receive, since the last one drained the socket; a
 * fresh array per receive, sent back from the heap), except that the receive and the send are
 * {@code recv(2)} and {@code send(2)} called on the channel's descriptor through the foreign
 * function API. Its requests/s beside {@code EchoServer}'s, taken in one run
 * ({@code benchmarks/echo/syscall-path.sh}), is what that one difference is worth. With the
 * argument {@code read-write} it calls {@code read(2)} and {@code write(2)} the same way: the
 * JDK's system calls without the JDK's Java code around them (locks, state checks, the copy of a
 * heap buffer), which splits the difference into the wrappers' part and the system calls' part.
 *
 * <p>Why the project's sockets do not do this: the descriptor is reachable only through the JDK's
 * internals ({@code --add-opens java.base/sun.nio.ch}), native access must be enabled, and a raw
 * descriptor bypasses the channel's close protocol (a channel closed by another thread may free
 * its descriptor number for reuse while a task still reads it). ADR 5 has the figures.
 *
 * <p>Usage: {@code java --add-opens java.base/java.lang=ALL-UNNAMED --add-opens
 * java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -cp
 * benchmarks/target/benchmarks.jar dev.curio.bench.echo.RecvSendEchoServer PORT [read-write]}.
 *
 * <p>Thread-safety: everything runs in the kernel's tasks, one at a time; the receive buffer is
 * shared by them because each use (receive, copy out) lies between two traps.
 */
public final class RecvSendEchoServer {

    private static final int EAGAIN = 11;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final StructLayout ERRNO = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE =
            ERRNO.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle RECV;
    private static final MethodHandle SEND;
    private static final MethodHandle READ;
    private static final MethodHandle WRITE;
    private static final MethodHandle FD_VAL;

    static {
        Linker linker = Linker.nativeLinker();
        FunctionDescriptor io = FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT);
        // critical(true): no thread-state transition, and heap arrays may be passed as they are
        // (what Netty's JNI methods get from GetPrimitiveArrayCritical / direct addresses).
        Linker.Option[] options = {Linker.Option.critical(true), Linker.Option.captureCallState("errno")};
        RECV = linker.downcallHandle(linker.defaultLookup().find("recv").orElseThrow(), io, options);
        SEND = linker.downcallHandle(linker.defaultLookup().find("send").orElseThrow(), io, options);
        // read(2) and write(2), the JDK's calls, without the JDK's Java around them; the flags
        // argument of recv/send is dropped so that one call site serves both pairs.
        FunctionDescriptor rw = FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
        READ = MethodHandles.dropArguments(
                linker.downcallHandle(linker.defaultLookup().find("read").orElseThrow(), rw, options), 4, int.class);
        WRITE = MethodHandles.dropArguments(
                linker.downcallHandle(linker.defaultLookup().find("write").orElseThrow(), rw, options), 4, int.class);
        try {
            var getFdVal = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
            getFdVal.setAccessible(true);
            FD_VAL = MethodHandles.lookup().unreflect(getFdVal).asType(MethodType.methodType(int.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("the channel's descriptor needs --add-opens java.base/sun.nio.ch=ALL-UNNAMED", e);
        }
    }

    private RecvSendEchoServer() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals("read-write"))) {
            System.err.println("usage: RecvSendEchoServer PORT [read-write]");
            System.exit(2);
        }
        boolean readWrite = args.length == 2;
        MethodHandle receive = readWrite ? READ : RECV;
        MethodHandle send = readWrite ? WRITE : SEND;
        Socket listener = Socket.server(StandardProtocolFamily.INET);
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.listen(new InetSocketAddress(Integer.parseInt(args[0])), 1024);
        System.out.println((readWrite ? "read/write" : "recv/send") + " echo server (our kernel, "
                + (readWrite ? "read(2)/write(2)" : "recv(2)/send(2)") + " through the FFM API) on "
                + listener.localAddress() + ", java " + Runtime.version());
        // One for the kernel: shared by its tasks, like the project's receive buffer.
        MemorySegment buffer = Arena.global().allocate(64 * 1024);
        MemorySegment errno = Arena.global().allocate(ERRNO);
        Curio.run(() -> {
            while (true) {
                Socket client = listener.accept();
                Curio.spawn(() -> echo(client, receive, send, buffer, errno));
            }
        });
    }

    private static Void echo(Socket client, MethodHandle receive, MethodHandle send, MemorySegment buffer,
            MemorySegment errno) throws IOException {
        try (client) {
            SelectableChannel ch = client.channel();
            int fd = fdVal(ch);
            while (true) {
                Kernel.trap(new Trap.ReadWait(ch));
                long n = call(receive, errno, fd, buffer, 1000L, 0);
                if (n == 0) {
                    return null;
                }
                if (n < 0) {
                    if ((int) ERRNO_VALUE.get(errno, 0L) == EAGAIN) {
                        continue;
                    }
                    return null; // reset by the peer: this connection is over
                }
                byte[] data = buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                MemorySegment out = MemorySegment.ofArray(data);
                long sent = 0;
                while (sent < n) {
                    long m = call(send, errno, fd, out.asSlice(sent), n - sent, MSG_NOSIGNAL);
                    if (m >= 0) {
                        sent += m;
                    } else if ((int) ERRNO_VALUE.get(errno, 0L) == EAGAIN) {
                        Kernel.trap(new Trap.WriteWait(ch));
                    } else {
                        return null;
                    }
                }
            }
        }
    }

    private static int fdVal(SelectableChannel ch) {
        try {
            return (int) FD_VAL.invokeExact((Object) ch);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** {@code recv} or {@code send}: the count, or -1 with the error number in {@code errno}. */
    private static long call(MethodHandle fn, MemorySegment errno, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) fn.invokeExact(errno, fd, buf, len, flags);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(e);
    }
}
