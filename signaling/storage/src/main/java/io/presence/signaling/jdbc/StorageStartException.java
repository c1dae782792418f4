package io.presence.signaling.jdbc;

/** The database could not be opened or migrated; the message is the one line the operator reads. */
public final class StorageStartException extends RuntimeException {
    public StorageStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
