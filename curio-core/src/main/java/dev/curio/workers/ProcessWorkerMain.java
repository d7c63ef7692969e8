package dev.curio.workers;

import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.SynchronousQueue;

/**
 * The main class of a worker process. Reads calls from stdin, runs them one at a time, writes
 * replies to stdout. Anything the work prints goes to stderr (stdout carries the frames). When the
 * parent goes away, stdin ends and the worker exits at once, even in the middle of a call: a
 * worker never outlives its parent.
 */
public final class ProcessWorkerMain {

    private ProcessWorkerMain() {}

    public static void main(String[] args) throws Exception {
        OutputStream frames = new FileOutputStream(FileDescriptor.out);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        InputStream in = new FileInputStream(FileDescriptor.in);
        SynchronousQueue<Object> calls = new SynchronousQueue<>();
        Thread reader = Thread.ofPlatform().daemon(true).name("curio-worker-stdin").start(() -> {
            try {
                while (true) {
                    calls.put(Frames.read(in));
                }
            } catch (EOFException e) {
                Runtime.getRuntime().halt(0); // the parent is gone
            } catch (Throwable e) {
                System.err.println("curio worker: unreadable request: " + e);
                Runtime.getRuntime().halt(3);
            }
        });
        while (reader.isAlive()) {
            Object call = calls.take();
            Frames.Reply reply;
            try {
                Object value = ((Callable<?>) call).call();
                reply = new Frames.Reply(true, value, null);
            } catch (Throwable t) {
                reply = new Frames.Reply(false, null, t);
            }
            try {
                Frames.write(frames, reply);
            } catch (NotSerializableException e) {
                Frames.write(frames, new Frames.Reply(false, null,
                        new WorkerProcessError("the result is not serializable: " + e.getMessage())));
            }
        }
    }
}
