package dev.curio.spring.boot.web;

import dev.curio.task.TaskGroup;

/**
 * The work of one web request, run in a Curio task with a {@link TaskGroup} that lives exactly as
 * long as the request: spawn into the group, return the response body. The group is joined after
 * {@link #run} returns, and every task still in it is cancelled when the request times out, ends
 * or its client disconnects.
 */
@FunctionalInterface
public interface RequestWork<T> {

    T run(TaskGroup group) throws Exception;
}
