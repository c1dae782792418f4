package io.presence.signaling.friend;

/** The trust for FriendCore cannot be built: the CA file is unreadable or holds no certificate. Names the file. */
public final class FriendTrustException extends Exception {
    public FriendTrustException(String message) {
        super(message);
    }

    public FriendTrustException(String message, Throwable cause) {
        super(message, cause);
    }
}
