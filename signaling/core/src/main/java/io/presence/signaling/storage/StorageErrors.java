package io.presence.signaling.storage;

import io.presence.signaling.protocol.ErrorCode;

/** The error code a client gets for a failed storage call, and the line the log gets. */
public final class StorageErrors {
    private StorageErrors() {
    }

    /**
     * {@code not_supported} when the store keeps no rooms, {@code storage_unavailable} when it cannot take the call
     * now, else {@code internal}.
     */
    public static ErrorCode codeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PersistenceUnsupportedException) {
                return ErrorCode.NOT_SUPPORTED;
            }
            if (t instanceof StorageUnavailableException) {
                return ErrorCode.STORAGE_UNAVAILABLE;
            }
        }
        return ErrorCode.INTERNAL;
    }

    /**
     * The failure for a log line: the innermost cause's class and message, no stack trace (a database that is away
     * would otherwise fill the log with the same trace for every message).
     */
    public static String describe(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }
}
