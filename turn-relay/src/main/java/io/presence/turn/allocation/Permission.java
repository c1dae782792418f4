package io.presence.turn.allocation;

import java.net.InetAddress;

/**
 * A permission (RFC 8656 §9): the peer IP address (ports do not matter) from which the allocation accepts,
 * and to which it sends, datagrams, until {@link #expiresAt()}. Owned and touched by its allocation only, on
 * the allocation's event loop.
 */
public final class Permission {
    private final InetAddress peer;
    private long expiresAt;

    Permission(InetAddress peer, long expiresAt) {
        this.peer = peer;
        this.expiresAt = expiresAt;
    }

    public InetAddress peer() {
        return peer;
    }

    public long expiresAt() {
        return expiresAt;
    }

    void refresh(long until) {
        expiresAt = until;
    }

    boolean live(long now) {
        return now < expiresAt;
    }
}
