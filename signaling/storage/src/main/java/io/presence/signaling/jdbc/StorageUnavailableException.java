package io.presence.signaling.jdbc;

/**
 * The database cannot take the call now: the executor's queue is full, the pool has no connection, or the
 * database refused. Callers answer {@code storage_unavailable} and change nothing.
 */
public final class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
