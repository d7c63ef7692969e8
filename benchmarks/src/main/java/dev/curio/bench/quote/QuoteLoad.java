package dev.curio.bench.quote;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The load driver of issue 20's newcomer scenario (benchmarks/quote/run.sh), a process of its own
 * beside the application ({@code benchmarks/quote}, {@code QuoteApp}). Over one HTTP/1.1
 * {@link HttpClient}, each client is a platform thread looping one request after another:
 * <ul>
 *   <li>{@code --clients C} loop {@code GET /quote} (two 100-300 ms sleeps under a 1 s timeout);</li>
 *   <li>{@code --slow S} loop {@code GET /quote?slow=1}, whose sleeps outlast the timeout: each
 *       answer is a 503, and its latency minus 1 s is how late the timeout fired (as the user sees
 *       it: the task's start and the HTTP round trip count too);</li>
 *   <li>{@code --blockers B} loop {@code GET /block?ms=M} (a task calling {@code Thread.sleep(M)}).</li>
 * </ul>
 * The blockers start first and stop last. Requests sent during the first {@code --warm} seconds
 * are not counted; after that, every request sent in the next {@code --secs} seconds is counted,
 * including its answer arriving after the window (so that slow answers are not left out). With
 * {@code --pid}, the application's CPU time over the window (every thread's run time, from
 * {@code /proc/PID/task/N/schedstat}) is reported beside the latencies.
 *
 * <p>Prints one {@code RESULT {...}} line of JSON: per kind the count, the 200s, the 503s, other
 * answers and failures, and the latency p50, p99 and max in ms; {@code quote_rps};
 * for the slow kind the lateness p50, p99, max in ms, and the same seen inside the application
 * ({@code GET /stats}: {@code app_late_*}, how late the timeout reached the task, and
 * {@code app_wait_*}, how long the request's task waited for the kernel to start);
 * {@code app_cpu_pct}. Exits with 1 if a
 * request failed or got an answer other than 200 or 503 (or a slow one other than 503).
 *
 * <p>Thread-safety: each client thread fills its own {@link Kind.Samples}; the main thread reads
 * them after joining the thread.
 */
public final class QuoteLoad {

    private QuoteLoad() {}

    /** One kind of request and its clients' samples. */
    static final class Kind {
        final String name;
        final URI uri;
        final List<Samples> clients = new ArrayList<>();

        Kind(String name, URI uri) {
            this.name = name;
            this.uri = uri;
        }

        /** A client's counted requests: latencies (ns) and answers. Written by that client only. */
        static final class Samples {
            long[] nanos = new long[1024];
            int n;
            int ok;
            int unavailable;
            int other;
            int failed;
            String firstProblem;

            void add(long ns) {
                if (n == nanos.length) {
                    nanos = Arrays.copyOf(nanos, n * 2);
                }
                nanos[n++] = ns;
            }
        }

        Samples newClient() {
            Samples s = new Samples();
            clients.add(s);
            return s;
        }

        long[] all() {
            int total = 0;
            for (Samples s : clients) {
                total += s.n;
            }
            long[] a = new long[total];
            int i = 0;
            for (Samples s : clients) {
                System.arraycopy(s.nanos, 0, a, i, s.n);
                i += s.n;
            }
            Arrays.sort(a);
            return a;
        }

        int sum(java.util.function.ToIntFunction<Samples> f) {
            int t = 0;
            for (Samples s : clients) {
                t += f.applyAsInt(s);
            }
            return t;
        }

        String problem() {
            for (Samples s : clients) {
                if (s.firstProblem != null) {
                    return s.firstProblem;
                }
            }
            return null;
        }
    }

    public static void main(String[] args) throws Exception {
        int port = 0, clients = 16, slow = 2, blockers = 0;
        long blockMs = 300, pid = -1;
        double secs = 30, warm = 3;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(v);
                case "--clients" -> clients = Integer.parseInt(v);
                case "--slow" -> slow = Integer.parseInt(v);
                case "--blockers" -> blockers = Integer.parseInt(v);
                case "--block-ms" -> blockMs = Long.parseLong(v);
                case "--secs" -> secs = Double.parseDouble(v);
                case "--warm" -> warm = Double.parseDouble(v);
                case "--pid" -> pid = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (usage: --port P [--clients C] [--slow S] [--blockers B] [--block-ms M]"
                        + " [--secs T] [--warm W] [--pid APP_PID])");
            }
            i++;
        }
        if (port <= 0) {
            throw new IllegalArgumentException("--port is required");
        }
        String base = "http://127.0.0.1:" + port;
        Kind quote = new Kind("quote", URI.create(base + "/quote"));
        Kind slowQuote = new Kind("slow", URI.create(base + "/quote?slow=1"));
        Kind block = new Kind("block", URI.create(base + "/block?ms=" + blockMs));

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        long start = System.nanoTime();
        long countFrom = start + (long) (warm * 1e9);
        long countUntil = countFrom + (long) (secs * 1e9);

        List<Thread> blockerThreads = new ArrayList<>();
        for (int i = 0; i < blockers; i++) {
            Kind.Samples s = block.newClient();
            blockerThreads.add(Thread.ofPlatform().name("blocker-" + i).start(
                    () -> loop(http, block, s, countFrom, countUntil, true)));
        }
        List<Thread> timed = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Kind.Samples s = quote.newClient();
            timed.add(Thread.ofPlatform().name("quote-" + i).start(
                    () -> loop(http, quote, s, countFrom, countUntil, false)));
        }
        for (int i = 0; i < slow; i++) {
            Kind.Samples s = slowQuote.newClient();
            timed.add(Thread.ofPlatform().name("slow-" + i).start(
                    () -> loop(http, slowQuote, s, countFrom, countUntil, false)));
        }

        long pause = countFrom - System.nanoTime();
        if (pause > 0) {
            Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
        }
        String statsUri = base + "/stats";
        if (slow > 0) {
            get(http, statsUri); // forget the warm-up's
        }
        long cpu0 = appCpuNanos(pid);
        long wall0 = System.nanoTime();
        pause = countUntil - wall0;
        if (pause > 0) {
            Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
        }
        long cpu1 = appCpuNanos(pid);
        long wall1 = System.nanoTime();
        for (Thread t : timed) {
            t.join();
        }
        String inApp = slow > 0 ? get(http, statsUri) : "";
        stopBlockers = true;
        for (Thread t : blockerThreads) {
            t.join();
        }

        StringBuilder out = new StringBuilder("RESULT {");
        out.append(String.format(Locale.ROOT, "\"port\":%d,\"clients\":%d,\"slow\":%d,\"blockers\":%d,"
                + "\"block_ms\":%d,\"secs\":%.1f", port, clients, slow, blockers, blockMs, secs));
        boolean bad = false;
        for (Kind k : List.of(quote, slowQuote, block)) {
            if (k.clients.isEmpty()) {
                continue;
            }
            long[] a = k.all();
            int other = k.sum(s -> s.other), failed = k.sum(s -> s.failed);
            int ok = k.sum(s -> s.ok), unavailable = k.sum(s -> s.unavailable);
            out.append(String.format(Locale.ROOT, ",\"%s_n\":%d,\"%s_200\":%d,\"%s_503\":%d,\"%s_other\":%d,"
                    + "\"%s_failed\":%d,\"%s_p50_ms\":%.1f,\"%s_p99_ms\":%.1f,\"%s_max_ms\":%.1f",
                    k.name, a.length, k.name, ok, k.name, unavailable, k.name, other, k.name, failed,
                    k.name, ms(pct(a, 50)), k.name, ms(pct(a, 99)), k.name, ms(a.length == 0 ? -1 : a[a.length - 1])));
            if (k == slowQuote && a.length > 0) {
                out.append(String.format(Locale.ROOT, ",\"late_p50_ms\":%.1f,\"late_p99_ms\":%.1f,\"late_max_ms\":%.1f",
                        ms(pct(a, 50)) - 1000, ms(pct(a, 99)) - 1000, ms(a[a.length - 1]) - 1000));
                bad |= ok > 0; // a slow quote must time out
            }
            if (k == quote) {
                out.append(String.format(Locale.ROOT, ",\"quote_rps\":%.1f", a.length / secs));
            }
            if (other + failed > 0) {
                bad = true;
                System.err.println(k.name + ": " + other + " unexpected answers, " + failed + " failures; first: "
                        + k.problem());
            }
        }
        if (!inApp.isBlank()) {
            String[] lines = inApp.strip().split("\n");
            long[] wait = new long[lines.length], late = new long[lines.length];
            for (int i = 0; i < lines.length; i++) {
                String[] f = lines[i].split("/");
                wait[i] = Long.parseLong(f[0]);
                late[i] = Long.parseLong(f[1]);
            }
            Arrays.sort(wait);
            Arrays.sort(late);
            out.append(String.format(Locale.ROOT, ",\"app_slow_n\":%d,\"app_wait_p50_ms\":%.1f,\"app_wait_max_ms\":%.1f,"
                    + "\"app_late_p50_ms\":%.1f,\"app_late_p99_ms\":%.1f,\"app_late_max_ms\":%.1f", lines.length,
                    ms(pct(wait, 50)), ms(wait[wait.length - 1]), ms(pct(late, 50)), ms(pct(late, 99)),
                    ms(late[late.length - 1])));
        }
        if (pid > 0) {
            out.append(String.format(Locale.ROOT, ",\"app_cpu_pct\":%.1f", 100.0 * (cpu1 - cpu0) / (wall1 - wall0)));
        }
        out.append('}');
        System.out.println(out);
        System.exit(bad ? 1 : 0);
    }

    private static volatile boolean stopBlockers;

    /**
     * One client: requests one after another until {@code until} (a blocker: until told to stop),
     * counting those sent in [from, until).
     */
    private static void loop(HttpClient http, Kind kind, Kind.Samples s, long from, long until, boolean blocker) {
        HttpRequest req = HttpRequest.newBuilder(kind.uri).timeout(Duration.ofSeconds(60)).GET().build();
        while (true) {
            long t0 = System.nanoTime();
            if (blocker ? stopBlockers : t0 >= until) {
                return;
            }
            boolean counted = t0 >= from && t0 < until;
            int status;
            String problem = null;
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                status = r.statusCode();
                if (status != 200 && status != 503) {
                    problem = status + " " + r.body();
                }
            } catch (IOException e) {
                status = -1;
                problem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long ns = System.nanoTime() - t0;
            if (!counted) {
                continue;
            }
            s.add(ns);
            if (status == 200) {
                s.ok++;
            } else if (status == 503) {
                s.unavailable++;
            } else if (status == -1) {
                s.failed++;
            } else {
                s.other++;
            }
            if (problem != null && s.firstProblem == null) {
                s.firstProblem = problem;
            }
        }
    }

    /** The body of a GET that must answer 200. */
    private static String get(HttpClient http, String uri) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(60))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(uri + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** Nearest-rank percentile of sorted {@code a}; -1 if empty. */
    private static long pct(long[] a, double p) {
        if (a.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * a.length);
        return a[Math.max(0, Math.min(a.length - 1, rank - 1))];
    }

    private static double ms(long ns) {
        return ns < 0 ? -1 : ns / 1e6;
    }

    /** Every thread's run time of process {@code pid} so far (ns), from schedstat; 0 without a pid. */
    private static long appCpuNanos(long pid) throws IOException {
        if (pid <= 0) {
            return 0;
        }
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks) {
                try {
                    String line = Files.readString(t.resolve("schedstat")).trim();
                    sum += Long.parseLong(line.substring(0, line.indexOf(' ')));
                } catch (IOException e) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return sum;
    }
}
