package dev.curio.workers;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * Work for a worker process: a callable that travels over the worker's pipe. A lambda passed where
 * this type is expected is serializable; it must capture only serializable values, and its class
 * must be on the application's class path (the worker runs with the same class path).
 */
@FunctionalInterface
public interface SerializableCallable<T> extends Callable<T>, Serializable {}
