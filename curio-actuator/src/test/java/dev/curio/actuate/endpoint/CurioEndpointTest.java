package dev.curio.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.kernel.BlockingCalls;
import dev.curio.kernel.CarrierKind;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.KernelThread;
import dev.curio.kernel.ManualClock;
import dev.curio.kernel.Task;
import dev.curio.sync.Event;
import dev.curio.task.TaskGroup;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The endpoint's operations called directly, on a kernel run by a {@link KernelThread} with a
 * manual clock that never moves (timeouts and ages are exact). The scenario, "shop": an
 * {@code orders} task runs a task group of two fetchers waiting on a gate, and a poller sleeping
 * inside a 30 s timeout. Like Curio's monitor tests, it reads the table, one task's stack, and
 * cancels through the kernel.
 */
@ExtendWith(OutputCaptureExtension.class)
class CurioEndpointTest {

    private final ManualClock clock = ManualClock.manual();
    /** A task the JDK blocks outside a trap steps out of this kernel (the owned carrier, release). */
    private final Kernel kernel = Kernel.builder().name("shop").clock(clock).carrier(CarrierKind.OWNED)
            .blockingCalls(BlockingCalls.RELEASE).build();
    private final List<KernelThread> threads = new ArrayList<>();
    private final List<String> trail = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Released by each task that caught its cancellation, after writing the trail. */
    private final java.util.concurrent.Semaphore caught = new java.util.concurrent.Semaphore(0);

    @AfterEach
    void stop() {
        threads.forEach(t -> t.stop(Duration.ofSeconds(30)));
    }

    private CurioEndpoint endpoint(Access access, Duration answer) {
        return new CurioEndpoint(kernel, (id, dflt) -> access, 100, 1000, answer);
    }

    private CurioEndpoint endpoint() {
        return endpoint(Access.UNRESTRICTED, Duration.ofSeconds(30));
    }

    private void start() {
        threads.add(KernelThread.start(kernel));
    }

    /**
     * Returns once no task is ready: every task has run and suspended. A query through the inbox
     * is answered between batches, so tasks spawned in the last batch may still be ready; ask
     * again until the kernel, inside, sees none.
     */
    private void settle() {
        while (kernel.inKernel(Kernel::readyCount).join() > 0) {
            Thread.onSpinWait();
        }
    }

    /** Ids of the shop's tasks, by name. */
    private record Shop(long main, long orders, long fetchA, long fetchB, long poller) {}

    private Shop shop() {
        start();
        long main = kernel.tasksSnapshot().get(0).id();
        CompletableFuture<long[]> ids = new CompletableFuture<>();
        Event gate = new Event();
        kernel.submit("orders", () -> {
            TaskGroup g = new TaskGroup();
            long a = g.spawn("fetch-a", () -> waitFor(gate, "fetch-a")).id();
            long b = g.spawn("fetch-b", () -> waitFor(gate, "fetch-b")).id();
            long p = Curio.spawn("poller", () -> {
                try {
                    Curio.timeoutAfter(Duration.ofSeconds(30), () -> Curio.sleep(1000));
                } catch (CancelledError e) {
                    trail.add("poller: " + e.getMessage());
                    caught.release();
                    throw e;
                }
            }).id();
            ids.complete(new long[] {Curio.currentTask().id(), a, b, p});
            g.join();
            return null;
        });
        long[] i = ids.join();
        settle();
        return new Shop(main, i[0], i[1], i[2], i[3]);
    }

    private Object waitFor(Event gate, String who) {
        try {
            gate.await();
        } catch (CancelledError e) {
            trail.add(who + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
            caught.release();
            throw e;
        }
        return null;
    }

    private static SecurityContext user(String name) {
        return new SecurityContext() {
            @Override
            public Principal getPrincipal() {
                return () -> name;
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }
        };
    }

    private static List<String> names(List<TaskRow> rows) {
        return rows.stream().map(TaskRow::name).toList();
    }

    @Test
    void summaryShowsWorkerPoolUse() throws Exception {
        dev.curio.workers.ThreadWorkers pool = new dev.curio.workers.ThreadWorkers("shop-workers", 3);
        dev.curio.workers.Workers.useThreadPool(kernel, pool);
        threads.add(KernelThread.start(kernel));
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        var call = threads.get(0).submit("blocking-call", () -> dev.curio.workers.Workers.runInThread(() -> {
            inside.countDown();
            release.await();
            return 1;
        }));
        inside.await();
        CurioEndpoint.PoolUse use = endpoint().table(null, null, null, null).workers().threads();
        release.countDown();
        assertThat(call.get()).isEqualTo(1);
        assertThat(use).isEqualTo(new CurioEndpoint.PoolUse(1, 1, 3, 0, 0));
        pool.close();
    }

    @Test
    void summaryAndTaskTableShowStatesDeadlinesParentsAndGroups() {
        Shop s = shop();
        CurioEndpoint.Tasks t = endpoint().table(null, null, null, null);
        assertThat(t.kernel()).isEqualTo("shop");
        assertThat(t.running()).isTrue();
        assertThat(t.blockingCalls()).isEqualTo("release");
        assertThat(t.consistent()).isTrue();
        assertThat(t.cancelAllowed()).isTrue();
        assertThat(t.total()).isEqualTo(5);
        assertThat(t.matched()).isEqualTo(5);
        assertThat(t.readyQueue()).isZero();
        assertThat(t.states()).isEqualTo(Map.of("EVENT_WAIT", 2, "KERNEL_SERVE", 1, "TASKGROUP_WAIT", 1, "TIME_SLEEP", 1));
        assertThat(t.workers().threads()).as("no thread pool used yet").isNull();
        assertThat(t.workers().processes()).isNull();
        assertThat(t.tasks()).extracting(TaskRow::id, TaskRow::name, TaskRow::state, TaskRow::cycles,
                TaskRow::timeoutSeconds, TaskRow::parentId, TaskRow::daemon, TaskRow::ageSeconds, TaskRow::system)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(s.main(), "kernel-main", "KERNEL_SERVE", 1L, null, null, false, 0.0, true),
                        org.assertj.core.groups.Tuple.tuple(s.orders(), "orders", "TASKGROUP_WAIT", 1L, null, null, false, 0.0, false),
                        org.assertj.core.groups.Tuple.tuple(s.fetchA(), "fetch-a", "EVENT_WAIT", 1L, null, s.orders(), false, 0.0, false),
                        org.assertj.core.groups.Tuple.tuple(s.fetchB(), "fetch-b", "EVENT_WAIT", 1L, null, s.orders(), false, 0.0, false),
                        org.assertj.core.groups.Tuple.tuple(s.poller(), "poller", "TIME_SLEEP", 1L, 30.0, s.orders(), false, 0.0, false));
        List<TaskRow> rows = t.tasks();
        // an unnamed group shows its first live member's name, and that member's id tells it apart
        assertThat(rows.get(2).group()).isEqualTo("fetch-a").isEqualTo(rows.get(3).group());
        assertThat(rows.get(2).groupId()).isEqualTo(s.fetchA()).isEqualTo(rows.get(3).groupId());
        assertThat(rows.get(4).group()).isNull();
        assertThat(rows.get(4).groupId()).isNull();
        assertThat(rows.get(4).where()).contains("CurioEndpointTest.lambda$shop$");
        assertThat(rows.get(2).where()).isNotNull();
        // none is out of the kernel: nothing read from their stacks for it, nothing pending
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.stepOuts()).isZero();
            assertThat(r.outSeconds()).isNull();
            assertThat(r.blockedIn()).isNull();
            assertThat(r.cancelPending()).isNull();
        });
    }

    @Test
    void aTaskDetailGivesItsLastLongBlockWithWhereItWasWhileItHeld() {
        Kernel crunch = Kernel.builder().name("crunch").carrier(CarrierKind.OWNED)
                .longBlockThreshold(Duration.ofMillis(20)).build();
        KernelThread kt = KernelThread.start(crunch);
        threads.add(kt);
        CompletableFuture<Task<?>> cruncher = new CompletableFuture<>();
        kt.submit("cruncher", () -> {
            cruncher.complete(Curio.currentTask());
            while (crunch.longBlocks() == 0) {
                Thread.onSpinWait(); // CPU work holds the kernel past the threshold
            }
            return Curio.sleep(Duration.ofHours(1)); // the hold ends here; the task stays to be looked at
        });
        Task<?> task = cruncher.join();
        while (!task.lastLongBlock().map(dev.curio.kernel.LongBlock::ended).orElse(false)) {
            Thread.onSpinWait();
        }
        CurioEndpoint e = new CurioEndpoint(crunch, (id, dflt) -> Access.UNRESTRICTED, 100, 1000, Duration.ofSeconds(30));
        CurioEndpoint.TaskDetail d = (CurioEndpoint.TaskDetail) e.task(task.id()).getBody();
        assertThat(d.lastLongBlock()).isNotNull();
        assertThat(d.lastLongBlock()).extracting(CurioEndpoint.LastLongBlock::ended,
                CurioEndpoint.LastLongBlock::blockedInJdk).containsExactly(true, false);
        assertThat(d.lastLongBlock().heldSeconds()).isGreaterThan(0.02);
        assertThat(d.lastLongBlock().where()).anyMatch(f -> f.contains(
                "CurioEndpointTest.lambda$aTaskDetailGivesItsLastLongBlockWithWhereItWasWhileItHeld$"));
    }

    @Test
    void aTaskOutOfTheKernelShowsWhatItBlocksInForHowLongAndItsPendingTimeout() throws Exception {
        // an importer blocks in LinkedBlockingQueue.take() under a 5 s timeout: it steps out of the
        // kernel; the timeout falls due while it is out and waits, pending, for its next trap
        start();
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        CompletableFuture<Task<?>> importer = new CompletableFuture<>();
        CompletableFuture<Object> done = kernel.submit("importer", () -> {
            importer.complete(Curio.currentTask());
            try {
                Curio.timeoutAfter(Duration.ofSeconds(5), () -> {
                    trail.add("importer takes");
                    String x = queue.take();
                    Throwable pending = Curio.currentTask().cancelPending();
                    trail.add("importer took " + x + ", pending " + pending.getClass().getSimpleName());
                    Curio.sleep(0);
                });
            } catch (TaskTimeout e) {
                trail.add("importer got TaskTimeout at its next trap");
            }
            return null;
        });
        Task<?> task = importer.join();
        while (!task.steppedOut()) {
            Thread.onSpinWait();
        }
        CurioEndpoint e = endpoint();
        CurioEndpoint.Tasks t = e.table("blocked", null, null, null);
        assertThat(t.consistent()).isTrue();
        assertThat(t.states()).containsEntry("BLOCKED", 1);
        TaskRow out = t.tasks().get(0);
        assertThat(out).extracting(TaskRow::id, TaskRow::name, TaskRow::state, TaskRow::timeoutSeconds,
                TaskRow::stepOuts, TaskRow::cancelPending).containsExactly(task.id(), "importer", "BLOCKED", 5.0, 1L, null);
        assertThat(out.blockedIn()).startsWith("LinkedBlockingQueue.take (called from dev.curio.actuate.endpoint"
                + ".CurioEndpointTest.lambda$aTaskOutOfTheKernelShowsWhatItBlocksInForHowLongAndItsPendingTimeout$");
        assertThat(out.outSeconds()).isNotNull().isNotNegative();
        assertThat(out.where()).contains("CurioEndpointTest.lambda$aTaskOutOfTheKernelShows");

        clock.advance(Duration.ofSeconds(6)); // the timeout falls due while the importer is out
        while (!kernel.inKernel(k -> task.cancelPending() != null).join()) {
            Thread.onSpinWait();
        }
        CurioEndpoint.TaskDetail d = (CurioEndpoint.TaskDetail) e.task(task.id()).getBody();
        assertThat(d.task()).extracting(TaskRow::state, TaskRow::cancelPending).containsExactly("BLOCKED", "TaskTimeout");
        assertThat(d.task().blockedIn()).isEqualTo(out.blockedIn());
        assertThat(d.task().outSeconds()).isGreaterThanOrEqualTo(out.outSeconds());
        assertThat(d.stack()).anyMatch(f -> f.contains("java.util.concurrent.LinkedBlockingQueue.take("));

        queue.put("x");
        done.join();
        assertThat(trail).containsExactly("importer takes", "importer took x, pending TaskTimeout",
                "importer got TaskTimeout at its next trap");
        settle();
        assertThat(e.tasks("BLOCKED", null, null, null).getStatus()).as("a known state, no task in it").isEqualTo(200);
    }

    @Test
    void filtersByStateAndNameAndPagesBoundedly() {
        shop();
        CurioEndpoint e = endpoint();
        assertThat(names(e.table("event_wait", null, null, null).tasks())).containsExactly("fetch-a", "fetch-b");
        assertThat(names(e.table("TIME_SLEEP, kernel_serve", null, null, null).tasks())).containsExactly("kernel-main", "poller");
        assertThat(names(e.table(null, "FETCH", null, null).tasks())).containsExactly("fetch-a", "fetch-b");
        CurioEndpoint.Tasks page = e.table("EVENT_WAIT", "fetch", 1, 1);
        assertThat(names(page.tasks())).containsExactly("fetch-b");
        assertThat(page.matched()).isEqualTo(2);
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.filter()).containsEntry("state", List.of("EVENT_WAIT")).containsEntry("name", "fetch");
        assertThat(e.table(null, null, 5, null).tasks()).isEmpty();
        assertThat(e.table(null, null, null, null).limit()).isEqualTo(100);
        assertThatThrownBy(() -> e.table(null, null, null, 0)).isInstanceOf(InvalidEndpointRequestException.class)
                .hasMessage("limit must be in 1..1000 (the maximum is 1000, curio.actuator.max-page-size), was 0");
        assertThatThrownBy(() -> e.table(null, null, null, 1001)).isInstanceOf(InvalidEndpointRequestException.class)
                .hasMessage("limit must be in 1..1000 (the maximum is 1000, curio.actuator.max-page-size), was 1001");
        WebEndpointResponse<Object> over = e.tasks(null, null, null, 5000);
        assertThat(over.getStatus()).isEqualTo(400);
        assertThat(over.getBody()).isEqualTo(Map.of("maxLimit", 1000,
                "error", "limit must be in 1..1000 (the maximum is 1000, curio.actuator.max-page-size), was 5000"));
        assertThatThrownBy(() -> e.table(null, null, -1, null)).isInstanceOf(InvalidEndpointRequestException.class)
                .hasMessage("offset must be >= 0, was -1");
    }

    @Test
    void oneTaskWithItsStackAndChildrenOrNotFound() {
        Shop s = shop();
        CurioEndpoint e = endpoint();
        WebEndpointResponse<Object> poller = e.task(s.poller());
        assertThat(poller.getStatus()).isEqualTo(200);
        CurioEndpoint.TaskDetail d = (CurioEndpoint.TaskDetail) poller.getBody();
        assertThat(d.task().name()).isEqualTo("poller");
        assertThat(d.stack()).anyMatch(f -> f.startsWith("dev.curio.Curio.sleep"))
                .anyMatch(f -> f.contains("CurioEndpointTest.lambda$shop$"));
        assertThat(d.children()).isEmpty();
        // the stack starts, for the reader, at the first frame of user code: the frames before it are Curio's and the JDK's
        assertThat(d.userFrame()).isPositive();
        assertThat(d.stack().get(d.userFrame())).contains("CurioEndpointTest.lambda$shop$").isEqualTo(d.task().where());
        assertThat(d.stack().subList(0, d.userFrame())).anyMatch(f -> f.startsWith("dev.curio.Curio.sleep"))
                .allMatch(f -> f.startsWith("dev.curio.") || f.startsWith("java.") || f.startsWith("jdk."));
        CurioEndpoint.TaskDetail orders = (CurioEndpoint.TaskDetail) e.task(s.orders()).getBody();
        assertThat(names(orders.children())).containsExactly("fetch-a", "fetch-b", "poller");

        WebEndpointResponse<Object> missing = e.task(999_999_999L);
        assertThat(missing.getStatus()).isEqualTo(404);
        assertThat(missing.getBody()).isEqualTo(Map.of("id", 999_999_999L,
                "error", "no task 999999999 in kernel 'shop' (unknown or finished)"));
    }

    @Test
    void cancelCarriesTheReasonIntoTheTaskAndWritesAnAuditLine(CapturedOutput output) {
        // Curio's monitor "cancel N", with a reason and the operator named
        Shop s = shop();
        CurioEndpoint e = endpoint();
        WebEndpointResponse<Object> r = e.cancel(s.poller(), "stuck\non the poll", null, user("alice"));
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getBody()).isEqualTo(new CurioEndpoint.Cancelled(s.poller(), "poller", "stuck on the poll", false, List.of(s.poller())));
        caught.acquireUninterruptibly(1);
        settle(); // its end has been recorded: a later query is answered after it finished
        assertThat(trail).containsExactly("poller: stuck on the poll");
        assertThat(output).contains("curio-cancel source=endpoint kernel=shop task=" + s.poller()
                + " name=poller group=false by=alice status=200 outcome=cancelled tasks=[" + s.poller()
                + "] reason=\"stuck on the poll\"\n");

        // the task has finished: 404, audited too
        WebEndpointResponse<Object> again = e.cancel(s.poller(), null, null, SecurityContext.NONE);
        assertThat(again.getStatus()).isEqualTo(404);
        assertThat(output).contains("curio-cancel source=endpoint kernel=shop task=" + s.poller()
                + " group=false by=anonymous status=404 outcome=not-found detail=\"no task " + s.poller()
                + " in kernel 'shop' (unknown or finished)\" reason=\"cancelled through the curio actuator endpoint\"\n");
    }

    @Test
    void cancelWithGroupCancelsEveryLiveMemberOfTheTasksGroup() {
        Shop s = shop();
        WebEndpointResponse<Object> r = endpoint().cancel(s.fetchA(), "closing the shop", "true", user("bob"));
        assertThat(r.getBody()).isEqualTo(new CurioEndpoint.Cancelled(s.fetchA(), "fetch-a", "closing the shop", true,
                List.of(s.fetchA(), s.fetchB())));
        caught.acquireUninterruptibly(2);
        assertThat(trail).containsExactly("fetch-a: TaskCancelled closing the shop", "fetch-b: TaskCancelled closing the shop");
        assertThat(kernel.tasksSnapshot()).extracting(t -> t.name()).contains("poller");
    }

    @Test
    void cancellingTheKernelsMainTaskIsRefused409AuditedAndTheKernelKeepsServing(CapturedOutput output) {
        Shop s = shop();
        CurioEndpoint e = endpoint();
        for (String group : new String[] {null, "true"}) {
            WebEndpointResponse<Object> r = e.cancel(s.main(), "stop it", group, user("mallory"));
            assertThat(r.getStatus()).isEqualTo(409);
            assertThat(r.getBody()).isEqualTo(Map.of("id", s.main(), "error", "task " + s.main()
                    + " (kernel-main) is a system task of kernel 'shop', its own machinery: cancelling it would stop"
                    + " the kernel, so it is refused"));
        }
        assertThat(output).contains("curio-cancel source=endpoint kernel=shop task=" + s.main()
                + " name=kernel-main group=false by=mallory status=409 outcome=refused detail=\"task " + s.main()
                + " (kernel-main) is a system task of kernel 'shop', its own machinery: cancelling it would stop the"
                + " kernel, so it is refused\" reason=\"stop it\"\n");
        assertThat(output).contains("name=kernel-main group=true by=mallory status=409 outcome=refused");
        settle();
        assertThat(kernel.isRunning()).isTrue();
        assertThat(kernel.submit("after", () -> "still serving").join()).isEqualTo("still serving");
        assertThat(e.table(null, null, null, null).tasks()).extracting(TaskRow::name).contains("kernel-main", "poller");
    }

    @Test
    void groupMustBeABooleanAndABadOneIsAudited(CapturedOutput output) {
        Shop s = shop();
        for (String bad : new String[] {"yes", "1", "on", "TRUE"}) {
            WebEndpointResponse<Object> r = endpoint().cancel(s.poller(), null, bad, user("eve"));
            assertThat(r.getStatus()).isEqualTo(400);
            assertThat(r.getBody()).isEqualTo(Map.of("id", s.poller(),
                    "error", "group must be a JSON boolean (true or false), was '" + bad + "'"));
        }
        assertThat(output).contains("curio-cancel source=endpoint kernel=shop task=" + s.poller()
                + " group=false by=eve status=400 outcome=bad-request detail=\"group must be a JSON boolean (true or false),"
                + " was 'yes'\" reason=\"cancelled through the curio actuator endpoint\"\n");
        assertThat(endpoint().task(s.poller()).getStatus()).isEqualTo(200); // untouched
    }

    @Test
    void anUnknownStateIs400ListingTheValidOnes() {
        shop();
        CurioEndpoint e = endpoint();
        WebEndpointResponse<Object> r = e.tasks("event_wait,SLEEPING", null, null, null);
        assertThat(r.getStatus()).isEqualTo(400);
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) r.getBody();
        assertThat((String) body.get("error")).startsWith("unknown state SLEEPING; valid states: ASYNC_THREAD_WAIT, ")
                .contains("EVENT_WAIT, ").contains("TIME_SLEEP").contains("KERNEL_SERVE");
        assertThat((List<Object>) body.get("validStates")).contains("TIME_SLEEP", "QUEUE_GET", "READY", "RUNNING");
        assertThat(e.tasks("queue_get", null, null, null).getStatus()).as("known, no task in it").isEqualTo(200);
    }

    @Test
    void aNamedGroupShowsItsName() {
        start();
        CompletableFuture<Long> id = new CompletableFuture<>();
        kernel.submit("crawler", () -> {
            try (TaskGroup g = new TaskGroup("crawl pages", TaskGroup.Wait.ALL)) {
                id.complete(g.spawn("page-1", () -> Curio.sleep(1000)).id());
                g.join();
            }
            return null;
        });
        long page = id.join();
        settle();
        TaskRow row = endpoint().table(null, "page-1", null, null).tasks().get(0);
        assertThat(row.group()).isEqualTo("crawl pages");
        assertThat(row.groupId()).isEqualTo(page);
    }

    @Test
    void aHeldKernelGivesARacySnapshotAndAQueuedCancel() throws Exception {
        // the table is wanted most when a task holds the kernel: read it without the kernel
        start();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Long> hog = new CompletableFuture<>();
        CompletableFuture<Object> done = kernel.submit("hog", () -> {
            hog.complete(Curio.currentTask().id());
            holding.countDown();
            while (release.getCount() > 0) {
                Thread.onSpinWait(); // computing: a CPU-bound loop holds the kernel (a blocking call would step out)
            }
            return null;
        });
        holding.await();
        CurioEndpoint e = endpoint(Access.UNRESTRICTED, Duration.ofMillis(20));
        CurioEndpoint.Tasks t = e.table(null, "hog", null, null);
        assertThat(t.consistent()).isFalse();
        assertThat(t.tasks()).extracting(TaskRow::state).containsExactly("RUNNING");
        assertThat(((CurioEndpoint.TaskDetail) e.task(hog.join()).getBody()).stack())
                .anyMatch(f -> f.contains("CurioEndpointTest.lambda$aHeldKernelGivesARacySnapshotAndAQueuedCancel$"));
        WebEndpointResponse<Object> r = e.cancel(hog.join(), "hogging", null, SecurityContext.NONE);
        assertThat(r.getStatus()).isEqualTo(202);
        assertThat(r.getBody()).isEqualTo(new CurioEndpoint.Requested(hog.join(), "hogging", false,
                "the kernel is busy; the cancel request waits in its inbox"));
        release.countDown();
        done.join(); // it made no blocking call after the release: the queued cancel found it finished
    }

    @Test
    void aKernelNotRunningIsReadRacilyAndRefusesCancel() {
        CurioEndpoint e = endpoint(Access.READ_ONLY, Duration.ofSeconds(30));
        CurioEndpoint.Tasks t = e.table(null, null, null, null);
        assertThat(t.running()).isFalse();
        assertThat(t.consistent()).isFalse();
        assertThat(t.cancelAllowed()).isFalse();
        assertThat(t.tasks()).isEmpty();
        WebEndpointResponse<Object> r = e.cancel(1, null, null, SecurityContext.NONE);
        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getBody()).isEqualTo(Map.of("id", 1L, "error", "kernel 'shop' is not running"));
    }

    @Test
    void reasonsAreCleanedAndBoundedAndArgumentsChecked() {
        assertThat(CurioEndpoint.sanitize(" a\tb\r\nc ")).isEqualTo("a b  c");
        assertThat(CurioEndpoint.sanitize("x".repeat(300))).isEqualTo("x".repeat(200) + "...");
        assertThat(CurioEndpoint.sanitize("  ")).isEqualTo("cancelled through the curio actuator endpoint");
        // Unicode's own line breaks (NEL, LINE and PARAGRAPH SEPARATOR) and bidirectional overrides too
        assertThat(CurioEndpoint.sanitize("a\u0085b\u2028c\u2029d\u202Ee\u0000f\u007Fg")).isEqualTo("a b c d e f g");
        assertThat(CurioEndpoint.sanitize("\u2028\u2029")).isEqualTo("cancelled through the curio actuator endpoint");
        assertThat(new CancelAudit.Line("endpoint", "k", "7", "say \"hi\"\u2028", false, "a b", 200, "cancelled",
                List.of(7L), null, "back\\slash").format()).isEqualTo("curio-cancel source=endpoint kernel=k task=7"
                        + " name=\"say \\\"hi\\\" \" group=false by=\"a b\" status=200 outcome=cancelled tasks=[7]"
                        + " reason=\"back\\\\slash\"");
        assertThatThrownBy(() -> new CurioEndpoint(null, null, 1, 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("kernel must not be null");
        assertThatThrownBy(() -> new CurioEndpoint(kernel, null, 5, 2, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pageSize must be in 1..maxPageSize, was pageSize=5, maxPageSize=2");
        assertThatThrownBy(() -> new CurioEndpoint(kernel, null, 1, 2, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("kernelAnswerTimeout must be positive, was PT0S");
    }
}
