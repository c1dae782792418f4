package io.presence.signaling.storage;

/**
 * A store could not take the call now: it is busy (its queue is full) or its database is away. Nothing was written;
 * the room answers {@code storage_unavailable}, and a retry later is safe.
 */
public class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
