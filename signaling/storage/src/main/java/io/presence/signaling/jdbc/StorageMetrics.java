package io.presence.signaling.jdbc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The storage meters besides the pool's own (HikariCP registers {@code hikaricp.*}): group-commit batch size,
 * commit latency, errors by kind ({@code unavailable}: refused by a full queue, no connection or a broken one;
 * {@code sql}: a statement failed). Callers use verbs; meters are removed on {@link #close()}.
 *
 * <p>Thread-safe.
 */
public final class StorageMetrics implements AutoCloseable {
    private static final String P = "presence.storage.";

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final DistributionSummary batchSize;
    private final Timer commitLatency;
    private final Counter unavailable;
    private final Counter failed;

    public StorageMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        // Histograms, so dashboards can take percentiles over any window and across instances.
        this.batchSize = remember(DistributionSummary.builder(P + "write.batch.size")
                .description("Chat messages written in one group-commit transaction")
                .publishPercentileHistogram().minimumExpectedValue(1.0)
                .maximumExpectedValue((double) GroupCommit.MAX_BATCH).register(registry));
        this.commitLatency = remember(Timer.builder(P + "commit.latency")
                .description("Time to write and commit one group-commit transaction")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry));
        this.unavailable = remember(Counter.builder(P + "errors").tag("kind", "unavailable")
                .description("Storage calls that failed, by kind").register(registry));
        this.failed = remember(Counter.builder(P + "errors").tag("kind", "sql")
                .description("Storage calls that failed, by kind").register(registry));
    }

    void committed(int messages, long nanos) {
        batchSize.record(messages);
        commitLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    void refused() {
        unavailable.increment();
    }

    /**
     * A call failed with {@code e}: {@code unavailable} when no connection could be had or it broke (the pool
     * timed out, or SQLState class 08, connection exception, or H2's connection broken), {@code sql} when a statement failed on a working
     * connection.
     */
    void failed(Throwable e) {
        (unreachable(e) ? unavailable : failed).increment();
    }

    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof java.net.SocketException
                    || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && (sql.getSQLState().startsWith("08")
                    || BrokenConnections.gone(sql))) {
                return true;
            }
        }
        return false;
    }

    /** Exports {@code presence.storage.reachable}: 1 while {@code reachable} says so, else 0. */
    void watchReachability(BooleanSupplier reachable) {
        remember(Gauge.builder(P + "reachable", reachable, r -> r.getAsBoolean() ? 1 : 0)
                .description("1 while the database answers the readiness check, else 0")
                .strongReference(true).register(registry));
    }

    /** Transactions committed by the group commit so far. */
    public long commits() {
        return commitLatency.count();
    }

    private <M extends Meter> M remember(M meter) {
        meters.add(meter);
        return meter;
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
