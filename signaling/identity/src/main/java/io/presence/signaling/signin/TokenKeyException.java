package io.presence.signaling.signin;

/** A key that cannot be used: too short, unreadable, of an unsupported type. The message names the file, never key bytes. */
public final class TokenKeyException extends Exception {
    public TokenKeyException(String message) {
        super(message);
    }

    public TokenKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
