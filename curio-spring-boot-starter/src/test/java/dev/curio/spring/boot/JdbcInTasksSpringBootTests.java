package dev.curio.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.kernel.BlockingCalls;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Plain JDBC from tasks against a real PostgreSQL ({@link PostgresServer}), through the HikariCP
 * pool that Boot configures from {@code spring.datasource.*}, with the starter's kernel on the
 * owned carrier: a task blocked in a query steps out of the kernel, so another task of the same
 * kernel keeps time meanwhile; a timeout that falls due during the query is delivered at the
 * task's next trap, after the query returned.
 *
 * <p>The slow query is event-driven, not timed: {@code sleep_until_gate_opens()} sleeps in
 * {@code pg_sleep} until a row says the gate is open, and another task opens it through the pool
 * when the test wants the query to end.
 */
@SpringBootTest(properties = {
        "curio.kernel-name=jdbc",
        "spring.autoconfigure.exclude=", // this module's test contexts exclude the DataSource otherwise
        "spring.datasource.username=postgres",
        "spring.datasource.hikari.pool-name=tasks",
        "spring.datasource.hikari.maximum-pool-size=4"})
@DirtiesContext // closes the pool while PostgreSQL still runs (it stops when the test run ends)
class JdbcInTasksSpringBootTests {

    @RegisterExtension
    static final PostgresServer postgres = new PostgresServer("jdbc_in_tasks");

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", postgres::jdbcUrl);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}

    /** The gate's query: what the server does while the task that sent it is blocked. */
    private static final String SLEEP_UNTIL_GATE_OPENS = """
            CREATE OR REPLACE FUNCTION sleep_until_gate_opens() RETURNS int LANGUAGE plpgsql VOLATILE AS $$
            DECLARE naps int := 0;
            BEGIN
              WHILE NOT (SELECT open FROM gate) LOOP
                PERFORM pg_sleep(0.005);
                naps := naps + 1;
              END LOOP;
              RETURN naps;
            END $$""";

    @Autowired
    CurioTasks tasks;

    @Autowired
    Kernel kernel;

    @Autowired
    DataSource dataSource;

    @BeforeEach
    void closeTheGate() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS gate (open boolean NOT NULL)");
            s.execute("DELETE FROM gate");
            s.execute("INSERT INTO gate VALUES (false)");
            s.execute(SLEEP_UNTIL_GATE_OPENS);
        }
    }

    /** The query that returns once the gate opens: how many 5 ms naps the server took meanwhile. */
    private int sleepUntilTheGateOpens(Trail trail, String who) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT sleep_until_gate_opens()")) {
            trail.add(who);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private void openTheGate() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE gate SET open = true");
        }
    }

    private static boolean outSince(Task<?> t, Trail trail, String event) {
        return t.steppedOut() && trail.events().contains(event);
    }

    @Test
    void theBootPoolAndTheOwnedCarrierAreWhatTheseTestsRunOn() {
        assertThat(dataSource).isInstanceOf(HikariDataSource.class);
        assertThat(((HikariDataSource) dataSource).getJdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
        assertThat(kernel.carrierKind()).isEqualTo("owned");
        assertThat(kernel.blockingCalls()).isEqualTo(BlockingCalls.RELEASE);
    }

    @Test
    void anotherTaskKeepsTimeWhileAQueryBlocksATask() throws Exception {
        Trail trail = new Trail();
        String queries = "report queries: the server sleeps in pg_sleep until the gate opens";
        Kernels.await(kernel, tasks.run("jdbc", () -> {
            Task<?> report = Curio.spawn("report", () -> {
                int naps = sleepUntilTheGateOpens(trail, queries);
                trail.add("report's query returned, after the server napped: " + (naps > 0));
            });
            Curio.spawn("timekeeper", () -> {
                int ticks = 0;
                while (ticks < 3) {
                    Curio.sleep(0.001);
                    if (outSince(report, trail, queries)) {
                        ticks++;
                    }
                }
                trail.add("timekeeper ticked 3 times while report was " + report.state() + " in "
                        + Kernels.blockedIn(report));
                trail.add("timekeeper opens the gate");
                openTheGate(); // JDBC in this task too
            }).join();
            report.join();
            trail.add("report stepped out: " + (report.stepOuts() > 0) + "; tasks out now: " + kernel.steppedOutCount());
        }));
        assertThat(trail.events()).containsExactly(
                queries,
                "timekeeper ticked 3 times while report was BLOCKED in Socket$SocketInputStream.read called from"
                        + " org.postgresql.core.VisibleBufferedInputStream",
                "timekeeper opens the gate",
                "report's query returned, after the server napped: true",
                "report stepped out: true; tasks out now: 0");
    }

    @Test
    void aTimeoutThatFallsDueDuringAQueryIsDeliveredAtTheTasksNextTrap() throws Exception {
        Trail trail = new Trail();
        String queries = "report queries under a 20 ms timeout";
        Kernels.await(kernel, tasks.run("jdbc-timeout", () -> {
            Task<?> report = Curio.spawn("report", () -> {
                try {
                    Curio.timeoutAfter(Duration.ofMillis(20), () -> {
                        sleepUntilTheGateOpens(trail, queries);
                        Throwable pending = Curio.currentTask().cancelPending();
                        trail.add("report's query returned with its connection back in the pool; pending: "
                                + (pending == null ? "nothing" : pending.getClass().getSimpleName()));
                        Curio.sleep(0); // the next trap
                        trail.add("never: the next trap delivers the timeout");
                    });
                } catch (TaskTimeout e) {
                    trail.add("report got TaskTimeout at its next trap");
                }
            });
            Curio.spawn("timekeeper", () -> {
                while (!(outSince(report, trail, queries) && report.cancelPending() != null)) {
                    Curio.sleep(0.001);
                }
                trail.add("timekeeper sees the timeout pending while report is " + report.state() + " in "
                        + Kernels.blockedIn(report));
                openTheGate();
            }).join();
            report.join();
        }));
        assertThat(trail.events()).containsExactly(
                queries,
                "timekeeper sees the timeout pending while report is BLOCKED in Socket$SocketInputStream.read"
                        + " called from org.postgresql.core.VisibleBufferedInputStream",
                "report's query returned with its connection back in the pool; pending: TaskTimeout",
                "report got TaskTimeout at its next trap");
        assertThat(((HikariDataSource) dataSource).getHikariPoolMXBean().getActiveConnections())
                .as("connections in use after the timeout").isZero();
    }

    /**
     * The README's advice, tried: a Curio timeout cannot interrupt a blocked query, a JDBC query
     * timeout can (PostgreSQL cancels the statement); the Curio timeout, fallen due meanwhile, is
     * then delivered at the next trap. The gate never opens here.
     */
    @Test
    void aJdbcQueryTimeoutEndsTheBlockedCallAndTheCurioTimeoutFollowsAtTheNextTrap() throws Exception {
        Trail trail = new Trail();
        Kernels.await(kernel, tasks.run("jdbc-query-timeout", () -> {
            try {
                Curio.timeoutAfter(Duration.ofMillis(20), () -> {
                    try (Connection c = dataSource.getConnection();
                            PreparedStatement s = c.prepareStatement("SELECT sleep_until_gate_opens()")) {
                        s.setQueryTimeout(1); // seconds: PostgreSQL cancels the statement then
                        trail.add("queries under a 20 ms Curio timeout and a 1 s JDBC query timeout");
                        s.executeQuery();
                        trail.add("never: the gate stays closed");
                    } catch (SQLException e) {
                        trail.add("the query timeout ended the call: SQLState " + e.getSQLState() + " ("
                                + e.getMessage().lines().findFirst().orElse("") + ")");
                    }
                    Curio.sleep(0);
                    trail.add("never: the next trap delivers the timeout");
                });
            } catch (TaskTimeout e) {
                trail.add("TaskTimeout at the next trap");
            }
        }));
        assertThat(trail.events()).containsExactly(
                "queries under a 20 ms Curio timeout and a 1 s JDBC query timeout",
                "the query timeout ended the call: SQLState 57014 (ERROR: canceling statement due to user request)",
                "TaskTimeout at the next trap");
    }
}
