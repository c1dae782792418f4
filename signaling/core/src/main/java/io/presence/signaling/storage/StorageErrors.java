package io.presence.signaling.storage;

import io.presence.signaling.protocol.ErrorCode;

/** The error code a client gets for a failed storage call. */
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
}
