package io.presence.signaling.jdbc;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the database is and how much of it the appliance may use.
 *
 * @param url       JDBC URL; empty = an embedded H2 file {@code presence} in {@code dataDir}
 * @param user      database user (ignored by the embedded default)
 * @param password  database password; never logged ({@link #toString()} hides it)
 * @param poolSize  connections in the pool, which is also the number of threads that run JDBC
 * @param queueSize storage tasks that may wait for a thread; beyond it a call fails fast as unavailable
 * @param dataDir   the appliance's data directory, home of the embedded database
 * @param groupCommit chat messages that arrive while a commit runs go together into the next transaction; false =
 *                  one transaction per message
 */
public record StorageSettings(String url, String user, String password, int poolSize, int queueSize, Path dataDir,
                              boolean groupCommit) {
    public static final int DEFAULT_POOL_SIZE = 4;
    public static final int DEFAULT_QUEUE_SIZE = 10_000;

    public StorageSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(dataDir, "dataDir");
        if (poolSize < 1) {
            throw new IllegalArgumentException("storage.poolSize must be >= 1, was " + poolSize);
        }
        if (queueSize < 1) {
            throw new IllegalArgumentException("queueSize must be >= 1, was " + queueSize);
        }
    }

    /** With group commit on, the default. */
    public StorageSettings(String url, String user, String password, int poolSize, int queueSize, Path dataDir) {
        this(url, user, password, poolSize, queueSize, dataDir, true);
    }

    public StorageSettings withGroupCommit(boolean on) {
        return new StorageSettings(url, user, password, poolSize, queueSize, dataDir, on);
    }

    /** True when no URL is set: the embedded H2 file in the data directory. */
    public boolean embedded() {
        return url.isBlank();
    }

    /**
     * The URL the pool connects to. H2 runs in MySQL mode so one schema serves both. WRITE_DELAY=0 writes each
     * commit to the file before the commit returns: H2's default delays it by up to half a second, and a message
     * acknowledged in that window would be lost to a kill -9.
     */
    public String jdbcUrl() {
        if (!embedded()) {
            return url;
        }
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("presence")
                + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0";
    }

    @Override
    public String toString() {
        return "StorageSettings[url=" + jdbcUrl() + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***")
                + ", poolSize=" + poolSize + ", queueSize=" + queueSize + ", groupCommit=" + groupCommit + "]";
    }
}
