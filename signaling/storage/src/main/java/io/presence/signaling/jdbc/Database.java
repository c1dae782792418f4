package io.presence.signaling.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.signaling.storage.StorageUnavailableException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The appliance's database: the connection pool (HikariCP, its meters in our registry) and the executor that
 * runs every JDBC call. Owns both; {@link #close()} closes both.
 *
 * <p>Thread-safe.
 */
public final class Database implements AutoCloseable {
    /** How long a storage call waits for a connection before it fails as unavailable. */
    static final int CONNECTION_TIMEOUT_MS = 2_000;
    /** How long one statement may wait for the database's answer; every query here is small. */
    static final int SOCKET_TIMEOUT_MS = 15_000;

    private final HikariDataSource pool;
    private final StorageExecutor executor;
    private final StorageMetrics metrics;
    private final AtomicBoolean checking = new AtomicBoolean();
    // Its own thread: behind a storage queue full of calls that each wait for the pool, a check would report late.
    private final ExecutorService readinessThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "presence-storage-readiness");
        t.setDaemon(true);
        return t;
    });
    private volatile String problem;

    private Database(HikariDataSource pool, StorageExecutor executor, StorageMetrics metrics) {
        this.pool = pool;
        this.executor = executor;
        this.metrics = metrics;
        metrics.watchReachability(() -> problem() == null);
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
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        // A connection idle for a while is checked before use, within a second; idle ones are probed every half
        // minute, so connections a database restart or a network cut broke are replaced before a room needs them.
        config.setValidationTimeout(1_000);
        config.setKeepaliveTime(30_000);
        config.setExceptionOverrideClassName(BrokenConnections.class.getName());
        if (settings.jdbcUrl().startsWith("jdbc:mysql:")) {
            // Connector/J waits forever by default: for a TCP connect to a host that drops packets, and for an
            // answer on a connection whose peer vanished. Either would hold a storage thread, and with it every
            // room waiting behind it, long after the pool's own timeout.
            config.addDataSourceProperty("connectTimeout", String.valueOf(CONNECTION_TIMEOUT_MS));
            config.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT_MS));
        }
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

    /**
     * Runs {@code work} on a pooled connection: a failure is counted in the storage metrics (unavailable or sql) and
     * becomes a {@link StorageUnavailableException} the rooms answer typed. Blocking:
     * storage threads only.
     */
    <T> T call(SqlWork<T> work) {
        try (Connection c = dataSource().getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            metrics().failed(e);
            throw new StorageUnavailableException("storage unavailable: "
                    + Migrations.oneLine(e.getMessage()), e);
        }
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
        return check() == null;
    }

    /** Null when a connection answers a validity check within a second, else why not. Blocking. */
    private String check() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(1) ? null : "unreachable: no answer to a validity check";
        } catch (SQLException e) {
            return "unreachable: " + Migrations.oneLine(innermost(e).getMessage());
        }
    }

    static Throwable innermost(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * For the readiness probe, without blocking: the result of the latest check (null = reachable), and a new
     * check started on the readiness thread unless one is running.
     */
    public String problem() {
        if (checking.compareAndSet(false, true)) {
            try {
                readinessThread.execute(() -> {
                    try {
                        problem = check();
                    } finally {
                        checking.set(false);
                    }
                });
            } catch (RejectedExecutionException closed) {
                checking.set(false);
                return "closed";
            }
        }
        return problem;
    }

    @Override
    public void close() {
        readinessThread.shutdownNow();
        executor.close();
        pool.close();
        metrics.close();
    }
}
