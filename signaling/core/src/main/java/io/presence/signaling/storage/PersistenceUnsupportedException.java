package io.presence.signaling.storage;

/** The room store keeps no rooms (the server runs without a database): a room cannot be named. */
public class PersistenceUnsupportedException extends RuntimeException {
    public PersistenceUnsupportedException(String message) {
        super(message, null, false, false);
    }
}
