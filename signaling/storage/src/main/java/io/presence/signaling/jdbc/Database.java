package io.presence.signaling.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The appliance's database: the connection pool (HikariCP, its meters in our registry) and the executor that
 * runs every JDBC call. Owns both; {@link #close()} closes both.
 *
 * <p>Thread-safe.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final StorageExecutor executor;
    private final StorageMetrics metrics;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile String problem;

    private Database(HikariDataSource pool, StorageExecutor executor, StorageMetrics metrics) {
        this.pool = pool;
        this.executor = executor;
        this.metrics = metrics;
    }

    /** Opens the pool without connecting yet (the pool recovers by itself when the database comes back). */
    public static Database open(StorageSettings settings, MeterRegistry registry) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("presence-storage");
        config.setJdbcUrl(settings.jdbcUrl());
        if (!settings.embedded()) {
            config.setUsername(settings.user());
            config.setPassword(settings.password());
            // A group commit's batch as one multi-row INSERT instead of one round trip per row; and no round trip
            // to set a session state the driver already knows (autocommit on every borrow and return).
            config.addDataSourceProperty("rewriteBatchedStatements", "true");
            config.addDataSourceProperty("useLocalSessionState", "true");
        }
        // One connection per storage thread, and a spare so migrations (Flyway holds two) and the readiness check
        // never wait behind busy storage threads.
        config.setMaximumPoolSize(settings.poolSize() + 1);
        config.setMinimumIdle(1);
        // Fail fast when the database is away: a room answers storage_unavailable rather than waiting.
        config.setConnectionTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        config.setAutoCommit(true);
        config.setMetricRegistry(registry);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StorageStartException("database pool failed: " + Migrations.oneLine(e.getMessage()), e);
        }
        return new Database(pool, new StorageExecutor(settings.poolSize(), settings.queueSize()),
                new StorageMetrics(registry));
    }

    public DataSource dataSource() {
        return pool;
    }

    public StorageExecutor executor() {
        return executor;
    }

    public StorageMetrics metrics() {
        return metrics;
    }

    public Migrations migrations() {
        return new Migrations(pool);
    }

    /** Readiness: a connection answers a validity check within a second. Blocking; not for an event loop. */
    public boolean reachable() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * For the readiness probe, without blocking: the result of the latest check (null = reachable), and a new
     * check started on a storage thread unless one is running.
     */
    public String problem() {
        if (checking.compareAndSet(false, true)) {
            executor.submit(() -> reachable() ? null : "database unreachable").whenComplete((found, failure) -> {
                problem = failure != null ? "storage busy" : found;
                checking.set(false);
            });
        }
        return problem;
    }

    @Override
    public void close() {
        executor.close();
        pool.close();
        metrics.close();
    }
}
